"""The exit codes of `confbot`, in one place: scripts, systemd and container supervisors act on them."""

OK = 0
BAD_INPUT = 1  # a file, argument or question that could not be used: fix it and run again
CONFIGURATION = 2  # a missing or rejected setting (token, port): restarting will not help until it is fixed
PLATFORM = 3  # Slack or Discord could not be reached after retries: worth restarting later
INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report it
