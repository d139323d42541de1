"""Questions typed as sentences, in English or German, with paraphrases: the topic is found, not the filler."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.search.engine import SearchEngine
from bot.search.query import parse
from tests.conftest import FIXTURES, CliRunner
from tests.fakes import build_core

NOW = datetime.fromisoformat("2026-12-27T09:00:00+01:00")


def first(engine: SearchEngine, query: str, now: datetime = NOW) -> str:
    hits = engine.search(query, now=now).hits
    assert hits, query
    return hits[0].session.id


def ids(engine: SearchEngine, query: str, now: datetime = NOW, limit: int = 5) -> list[str]:
    return [h.session.id for h in engine.search(query, now=now, limit=limit).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is there anything on how to get started with ham radio?", "10"),
        ("I'd love to hear about fuzzing", "8"),
        ("tell me about e-voting", "9"),
        ("who is talking about software licensing?", "15"),
    ],
)
def test_question_scaffolding_is_not_searched(sprachcon: SearchEngine, query: str, expected: str) -> None:
    assert first(sprachcon, query) == expected


def test_everyday_words_of_a_sentence_weigh_less_than_its_topic(sprachcon: SearchEngine) -> None:
    # "Get started with Nix" shares 'get', 'started' and 'anything' with the question; the topic is ham radio.
    assert ids(sprachcon, "is there anything to get started with amateur radio?")[0] == "10"
    assert "17" not in ids(sprachcon, "is there anything to get started with amateur radio?", limit=1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("was gibt es zu Datenschutz?", "2"),
        ("gibt es was zum Thema Quantencomputer?", "5"),
        ("wer redet über Quantencomputern?", "5"),  # another form of the word
        ("Vorträge über Sicherheitslücken", "4"),  # plural meets singular
        ("Vorträge über Softwarelizenzen", "15"),  # a compound as its parts, reaching an English talk
    ],
)
def test_german_questions(sprachcon: SearchEngine, query: str, expected: str) -> None:
    assert first(sprachcon, query) == expected


def test_german_function_words_are_not_topics() -> None:
    assert parse("was gibt es zu Überwachung?").words == ("uberwachung",)
    assert parse("gibt es was zum Thema Barrierefreiheit?").words == ("barrierefreiheit",)
    assert parse("was gibt es zu Überwachung?").lang == "de"
    # "more about" / "any more on": asking for more, not a topic of its own
    assert parse("mehr über Überwachung").words == ("uberwachung",)
    assert parse("gibt es noch was zu Barrierefreiheit?").words == ("barrierefreiheit",)


def test_umlauts_keep_words_apart_yet_forgive_bare_vowels(sprachcon: SearchEngine) -> None:
    typed_with_umlaut = ids(sprachcon, "Geräten")
    assert typed_with_umlaut[0] == "6" and "7" not in typed_with_umlaut  # 'Geräten' is not 'geraten'
    assert set(ids(sprachcon, "geraten")) >= {"6", "7"}  # typed without the umlaut, both are candidates
    assert first(sprachcon, "Geraeten") == "6"  # the transliterated spelling


def test_german_question_reaches_english_talk_through_a_concept(sprachcon: SearchEngine) -> None:
    found = sprachcon.search("Vorträge über Datenschutz", now=NOW).hits
    assert {"2", "3"} <= {h.session.id for h in found[:2]}
    english = next(h for h in found if h.session.id == "3")
    assert any(w.startswith("about: privacy") for w in english.why)  # the link shows in the reasons


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("throwing random inputs at programs to find crashes", "8"),
        ("casting ballots over the internet", "9"),
        ("making web pages load faster", "16"),
    ],
)
def test_paraphrases_find_the_topic(sprachcon: SearchEngine, query: str, expected: str) -> None:
    hit = sprachcon.search(query, now=NOW).hits[0]
    assert hit.session.id == expected
    assert any(w.startswith(("about: ", "synonym: ")) for w in hit.why)


def test_learned_expansion_finds_sessions_without_the_words_asked(sprachcon: SearchEngine) -> None:
    hits = sprachcon.search("backups of servers", now=NOW).hits
    assert [h.session.id for h in hits[:2]] == ["18", "19"]
    learned = next(h for h in hits if h.session.id == "20")  # shares only 'Borgmatic' with the best answers
    assert "related: borgmatic" in learned.why
    assert learned.score < hits[1].score
    assert not any(w.startswith("related: ") for h in hits[:2] for w in h.why)  # direct matches: their own words


def test_a_single_word_means_exactly_that_word(sprachcon: SearchEngine) -> None:
    assert ids(sprachcon, "borgmatic") == ["18", "19", "20"]
    assert ids(sprachcon, "backup") == ["18", "19"]  # no learned expansion for a name or a single topic word


def test_a_misspelt_word_for_talks_is_still_filler() -> None:
    assert parse("Vortäge über Datenschutz").words == ("datenschutz",)
    assert parse("presentatons on rust").words == ("rust",)
    assert parse("lecturer").words == ("lecturer",)  # a word of its own


def test_a_real_word_is_not_read_as_a_typo_of_another(sprachcon: SearchEngine) -> None:
    for hit in sprachcon.search("phone tapping", now=NOW).hits:
        assert not any("tapping → mapping" in w for w in hit.why)
    misspelt = sprachcon.search("borgmatik", now=NOW).hits  # no word of its own: still read as a typo
    assert misspelt and any("borgmatik → borgmatic" in w for w in misspelt[0].why)


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("German talks", "de"),
        ("talks in English", "en"),
        ("Vorträge auf Deutsch", "de"),
        ("englischsprachige Vorträge", "en"),
    ],
)
def test_the_language_of_talks_is_a_filter_not_a_topic(sprachcon: SearchEngine, query: str, language: str) -> None:
    result = sprachcon.search(query, now=NOW, limit=50)
    assert result.query.language == language and not result.query.words
    assert result.hits
    for hit in result.hits:
        assert hit.session.language in (language, "")


def test_language_filter_detects_sessions_without_a_language_field(sprachcon: SearchEngine) -> None:
    german = ids(sprachcon, "German talks about Überwachung", limit=10)
    assert "22" in german  # no language in the catalog: read from its title and abstract
    assert "22" not in ids(sprachcon, "English talks about Überwachung", limit=10)


def test_a_language_nobody_speaks_there_says_what_the_schedule_lists(tmp_path: Path) -> None:
    """FOSDEM lists every talk as English: 'German talks' finding nothing says so, rather than only 'nothing'."""
    core = build_core(tmp_path, "2026-03-28T09:00:00+01:00")  # SearchCon: every session's language is 'en'
    reply = core.ask("German talks tomorrow")
    assert not reply.cards
    assert reply.text == (
        "Nothing found for 'talks in German' tomorrow. The schedule lists no talk in German, only in English."
    )
    assert "guessed" not in core.ask("English talks").text + " ".join(core.ask("English talks").notes)


def test_a_schedule_without_languages_says_they_are_guessed(cli: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert cli("import", FIXTURES / "mini.csv", "--timezone", "UTC", "--db", db).code == 0  # no language column
    answer = cli("search", "Dutch talks", "--db", db, "--json")
    message = json.loads(answer.out)["message"]
    assert message.startswith("Nothing found for 'talks in Dutch'.")
    assert message.endswith(
        "This schedule does not say which language talks are in: I guessed from titles and abstracts."
    )


def test_a_slot_too_short_to_tell_its_language_takes_its_conference_s() -> None:
    """DebConf's 'Dinner' slots were 'German talks' (a detector reads one word either way); with too few words to
    go by, a session is in the language most of its conference is written in."""
    from catalog.model import Conference, Session

    conf = Conference(slug="shortcon", title="ShortCon")
    at = datetime.fromisoformat("2026-12-27T12:00:00+01:00")
    talks = [
        Session(id=str(n), title=title, abstract=abstract, start=at, end=at)
        for n, (title, abstract) in enumerate(
            [
                ("Dinner", ""),
                ("Packaging Rust crates for Debian", "How the team packages crates, and what we learnt on the way."),
                ("Reproducible builds in 2026", "Where we are with reproducible builds and what is still missing."),
                ("Wie wir Pakete bauen", "Ein Vortrag über den Bau von Paketen und die Werkzeuge, die wir nutzen."),
            ]
        )
    ]
    engine = SearchEngine([conf], {"shortcon": talks})
    assert [h.session.title for h in engine.search("German talks", now=NOW).hits] == ["Wie wir Pakete bauen"]
    assert "Dinner" in [h.session.title for h in engine.search("English talks", now=NOW).hits]


def test_short_forms_of_english_are_not_topics() -> None:
    """ "I'm new to open hardware" searched 'm new open hardware start': what is left of a short form is no topic."""
    assert parse("I'm new to open hardware, where should I start?").words == ("new", "open", "hardware", "start")
    assert parse("we're looking for talks on ham radio").words == ("ham", "radio")
    assert parse("don't miss the rust talks").words == ("miss", "rust")
    assert parse("c't magazine").words == ("c", "t", "magazine")  # a letter pair still spells its word


def test_a_long_question_is_said_back_short(sprachcon: SearchEngine) -> None:
    result = sprachcon.search("zq" * 150, now=NOW)
    assert not result.hits and len(result.message) < 200 and "…" in result.message


@pytest.mark.parametrize(
    ("question", "words", "room", "track"),
    [
        ("which room is the keynote in", ("keynote",), "", ""),  # 'room is' named a room called 'is'
        ("what's happening in the rust room right now", ("rust",), "", ""),  # and 'room right' one called 'right'
        ("when does the rust talk start?", ("rust",), "", ""),  # 'start' found abstracts saying 'started'
        ("wann fängt der Vortrag über Fuzzing an?", ("fuzzing",), "", ""),
        ("Vorträge im Track Ethics, Society & Politics morgen", (), "", "ethics society politics"),  # not 'vortrage im'
        ("talks in room K.4.201", (), "k.4.201", ""),
    ],
)
def test_the_words_that_ask_are_not_the_topic(question: str, words: tuple[str, ...], room: str, track: str) -> None:
    parsed = parse(question)
    assert (parsed.words, parsed.room, parsed.track) == (words, room, track)
