"""Reminders: what falls due, and a dispatcher that delivers each exactly once."""
