"""The edges: files a plan is written to."""
