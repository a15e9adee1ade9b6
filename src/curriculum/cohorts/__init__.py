"""Several cohorts planned together: reading a cohorts file, what cohorts share (facilitators,
rooms, joint modules) in meetings."""
