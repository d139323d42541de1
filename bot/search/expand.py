"""From the words of a question to clauses: each word or phrase with the alternatives that may stand for it.

The word as typed (or as spelled with its umlaut), its inflected forms, a typo correction when it is no word
of its own, a prefix completion for the word being typed, a long German compound as its parts, and the phrases
the synonym and concept table links it to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from bot.search.clauses import Alternative, Clause
from bot.search.forms import forms, known, split_compound
from bot.search.fuzzy import corrections
from bot.search.index import NAMING, NOT_SPEAKERS, SearchIndex
from bot.search.language import detect, everyday_weight, importance, is_everyday_word, stopwords
from bot.search.query import STOPWORDS, ParsedQuery
from bot.search.synonyms import SECTIONS, related
from bot.search.text import is_letter, letter_compound, stem, tokens, words
from catalog.model import Session


def build_clauses(index: SearchIndex, free: list[str], prefix: bool, parsed: ParsedQuery | None = None) -> list[Clause]:
    lang = parsed.lang if parsed else "en"
    spellings = dict(parsed.spellings) if parsed else {}
    words = _split_compounds(index, [w for w in free if w not in STOPWORDS] or free, lang)
    ix = index
    clauses: list[Clause] = []
    i = 0
    # 'talks on R', 'C programming', 'the R language': the letter is what is asked for, the other words only
    # say that it names a language.
    letter_asked = any(is_letter(w) for w in words) and all(is_letter(w) or stem(w) in _CONTEXT for w in words)
    while i < len(words):
        word = words[i]
        # A letter hyphenated or written apart to a word ('e-voting', 'e voting', 'x-ray') is one compound.
        compound = letter_compound(word)
        span = 1
        if compound is None and is_letter(word) and i + 1 < len(words):
            following = words[i + 1]
            if len(following) > 1 and following.isalpha() and stem(word + following) in ix.vocab:
                compound, span = (word + following, following), 2
        if compound is not None:
            clauses.append(_compound_clause(index, compound, lang, prefix and i + span == len(words)))
            i += span
            continue
        if is_letter(word):
            clauses.append(_letter_clause(index, word, alone=letter_asked))
            i += 1
            continue
        # A synonym phrase of up to three words becomes one clause with the other phrasings as alternatives.
        span = next(
            (n for n in (3, 2) if i + n <= len(words) and related(tuple(stem(w) for w in words[i : i + n]), lang)),
            1,
        )
        # Two words that the catalog writes joined ("libre office" / "libreoffice", "risc v") are one clause.
        if span == 1 and i + 1 < len(words) and stem(words[i] + words[i + 1]) in ix.vocab:
            span = 2
        group = tuple(words[i : i + span])
        clause = Clause(group, importance=max(importance(w, lang) for w in group))
        stems = tuple(stem(w) for w in group)
        if span == 1:
            _word_alternatives(index, clause, group[0], prefix and i == len(words) - 1, lang, spellings)
        else:
            lettered = any(is_letter(w) for w in group)
            # 'risc v': never the 'v' alone, so every word or none; the other words alone are on the topic.
            clause.alternatives.append(Alternative(stems, 1.0, require_all=lettered))
            joined = stem("".join(group))
            if joined in ix.vocab:
                clause.alternatives.append(Alternative((joined,), 1.0))
            if lettered:
                rest = tuple(stem(w) for w in group if not is_letter(w))
                if rest and all(t in ix.vocab for t in rest):
                    clause.alternatives.append(Alternative(rest, COMPOUND_PART, require_all=True, fields=NOT_SPEAKERS))
        # The table is looked up with a word as typed: 'Geräte' with its umlaut, not as the bare vowels spell it.
        _synonym_alternatives(index, clause, tuple(stem(spellings.get(w) or w) for w in group), lang, stems)
        clause.optional = letter_asked  # 'programming' beside 'C': a lift, not the topic
        clauses.append(clause)  # with no alternatives it counts against coverage: nothing matched this word
        i += span
    return clauses


def excluded_clause(index: SearchIndex, excluded: tuple[str, ...], lang: str) -> Clause:
    """'but not LLMs': the words, their forms and other names where a session is named (title, tags, track); the
    engine leaves out every session holding one (filters.named_by). An abstract that mentions them is no reason
    to leave a session out."""
    alternatives: list[Alternative] = []
    for word in excluded:
        found = [Alternative((stem(word),), 1.0)] + [
            a for a in _alternatives_of(index, word, False, lang, "") if a.kind in ("form", "typo")
        ]
        # Other names of the same thing only ('KI' for 'AI'), never the wider concepts: leaving out LLMs must not
        # leave out every AI talk, though AI talks are found for 'LLM'.
        found += [a for a in _synonyms_of(index, (stem(word),), lang, (stem(word),)) if a.kind == "synonym"]
        alternatives += [replace(a, fields=NAMING, note="") for a in found if all(t in index.vocab for t in a.terms)]
    return Clause(excluded, alternatives, optional=True, kind="excluded")


# Words beside which a lone letter names a language ('Programming in C', 'the R language', 'C compiler').
LETTER_CONTEXT = tuple(
    stem(w)
    for w in """programming programmer language code coding compiler interpreter library package packages
    statistic statistics scripting syntax runtime toolchain programmierung programmiersprache""".split()
)
_CONTEXT = frozenset(LETTER_CONTEXT)
COMPOUND_PART = 0.6  # 'voting' alone, for 'e-voting': on the topic, not the thing named
LONE_LETTER = 0.5  # a lone letter beside other words: a hint, never a requirement
LETTER_IN_ABSTRACT = 0.4
COMPLETION_SHARE = 4  # a longer word completes a catalog word only when at least a quarter as common
COMPLETED_WORD = 0.15  # the weight of a completion of a whole everyday word (0.6 for a beginning of one)


def _compound_clause(index: SearchIndex, compound: tuple[str, str], lang: str, is_prefix: bool) -> Clause:
    """'e-voting': the joined form ('evoting', as 'E-Voting', 'eVoting' and 'e voting' are indexed) and the word
    alone ('voting'); never the letter, and never the word as a part of someone's name."""
    joined, part = stem(compound[0]), stem(compound[1])
    typed = (compound[0][:1], compound[1])  # the letter and the word, however they were written
    clause = Clause(typed, importance=importance(compound[1], lang), kind="compound")
    if joined in index.vocab:
        clause.alternatives.append(Alternative((joined,), 1.0))
    else:  # 'e-vot' is how 'E-Voting' begins, and shares its stem: that word, not merely a completion
        for other in forms(index, joined, lang)[:6]:
            clause.alternatives.append(Alternative((other,), 0.9, note=index.surface.get(other, other), kind="form"))
    if part in index.vocab:
        clause.alternatives.append(Alternative((part,), COMPOUND_PART, fields=NOT_SPEAKERS))
    if not clause.alternatives:  # 'e-votign'
        for candidate, distance in corrections(index, joined):
            shown = index.surface.get(candidate, candidate)
            note = f"{compound[0][:1]}-{compound[1]} → {shown}"
            clause.alternatives.append(
                Alternative((candidate,), 0.85 if distance == 1 else 0.7, note=note, kind="typo")
            )
    if is_prefix:  # 'e-vot' being typed
        for completion in index.with_prefix(joined, 4):
            clause.alternatives.append(Alternative((completion,), 0.6))
        for completion in index.with_prefix(part, 4):
            clause.alternatives.append(Alternative((completion,), 0.6 * COMPOUND_PART, fields=NOT_SPEAKERS))
    _synonym_alternatives(index, clause, (joined,), lang, (joined,))
    # The word's own synonyms ('voting': 'election') count as the word alone does: on the topic.
    named = len(clause.alternatives)
    _synonym_alternatives(index, clause, (part,), lang, (part,))
    clause.alternatives[named:] = [replace(a, weight=a.weight * COMPOUND_PART) for a in clause.alternatives[named:]]
    return clause


def _letter_clause(index: SearchIndex, letter: str, alone: bool) -> Clause:
    """A lone letter names something only where things are named (titles, tracks, tags), and only as a word
    of its own (letters in 'M.A.R.S.' or 'b l a d e' are not indexed alone). Asked alone ('talks on R'), it
    is the question, lifted beside programming words and found in an abstract only beside them; beside
    other words ('C programming') it is an optional hint."""
    if not alone:
        alternatives = [Alternative((letter,), LONE_LETTER, fields=NAMING)]
        return Clause((letter,), alternatives, importance=LONE_LETTER, optional=True, kind="letter")
    alternatives = [Alternative((letter,), 1.0, fields=NAMING)]
    context = tuple(t for t in dict.fromkeys(LETTER_CONTEXT) if t in index.vocab)
    for term in context:
        alternatives.append(Alternative((letter, term), LETTER_IN_ABSTRACT, require_all=True, fields=NOT_SPEAKERS))
    return Clause((letter,), alternatives, kind="letter", context=context)


def _split_compounds(index: SearchIndex, words: list[str], lang: str) -> list[str]:
    """A long word the catalog does not know ('softwarelizenzen') is searched as its known parts."""
    out: list[str] = []
    for w in words:
        if letter_compound(w) or is_letter(w):
            out.append(w)
            continue
        term = stem(w)
        parts = [] if known(index, term, lang) or related((term,), lang) else split_compound(index, term, lang)
        out.extend(parts or [w])
    return out


def _synonym_alternatives(
    index: SearchIndex, clause: Clause, stems: tuple[str, ...], lang: str, typed: tuple[str, ...]
) -> None:
    key = ("synonyms", stems, lang, typed)
    clause.alternatives.extend(_remembered(index, key, lambda: _synonyms_of(index, stems, lang, typed)))


def _synonyms_of(index: SearchIndex, stems: tuple[str, ...], lang: str, typed: tuple[str, ...]) -> list[Alternative]:
    ix = index
    out: list[Alternative] = []
    seen: set[tuple[str, ...]] = set()
    for phrase, base in related(stems, lang):
        terms = tuple(_in_catalog(index, t, lang) for t in _join_letters(phrase))
        if not all(terms) or terms in seen or terms in (stems, typed):
            continue
        seen.add(terms)
        shown = " ".join(ix.surface.get(t, t) for t in terms)
        # A rarer synonym ("db" for "databases") must not outrank the words actually typed.
        weight = base * min(1.0, idf(index, stems) / idf(index, terms)) if all(t in ix.vocab for t in stems) else base
        kind = "synonym" if base >= SECTIONS["groups"] else "concept"
        out.append(Alternative(terms, weight, require_all=True, note=shown, kind=kind))
    return out


def _join_letters(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """('e', 'mail') -> ('email',): the index stores a letter compound joined, never its letter alone."""
    out: list[str] = []
    for t in phrase:
        if out and is_letter(out[-1]) and len(t) > 1:
            out[-1] = stem(out[-1] + t)
        else:
            out.append(t)
    return tuple(out)


def _in_catalog(index: SearchIndex, term: str, lang: str) -> str:
    """The term, or the catalog's most common form of it, or '' when the catalog has neither."""
    if term in index.vocab:
        return term
    found = forms(index, term, "en") or forms(index, term, lang)
    return max(found, key=index.df) if found else ""


def _remembered(
    index: SearchIndex, key: tuple[object, ...], make: Callable[[], list[Alternative]]
) -> list[Alternative]:
    """A word's alternatives, worked out once per index: the same words come back in question after question
    ('talks', 'security', 'rust'), and their forms, completions and synonyms cost more than scoring them."""
    found = index.expansions.get(key)
    if found is None:
        if len(index.expansions) > 20_000:
            index.expansions.clear()
        found = index.expansions[key] = make()
    return found


def _word_alternatives(
    index: SearchIndex, clause: Clause, word: str, is_prefix: bool, lang: str, spellings: dict[str, str]
) -> None:
    spelling = spellings.get(word, "")
    key = ("word", word, is_prefix, lang, spelling)
    clause.alternatives.extend(
        _remembered(index, key, lambda: _alternatives_of(index, word, is_prefix, lang, spelling))
    )


def _alternatives_of(index: SearchIndex, word: str, is_prefix: bool, lang: str, spelling: str) -> list[Alternative]:
    ix = index
    out: list[Alternative] = []
    term = stem(word)
    spelled = stem(spelling)
    if spelled and spelled in ix.vocab:
        term = spelled  # typed with its umlaut: that word, not the one its bare vowels spell ('Geräten')
    other_forms = forms(ix, term, lang)
    if term in ix.vocab:
        out.append(Alternative((term,), 1.0))
        out += _common_spellings(ix, word, term, lang)
        out += [Alternative((c,), 0.9, note=ix.surface.get(c, c), kind="form") for c in _german_compounds(ix, term)]
    elif not other_forms and not is_everyday_word(word, lang):
        for candidate, distance in corrections(ix, term):
            shown = ix.surface.get(candidate, candidate)
            weight = 0.85 if distance == 1 else 0.7
            out.append(Alternative((candidate,), weight, note=f"{word} → {shown}", kind="typo"))
            for compound in _german_compounds(ix, candidate):  # 'pyhton': 'Pythonkurs für Anfänger*innen'
                note = f"{word} → {ix.surface.get(compound, compound)}"
                out.append(Alternative((compound,), weight * 0.9, note=note, kind="typo"))
    for other in other_forms[:6]:
        shown = ix.surface.get(other, other)
        out.append(Alternative((other,), 0.9, note=shown, kind="form"))
    if is_prefix and len(word) >= 2:
        # A whole everyday word the catalog has ('fun', 'java', 'lunch') was most likely finished, not being typed:
        # its completions come after what it says ('fun' put the talks about funds above those for fun), though
        # still found ('lunch' finds 'Lunchtime talks').
        weight = COMPLETED_WORD if term in ix.vocab and is_everyday_word(word, lang) else 0.6
        # A word the catalog has is what was asked, unless a longer word starting with it is nearly as common
        # ('kube' -> 'kubernetes'); otherwise the rarest catalog words began to answer common ones ('first' ->
        # a speaker called 'Firstdorsal', 'into' -> 'intonal').
        least = ix.df(term) / COMPLETION_SHARE if term in ix.vocab else 0.0
        for completion in ix.with_prefix(term, 8):
            if (
                completion != term
                and completion not in other_forms
                and ix.df(completion) >= least
                and not _joined_pair(ix, completion, len(term))
            ):
                out.append(Alternative((completion,), weight))
    return out


# A word in this few sessions, and only in their abstracts, may be a typo the catalog itself made ('kuberntes'):
# a word one edit away in this many times as many sessions is what the person meant too.
RARE_SESSIONS = 2
MORE_COMMON = 5


def _common_spellings(index: SearchIndex, word: str, term: str, lang: str) -> list[Alternative]:
    """'kuberntes' is in one abstract of a catalog with six Kubernetes talks: both are searched, the common
    spelling as a typo correction. A real word ('tapping' beside 'mapping') or one that names a session is
    never read as a typo."""
    df = index.df(term)
    if df > RARE_SESSIONS or is_everyday_word(word, lang) or index.postings_in(term, NAMING)[0].size:
        return []
    out = []
    for candidate, distance in corrections(index, term, edits=1):
        if distance == 1 and index.df(candidate) >= MORE_COMMON * df:
            shown = index.surface.get(candidate, candidate)
            out.append(Alternative((candidate,), 0.85, note=f"{word} → {shown}", kind="typo"))
    return out


def _german_compounds(index: SearchIndex, term: str) -> list[str]:
    """Catalog words that are the word and a German one written together ('pythonkurs', 'rustvortrag'): they hold
    the word as surely as a title saying 'Python course'. English writes such words apart; a word that goes on
    as English ('javascript', 'database') is another word."""
    if len(term) < 3:
        return []
    out = []
    for completion in index.with_prefix(term, 8):
        rest = completion[len(term) :]
        if len(rest) >= 3 and is_everyday_word(rest, "de") and not is_everyday_word(rest, "en"):
            out.append(completion)
    return out


def _joined_pair(index: SearchIndex, term: str, typed: int) -> bool:
    """'securityand', 'rustconf': two catalog words written together (titles are indexed with each pair of words
    joined, so 'risc v' meets 'riscv'), not a longer word the person was typing."""
    return any(term[:cut] in index.vocab and term[cut:] in index.vocab for cut in range(max(2, typed), len(term) - 1))


def idf(index: SearchIndex, terms: tuple[str, ...]) -> float:
    """Mean inverse document frequency of some terms; an unknown term is as rare as can be."""
    n = max(1, index.stats_n)
    values = [float(np.log(1 + (n - df + 0.5) / (df + 0.5))) for df in (index.df(t) for t in terms)]
    return sum(values) / len(values) if values else 1.0


def similar_terms(index: SearchIndex, session: Session, count: int = 5) -> dict[str, float]:
    """The words that say what a session is about, with weights: tags fully, title words by how much they name
    a topic (used in other sessions' titles, tags or tracks, and rare in everyday language)."""
    lang = detect(session.title)
    weights: dict[str, float] = {}
    for tag in session.tags[:4]:
        for t in tokens(tag):
            if t in index.vocab and t not in STOPWORDS and index.df(t) > 1:
                weights[t] = 1.0
    for w in words(session.title):
        t = stem(w)
        if t in weights or t in STOPWORDS or t in stopwords(lang) or len(t) < 3 or t not in index.vocab:
            continue
        if index.df(t) <= 1 or not index.strong[index.vocab[t]]:
            continue
        weights[t] = everyday_weight(w, lang) * 0.8
    rare = len(index.docs) // 20 or 1  # beyond this, a word is common in the catalog: not distinctive
    ranked = sorted(weights, key=lambda t: -weights[t] * idf(index, (t,)) * (0.5 if index.df(t) > rare else 1.0))
    return {t: weights[t] for t in ranked[:count]}
