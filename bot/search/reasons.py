"""Why a session matched, in words a person reads: "speaker: …", "track: …", "title", "abstract mentions …".

Computed only for the sessions shown, from the field bits stored beside each posting: nothing is re-read.
"""

from __future__ import annotations

import numpy as np

from bot.search.clauses import Alternative, Clause
from bot.search.filters import part_fits
from bot.search.index import FIELDS, SearchIndex
from bot.search.query import ParsedQuery
from bot.search.slips import slips
from bot.search.text import fold, stem, tokens, words
from catalog.model import Session

# Alternatives wider than the word asked, and how a reason names them.
WIDER = {"concept": "about", "related": "related"}


def page_masks(index: SearchIndex, page: np.ndarray, clauses: list[Clause]) -> list[dict[str, int]]:
    """For each session shown, which fields hold each query term: one vectorised look-up per term."""
    wanted = {t for clause in clauses for alt in clause.alternatives for t in alt.terms}
    per_doc: list[dict[str, int]] = [{} for _ in range(page.size)]
    for term in wanted:
        for k, mask in enumerate(index.field_masks(page, term).tolist()):
            if mask:
                per_doc[k][term] = mask
    return per_doc


def why(index: SearchIndex, doc: int, clauses: list[Clause], parsed: ParsedQuery, masks: dict[str, int]) -> list[str]:
    reasons: list[str] = []
    session = index.docs[doc].session
    fields: dict[str, set[str]] = {name: set() for name in FIELDS}
    for term, mask in masks.items():
        for bit, name in enumerate(FIELDS):
            if mask >> bit & 1:
                fields[name].add(term)
    read = speaker_corrections(parsed.speaker, session) if parsed.speaker and session.speakers else None
    if read is not None:
        reasons.append("speaker: " + ", ".join(session.speaker_names))
        reasons += read
    if parsed.track and session.track:
        reasons.append(f"track: {session.track}")
    if parsed.room and session.room:
        reasons.append(f"room: {session.room}")
    found = set(masks)
    for clause in clauses:
        # The alternative that explains the match best: the word asked (or a form, mending or synonym of it)
        # beats a wider concept wherever each was found, as in the ranking; then one found in a title, track,
        # tag or name beats one only mentioned in the abstract, whichever came first in the query.
        explained: list[list[str]] = []
        as_typed = [a for a in clause.alternatives if a.kind not in WIDER]
        for alt in [*as_typed, *(a for a in clause.alternatives if a.kind in WIDER)]:
            # An alternative bound to some fields explains only what it found there.
            # A lone letter is explained by where the letter stands, not by the words that lifted it.
            terms = alt.terms[:1] if clause.kind == "letter" else alt.terms
            present = [t for t in terms if t in found and (not alt.fields or masks[t] & alt.fields)]
            if alt.require_all and clause.kind != "letter" and len(present) < len(terms):
                continue  # 'IT security' did not match a session that only says 'it'
            if present:
                if explained and alt.kind in WIDER:
                    break  # the word asked was found: a concept does not explain the session better
                explained.append(field_reasons(index, session, fields, present, clause, alt))
                if not _only_abstract(explained[-1]):
                    break  # the first one found outside the abstract is the best: the others need not be worded
        if explained:
            best: list[str] = min(explained, key=_only_abstract)
            reasons.extend(r for r in best if not (r.startswith("abstract mentions") and _wider(best)))
    if parsed.time:
        reasons.append(f"time: {parsed.time.label}")
    return list(dict.fromkeys(reasons)) or ["matches"]


def speaker_corrections(asked: str, session: Session) -> list[str] | None:
    """'who is konarik' answered with Jan Kolarik says it read the name so: a person is never swapped silently.

    None when a word asked is no part of a speaker's name within the typo rule: the session was found by its
    other words ('thorsten' of 'thorsten leemhuis', a topic), and is not said to be by the person asked about."""
    named = {fold(part): part for name in session.speaker_names for part in name.split()}
    out = []
    for word in words(asked):
        if word in named or any(word in words(part) for part in named.values()):
            continue
        fitting = [part for part in named if part_fits(word, part)]
        if not fitting:
            return None
        out.append(f"read '{word} → {named[min(fitting, key=lambda part: slips(word, part))]}'")
    return out


def _wider(found: list[str]) -> bool:
    return found[-1].split(":")[0] in WIDER.values()


def _only_abstract(found: list[str]) -> bool:
    return bool(found) and found[0].startswith("abstract mentions")


def field_reasons(
    index: SearchIndex,
    session: Session,
    fields: dict[str, set[str]],
    present: list[str],
    clause: Clause,
    alt: Alternative,
) -> list[str]:
    out = []
    hit = set(present)
    if alt.fields:  # an alternative that may only match some fields is explained by those
        fields = {name: terms if alt.fields >> bit & 1 else set() for bit, (name, terms) in enumerate(fields.items())}
    if hit & fields["speakers"]:
        names = [n for n in session.speaker_names if hit & set(tokens(n))] or list(session.speaker_names)
        out.append("speaker: " + ", ".join(names))
    if hit & fields["title"] or hit & fields["subtitle"]:
        out.append("title")
    if hit & fields["track"]:
        out.append(f"track: {session.track}")
    if hit & fields["tags"]:
        tags = [t for t in session.tags if hit & (set(tokens(t)) | {stem("".join(tokens(t)))})]
        out.append("tags: " + ", ".join(tags or session.tags))
    if not out and hit & fields["abstract"]:
        rarest = min(present, key=index.df)  # 'security', not the 'it' of 'IT security' that every abstract has
        word = index.surface.get(rarest, rarest)
        word = word.upper() if len(word) == 1 else word
        out.append(f"abstract mentions '{word}'")
    if not out:
        for name in ("room", "type", "companies"):
            if hit & fields[name]:
                out.append(name)
    if not out and session.track:
        out.append(f"track: {session.track} (on the topic)")
    if alt.kind == "typo" or (alt.note and "→" in alt.note):
        out.append(f"read '{alt.note}'")
    elif alt.kind == "form":
        out.append(f"word form: {alt.note}")
    elif alt.kind in WIDER:
        # Found through a wider concept or a learned word: 'title' would claim the word asked is there.
        return [*(r for r in out if r.startswith("abstract mentions")), f"{WIDER[alt.kind]}: {alt.note}"]
    elif alt.note:
        out.append(f"synonym: {alt.note}")
    return out
