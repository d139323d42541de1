"""The Discord adapter: the real discord.py client; interactions and messages in, embeds and buttons out."""
