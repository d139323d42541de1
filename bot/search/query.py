"""Understanding a question: time phrases, speaker / track / room intent, filler, and the words left to search."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.search.language import SPOKEN, detect, is_everyday_word, is_function_word
from bot.search.negation import split_negated
from bot.search.sentences import (
    GERMAN_FILLER,
    german_function_words,
    german_time_words,
    language_filter,
    strip_scaffolding,
)
from bot.search.slips import KIND_WORDS, Known, read_slips, time_and_kind_words
from bot.search.text import fold, spelled
from bot.search.timephrases import TimeSpec, parse_relative, parse_time

MAX_QUERY_CHARS = 200
_RAW_WORD = re.compile(
    r"\d{1,2}[:.h]\d{2}(?:am|pm)?|\d{1,2}(?:am|pm|h)\b|\d{4}-\d{2}-\d{2}"
    r"|(?<![a-z0-9-])[a-z]-[a-z][a-z0-9]+(?![a-z0-9-])"  # a letter compound: 'e-voting', 'x-ray', 't-shirt'
    r"|[a-z0-9]+(?:\+\+|#)?(?:'(?:s|m|re|ve|ll|d)\b|(?<=n)'t\b)?"
)
# The short forms of English: "I'm", "we're", "you've", "don't" hold no topic ("'s" is kept: "Lennart's talks").
_CLITIC = re.compile(r"'(?:m|re|ve|ll|d)$")
_NEGATED = re.compile(r"n't$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
# Words that carry no topic in a question to a schedule: "show me talks about X" searches for X.
FILLER = frozenset(
    """a an the about on of to for in at with and or is are be there any anything something some all show me find
    search list give get tell what whats wats which where when who whom how do does you have has i want wanna looking
    look like would please talk talks session sessions lecture lectures presentation presentations event events related
    regarding covering concerning interesting good best can could happening going topic topics stuff things
    there's it its this that these those my our we us let lets see know playing running showing scheduled planned
    held place taking talking speaking schedule timetable programme room""".split()
)
# Never searched on their own: they join the words that carry the meaning.
STOPWORDS = frozenset({"and", "or", "the", "a", "an", "of", "to", "in", "on", "for", "with", "at", "by", "from"})
TRACK_WORDS = KIND_WORDS
SPEAKER_PREPOSITIONS = frozenset({"by", "from", "speaker", "speakers", "with"})
GERMAN_SPEAKER_PREPOSITIONS = frozenset({"von", "mit"})  # 'Vorträge von Fefe', 'Talks mit Lennart'
SPEAKER_VERBS = frozenset({"presenting", "speaking", "talking", "giving", "present", "speak", "presents", "speaks"})
_ROOM = re.compile(r"\b(?:in\s+)?room\s+([a-z0-9][\w.\-/]*(?:\s+\([^)]*\))?)")
_ROOM_CODE = re.compile(r"\bin\s+([a-z]{1,4}\.?\d[\w.\-]*)")


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    truncated: bool
    words: tuple[str, ...]
    speaker: str = ""
    track: str = ""
    room: str = ""
    time: TimeSpec | None = None
    prefix: bool = False
    lang: str = "en"  # the language the question is written in
    language: str = ""  # the language asked for ("German talks"): an ISO code
    places: tuple[str, ...] = ()  # words after "in"/"at" that may name a room of the catalog
    spellings: tuple[tuple[str, str], ...] = ()  # (folded, transliterated) for words typed with umlauts
    excluded: tuple[str, ...] = ()  # words asked to be left out: 'but not LLMs', 'ohne KI'

    def as_typed(self, words: tuple[str, ...] | list[str]) -> str:
        """Words said back as the person wrote them ('fahrräder', 'sécurité'), not as the index folds them
        ('fahrrader'): a person told to type 'fahrrader at 36c3' reads it as a misspelling of their own."""
        typed = {fold(w): w for w in re.findall(r"[^\W_]+", self.text.lower())}
        return " ".join(typed.get(w, w) for w in words)

    @property
    def has_filters(self) -> bool:
        return bool(self.speaker or self.track or self.room or self.time or self.language)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for. A question that only says what to leave out ('Vorträge ohne KI') is not empty: it
        asks for what is on without those sessions."""
        return not self.words and not self.has_filters and not self.excluded

    @property
    def qualifiers(self) -> str:
        """What narrows the answer beside the topic and the time, as said back in a count:
        " in German", " without 'llms'"."""
        out = ""
        if self.language:
            out += f" in {SPOKEN.get(self.language, self.language)}"
        if self.excluded:
            out += f" without '{' '.join(self.excluded)}'"
        return out


def clean(text: str) -> tuple[str, bool]:
    """Control characters out, runs of space folded, cut to a stated length."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > MAX_QUERY_CHARS:
        return text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS], True
    return text, False


def _without_short_forms(raw: list[str]) -> list[str]:
    """'i'm' -> 'i', "don't" -> gone: what remains of a short form is a word of the sentence, never a topic."""
    out = []
    for word in raw:
        if _NEGATED.search(word):
            continue
        out.append(_CLITIC.sub("", word))
    return out


def plain(text: str) -> str:
    """Look-alike letters as the letters they stand for (NFKC: double-struck or full-width 'Rust' is 'Rust', the
    'fi' ligature is 'fi'), before anything reads the words: to the rest they are no letters at all. The question
    said back stays as typed."""
    return unicodedata.normalize("NFKC", text)


def parse(query: str, known: Known | None = None) -> ParsedQuery:
    """`known`: whether the catalog uses a word, so that a word of its own is never read as a slip of a time word
    ('tomorow' is 'tomorrow' unless the catalog says 'tomorow')."""
    text, truncated = clean(query)
    readable = plain(text)
    folded = fold(readable).replace("’", "'").replace("`", "'")
    room = ""
    room_match = next((m for m in _ROOM.finditer(folded) if not _names_no_room(m.group(1))), None)
    room_match = room_match or _ROOM_CODE.search(folded)
    if room_match:
        room = room_match.group(1).strip()
        folded = folded[: room_match.start()] + " " + folded[room_match.end() :]
    language, folded = language_filter(folded)
    lang = detect(readable)
    folded = strip_scaffolding(folded)
    raw = read_slips(_without_short_forms(_RAW_WORD.findall(folded)), time_and_kind_words(lang), known)
    umlauted = {fold(w) for w in re.findall(r"[^\W\d_]+", readable) if spelled(w)}
    german = german_function_words(raw, umlauted, lang)
    if lang == "de":
        raw = german_time_words(raw)
    ends_with_word = bool(raw) and not text.endswith((" ", "\t"))
    spec, used = parse_relative(raw)
    if spec is None:
        spec, used = _parse_time_keeping_meals(raw)
    words = [w for i, w in enumerate(raw) if i not in set(used)]
    filler = FILLER | GERMAN_FILLER if lang == "de" else FILLER
    words, excluded = split_negated(
        words,
        lambda w: w in filler or w in STOPWORDS,
        lambda w: w in filler or w in STOPWORDS or is_function_word(w, lang),
    )
    places = place_candidates(words)
    last_free = words[-1] if words and ends_with_word and (not used or max(used) < len(raw) - 1) else ""
    track, words = _track_intent(words, filler)
    speaker, words = _speaker_intent(words, lang)
    free = [w for w in words if w not in filler and w.removesuffix("'s") not in filler and not _misspelt_filler(w)]
    joined = set(_JOINED.findall(folded))
    alone = not (spec or speaker or track or room or language)
    free = _without_function_words(free, lang, joined, alone, german)
    return ParsedQuery(
        text=text,
        truncated=truncated,
        words=tuple(w.removesuffix("'s") for w in free),
        speaker=speaker,
        track=track,
        room=room,
        time=spec,
        prefix=bool(free) and free[-1] == last_free,
        lang=lang,
        language=language,
        places=places,
        spellings=tuple((fold(w), spelled(w)) for w in re.findall(r"[^\W\d_]+", readable) if spelled(w)),
        excluded=excluded,
    )


# A word written joined to another by a hyphen is part of a name ('local-first', 'how-to'), not of the sentence.
_JOINED = re.compile(r"(?<=-)[a-z]+|[a-z]+(?=-[a-z])")


def _without_function_words(
    free: list[str], lang: str, joined: set[str], alone: bool, german: frozenset[str] = frozenset()
) -> list[str]:
    """'into home automation should' -> 'home automation': the words that hold the sentence together are not
    searched beside the words that name something, nor beside a time ('ist morgen noch was'). Alone they stay:
    a title may be all such words. `german`: the German function words of a question said German otherwise."""
    named = [w for w in free if w in joined or not (is_function_word(w.removesuffix("'s"), lang) or w in german)]
    return named if named or not alone else free


_GERMAN_SPEAKER_WORDS = {"von": "by", "mit": "with"}


def german_as_english(text: str) -> str:
    """'was kommt als nächstes' -> 'next', 'was läuft jetzt' -> 'now': a German question in the English words of
    the commands, so it reaches the same command an English one does. '' when the question is not German.

    The same scaffolding and time words the search reads (bot.search.sentences), so nothing here lists questions.
    """
    cleaned = plain(clean(text)[0])
    if detect(cleaned) != "de":
        return ""
    raw = _RAW_WORD.findall(strip_scaffolding(fold(cleaned).replace("’", "'")))
    raw = german_time_words(read_slips(raw, time_and_kind_words("de")))
    return " ".join(_GERMAN_SPEAKER_WORDS.get(w, w) for w in raw if w not in GERMAN_FILLER)


# "lunch" is a time only with a word that says so ("at lunch", "after lunch"); "when is lunch" asks for the
# session called Lunch, and "lunch" alone may be part of a title.
_MEALS = frozenset({"lunch", "breakfast", "dinner"})
_MEAL_TIME_WORDS = frozenset({"at", "during", "over", "around", "after", "before", "by", "until", "till", "the"})


def _parse_time_keeping_meals(raw: list[str]) -> tuple[TimeSpec | None, list[int]]:
    kept = [
        f"{w}\x00" if w in _MEALS and (i == 0 or raw[i - 1] not in _MEAL_TIME_WORDS) else w for i, w in enumerate(raw)
    ]
    return parse_time(kept)


# Words after which a name may be a room: "in Janson", "im Saal 1", "at Ada".
PLACE_WORDS = frozenset({"in", "im", "at", "inside"})
MAX_ROOM_WORDS = 3  # 'Saal X 07', 'Hackertours Desk', 'Chaos Computer Music Club' is as long as they go


def place_candidates(words: list[str]) -> tuple[str, ...]:
    """Words that may name a room because they follow 'in'/'im'/'at': up to three words, longest first, so a room
    named in several words ('in Saal GLITCH', 'at Saal 1') is tried whole before its first word ('Saal')."""
    out = []
    for i, w in enumerate(words[:-1]):
        if w not in PLACE_WORDS:
            continue
        run: list[str] = []
        for nxt in words[i + 1 : i + 1 + MAX_ROOM_WORDS]:
            if nxt in FILLER or nxt in STOPWORDS:
                break
            run.append(nxt)
        out += [" ".join(run[:size]) for size in range(len(run), 0, -1)]
    return tuple(dict.fromkeys(out))


def hour_left(parsed: ParsedQuery, free: list[str]) -> TimeSpec | None:
    """'k.1.105 at 11', 'janson at 3': a bare number after 'at' is no time alone ('talks at 10 places'), but once a
    room took the question's other words and the number is all that is left, it is the hour, today."""
    if parsed.time is not None or len(free) != 1 or not free[0].isdigit():
        return None
    if not re.search(rf"\b(?:at|around|um)\s+{free[0]}\b", fold(parsed.text)):
        return None
    spec, _ = parse_time(["today", "at", free[0]])
    return spec if spec is not None and spec.clock is not None else None


# The words for talks themselves: long, and often typed in a hurry.
_LONG_FILLER = (
    "sessions session presentation presentations lecture lectures vortrag vortraege vortrage vortraegen vortragen "
    "veranstaltung veranstaltungen sitzung sitzungen"
).split()


def _misspelt_filler(word: str) -> bool:
    """'Vortäge', 'presentatons': a long way of saying 'talks', typed with one slip, is still filler."""
    if len(word) < 6 or is_everyday_word(word, "en") or is_everyday_word(word, "de"):
        return False  # 'lecturer', 'sessional' are words of their own
    from rapidfuzz.distance import OSA

    return any(abs(len(w) - len(word)) <= 1 and OSA.distance(word, w, score_cutoff=1) <= 1 for w in _LONG_FILLER)


def _names_no_room(word: str) -> bool:
    """'which room is the keynote in', 'the rust room right now': the word after 'room' holds the sentence
    together or says when; it names no room."""
    return word in FILLER or word in GERMAN_FILLER or word in _WHEN_WORDS or is_function_word(word, "en")


_WHEN_WORDS = frozenset(
    {"right", "now", "today", "tomorrow", "tonight", "currently", "later", "next", "heute", "morgen"}
)


def _track_intent(words: list[str], filler: frozenset[str] = FILLER) -> tuple[str, list[str]]:
    """'databases devroom', 'in the nix track', 'track rust', 'Vorträge im Track Ethics': the words that name a
    track (the language's filler ends them: 'im' before 'Track' is no track's name)."""
    for i, w in enumerate(words):
        if w not in TRACK_WORDS:
            continue
        before: list[str] = []
        j = i - 1
        while j >= 0 and words[j] not in filler:
            before.insert(0, words[j])
            j -= 1
        if before:
            return " ".join(before), words[: j + 1] + words[i + 1 :]
        after: list[str] = []
        k = i + 1
        while k < len(words) and words[k] not in filler:
            after.append(words[k])
            k += 1
        if after:
            return " ".join(after), words[:i] + words[k:]
    return "", words


def _speaker_intent(words: list[str], lang: str = "en") -> tuple[str, list[str]]:
    """'by X', "X's talks", 'who is X', 'what is X presenting', 'speaker X', 'talks from X'; in German 'von X'."""
    n = len(words)
    by = SPEAKER_PREPOSITIONS | GERMAN_SPEAKER_PREPOSITIONS if lang == "de" else SPEAKER_PREPOSITIONS
    for i, w in enumerate(words):
        if w in by and i + 1 < n:
            name = _name_run(words, i + 1)
            if name:
                return " ".join(name), words[:i] + words[i + 1 + len(name) :]
        if w == "who" and i + 2 < n and words[i + 1] in ("is", "are"):
            name = _name_run(words, i + 2)
            if name:
                return " ".join(name), words[:i] + words[i + 2 + len(name) :]
        if w.endswith("'s") and len(w) > 3 and i + 1 < n and words[i + 1] in ("talk", "talks", "session", "sessions"):
            start = i
            while start > 0 and words[start - 1] not in FILLER:
                start -= 1
            name = words[start:i] + [w.removesuffix("'s")]
            return " ".join(name), words[:start] + words[i + 1 :]
        if w in SPEAKER_VERBS and i > 0:
            start = i
            while start > 0 and words[start - 1] not in FILLER:
                start -= 1
            if start < i:
                return " ".join(words[start:i]), words[:start] + words[i + 1 :]
    return "", words


def _name_run(words: list[str], start: int) -> list[str]:
    run = []
    for w in words[start:]:
        if w in FILLER or w in SPEAKER_VERBS:
            break
        run.append(w.removesuffix("'s"))
    return run[:4]
