"""Questions for a place ('where do I get food?', 'where can I eat?', 'wo gibt es Kaffee?'): what is sought, and
whether the schedule names it at all.

The schedule knows where its tracks, rooms, speakers and sessions are. Searched for 'food', it found talks whose
abstracts mention cooking; a thing no title, track, tag, room or speaker of the conference names is said to be
beyond the schedule instead (bot.commands.where).
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.search.fuzzy import corrections
from bot.search.index import field_bits
from bot.search.language import is_function_word
from bot.search.query import parse
from bot.search.slips import catalog_words
from bot.search.text import stem, words

ONLY_THE_SCHEDULE = "I only know what the schedule says: where its tracks, rooms, speakers and sessions are"
ASK_THE_VENUE = "The venue's map or an organiser will know."
# Ways of asking where to get something, after which the where command reads what is sought.
PLACE_QUESTIONS = (
    "where do i",
    "where can i",
    "where could i",
    "where do we",
    "where can we",
    "where to",
    "wo kann ich",
    "wo kann man",
    "wo gibt es",
    "wo gibt's",
    "wo gibts",
    "wo bekomme ich",
    "wo bekommt man",
    "wo kriege ich",
    "wo kriegt man",
    "wo kaufe ich",
)
_VERBS = r"get|find|buy|grab|purchase|have|eat|drink|sleep|park|charge|go|see|meet|pick up|sign up"
_LEADING = re.compile(rf"^(?P<verb>{_VERBS})\b(?:\s+(?:to|for|at|in|on|a|an|some|me|us|up)\b)*\s*", re.IGNORECASE)
# German puts the verb last: 'wo kann ich Kaffee kaufen'. Said back in English, as the reply is.
_GERMAN_VERBS = {
    "kaufen": "buy",
    "essen": "eat",
    "trinken": "drink",
    "finden": "find",
    "bekommen": "get",
    "kriegen": "get",
    "holen": "get",
    "schlafen": "sleep",
    "parken": "park",
    "laden": "charge",
    "sehen": "see",
    "treffen": "meet",
}
# Verbs of the ways of asking themselves: 'where can I find Lennart' seeks a person, 'wo gibt es Kaffee' a thing.
_SAID_VERBS = {"find": "find", "finde": "find", "gibt": "get", "bekomme": "get", "kriege": "get", "kaufe": "buy"}
_TRAILING = re.compile(rf"\s*\b(?:zu\s+)?(?P<verb>{'|'.join(_GERMAN_VERBS)})$", re.IGNORECASE)
# Where a thing is named, rather than mentioned in passing: not the abstract, the type or a speaker's company.
NAMED = field_bits("title", "subtitle", "speakers", "track", "tags", "room")
NAMED_NOT_PEOPLE = field_bits("title", "subtitle", "track", "tags", "room")
# Verbs a person is sought with ('where can I find Lennart'); one gets or buys no speaker ('a coffee' is no
# Jacob Coffee). No verb: 'where is …' may ask for anyone.
PERSON_VERBS = frozenset({"", "find", "see", "meet", "go"})


def sought_thing(question: str, asked: str) -> tuple[str, str]:
    """What a question for a place seeks, and how: 'get food' -> ('food', 'get'), 'eat' -> ('', 'eat'),
    'hier essen' -> ('', 'eat'), 'Kaffee kaufen' -> ('Kaffee', 'buy'), 'wo gibt es Kaffee' -> ('Kaffee', 'get');
    a thing asked for as 'where is …' ('the rust devroom') as it is, and no verb."""
    thing, verb = asked, ""
    lowered = " ".join(question.lower().replace("’", "'").split())
    if not any(lowered.startswith(phrase + " ") for phrase in PLACE_QUESTIONS):
        return thing, verb  # 'where is the go devroom': 'go' names the track, it is no verb of a place question
    leading, trailing = _LEADING.match(asked), _TRAILING.search(asked)
    if leading:
        thing, verb = asked[leading.end() :].strip(), leading["verb"].lower()
    elif trailing:
        thing, verb = asked[: trailing.start()].strip(), _GERMAN_VERBS[trailing["verb"].lower()]
    if not verb:
        said = lowered.split()[: len(lowered.split()) - len(asked.split())]  # 'where can i find', 'wo gibt es'
        verb = next((_SAID_VERBS[w] for w in said if w in _SAID_VERBS), "get")
    if verb and all(is_function_word(w, "en") or is_function_word(w, "de") for w in words(thing)):
        thing = ""  # 'wo kann ich hier essen': nothing sought but the eating
    return thing, verb


def named_in_schedule(ctx: Context, thing: str, verb: str = "") -> bool:
    """Whether the conference in scope names any word of a thing (a slip forgiven) in a title, track, tag, room or
    speaker's name (not for a thing one gets or buys); or the thing says a time, track, room or person, which the
    search reads."""
    index = ctx.engine().index
    parsed = parse(thing, catalog_words(index))
    if parsed.has_filters:
        return True
    fields = NAMED if verb in PERSON_VERBS else NAMED_NOT_PEOPLE
    span = index.conference_range(ctx.conference)
    for word in parsed.words:
        term = stem(word)
        for candidate in [term, *(c for c, _ in corrections(index, term))]:
            docs = index.postings_in(candidate, fields)[0]
            if span is not None:
                docs = docs[(docs >= span[0]) & (docs < span[1])]
            if docs.size:
                return True
    return False
