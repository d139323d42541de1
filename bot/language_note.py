"""'German talks tomorrow' found nothing: say what the schedule itself says about languages.

"Nothing found" reads as "there are none", which is only true if the schedule says which language each talk is
in. Many schedules say nothing (the language is then guessed from titles and abstracts, often wrongly), and
some give every talk the same one (FOSDEM lists all its talks as English): either is worth one clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.search.engine import SearchResult
from bot.search.index import SearchIndex
from bot.search.language import SPOKEN, language_code
from catalog.model import Session


def _name(code: str) -> str:
    return SPOKEN.get(code, code)


def language_note(sessions: Iterable[Session], code: str, found: bool) -> str:
    """A sentence for a language search: whether the schedule says languages at all, and, when nothing was
    `found`, whether it lists any talk in `code`; '' when there is nothing to add."""
    listed = [language_code(s.language) for s in sessions if s.language]
    if not listed:
        return "This schedule does not say which language talks are in: I guessed from titles and abstracts."
    given: set[str] = set().union(*listed)
    if found or code in given:
        return ""
    names = ", ".join(sorted(_name(c) for c in given))
    return f"The schedule lists no talk in {_name(code)}, only in {names}."


def noted(result: SearchResult, index: SearchIndex, conference: str | None) -> SearchResult:
    """A language search's result, its message saying what the schedule says about languages where it matters."""
    code = result.query.language
    if not code:
        return result
    slugs = [conference] if conference else list(index.conferences)
    note = language_note((s for slug in slugs for s in index.sessions_of(slug)), code, bool(result.hits))
    return replace(result, message=f"{result.message} {note}".strip()) if note else result
