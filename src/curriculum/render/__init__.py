"""What people read: the terminal summary, notebook HTML, the printable report and plots.
Renderers take frames and the programme, never a solver."""
