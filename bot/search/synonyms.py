"""The editable table of abbreviations, synonyms and concepts (bot/data/synonyms.toml), read into token phrases.

`groups` are different names for one thing ("k8s", "kubernetes"); `concepts` are ways of talking about one
topic, in English and German ("surveillance", "Überwachung", "wiretapping"). A concept link weighs less than a
synonym, and both less than the words a person typed.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from bot.search.langcache import remembered
from bot.search.language import has_umlaut, stem_in
from bot.search.query import STOPWORDS
from bot.search.text import fold, spelled, stem, tokens

Phrase = tuple[str, ...]
SECTIONS = {"groups": 0.9, "concepts": 0.7}  # section -> weight of a phrase found through it


@lru_cache(maxsize=8)
def _read(text: str | None) -> dict[str, object]:
    if text is None:
        text = resources.files("bot").joinpath("data/synonyms.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def _cache_key() -> str:
    """Names the derived tables after everything they are computed from: the table and the code that reads it."""
    import hashlib
    from importlib.metadata import version

    from bot.search import language, query, text

    digest = hashlib.sha256(resources.files("bot").joinpath("data/synonyms.toml").read_bytes())
    for module in (language, query, text):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(version("PyStemmer").encode())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=8)
def load_synonyms(text: str | None = None, section: str = "groups") -> dict[Phrase, tuple[Phrase, ...]]:
    """Map each phrase (as tokens) to the other phrases of its groups (the packaged table: from the cache)."""
    if text is None:
        found: dict[Phrase, tuple[Phrase, ...]] = remembered(
            f"synonyms-{section}-{_cache_key()}", lambda: _load_synonyms(None, section)
        )
        return found
    return _load_synonyms(text, section)


def _load_synonyms(text: str | None, section: str) -> dict[Phrase, tuple[Phrase, ...]]:
    table: dict[Phrase, set[Phrase]] = {}
    rows = _read(text).get(section, [])
    assert isinstance(rows, list)
    for group in rows:
        # Joining words are dropped as the question's are: "right to repair" is ('right', 'repair').
        phrases = [_phrase(str(item)) for item in group]
        phrases = [p for p in phrases if p]
        for phrase in phrases:
            table.setdefault(phrase, set()).update(p for p in phrases if p != phrase)
    return {k: tuple(sorted(v)) for k, v in table.items()}


def _phrase(text: str) -> Phrase:
    """A phrase as the index stores it; a word with an umlaut in its transliterated spelling ('geraete'), which
    the index keeps beside the folded one, so that 'Geräte' never stands for 'geraten'."""
    if has_umlaut(text):
        words = tuple(stem(spelled(w) or fold(w)) for w in re.findall(r"[^\W_]+", text))
    else:
        words = tuple(tokens(text))
    return tuple(t for t in words if t not in STOPWORDS) or words


def stems(lang: str, phrase: Phrase) -> Phrase:
    return tuple(stem_in(lang, w) for w in phrase)


@lru_cache(maxsize=8)
def _by_stems(text: str | None, section: str) -> dict[tuple[str, Phrase], tuple[Phrase, ...]]:
    """A table keyed by Snowball stems per language: 'Kryptowährungen' finds the row of 'Kryptowährung'."""
    if text is None:
        found: dict[tuple[str, Phrase], tuple[Phrase, ...]] = remembered(
            f"synonym-stems-{section}-{_cache_key()}", lambda: _stem_table(None, section)
        )
        return found
    return _stem_table(text, section)


def _stem_table(text: str | None, section: str) -> dict[tuple[str, Phrase], tuple[Phrase, ...]]:
    out: dict[tuple[str, Phrase], set[Phrase]] = {}
    for phrase, others in load_synonyms(text, section).items():
        for lang in ("en", "de"):
            key = (lang, stems(lang, phrase))
            out.setdefault(key, set()).update(others)
            out[key].add(phrase)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=20_000)
def related(phrase: Phrase, lang: str, text: str | None = None) -> tuple[tuple[Phrase, float], ...]:
    """The other phrasings of a phrase with their weights: as written, or through the stems of its words in the
    question's language or English. A phrase found as a synonym is not repeated as a concept."""
    found: dict[Phrase, float] = {}
    for section, weight in SECTIONS.items():
        others = load_synonyms(text, section).get(phrase)
        if not others:
            table = _by_stems(text, section)
            for code in dict.fromkeys((lang if lang in ("en", "de") else "en", "en")):
                others = table.get((code, stems(code, phrase)))
                if others:
                    break
        for other in others or ():
            if other != phrase and other not in found:
                found[other] = weight
    return tuple(found.items())


def prepare_tables() -> None:
    """Read the table and its stem keys before the first question (a few tens of milliseconds, once)."""
    for section in SECTIONS:
        _by_stems(None, section)
