"""The Slack adapter: the real Bolt app, translating Slack payloads to `Incoming` and `Reply` to Block Kit."""
