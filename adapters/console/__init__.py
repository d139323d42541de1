"""The console adapter: every feature in a terminal, without a chat account."""
