"""The platform-agnostic core: store, search, conversation, agenda, reminders. Never imports a chat SDK."""
