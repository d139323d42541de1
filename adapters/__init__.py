"""The edges: the command line, the console, Slack and Discord. They translate; the core decides."""
