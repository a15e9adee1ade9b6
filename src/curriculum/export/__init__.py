"""The edges: a plan to and from files (CSV, .ics), written atomically."""
