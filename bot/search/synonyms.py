"""The editable table of abbreviations and synonyms (bot/data/synonyms.toml), read into token phrases."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from bot.search.text import tokens

Phrase = tuple[str, ...]


@lru_cache(maxsize=4)
def load_synonyms(text: str | None = None) -> dict[Phrase, tuple[Phrase, ...]]:
    """Map each phrase (as tokens) to the other phrases of its groups."""
    if text is None:
        text = resources.files("bot").joinpath("data/synonyms.toml").read_text(encoding="utf-8")
    table: dict[Phrase, set[Phrase]] = {}
    for group in tomllib.loads(text).get("groups", []):
        phrases = [tuple(tokens(str(item))) for item in group]
        phrases = [p for p in phrases if p]
        for phrase in phrases:
            table.setdefault(phrase, set()).update(p for p in phrases if p != phrase)
    return {k: tuple(sorted(v)) for k, v in table.items()}
