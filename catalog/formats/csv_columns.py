"""Which column of a spreadsheet holds what: header names in English, German, French and Spanish, or the
person's own mapping (--column FIELD=HEADER), since organisers name their columns however they like."""

from __future__ import annotations

import re
import unicodedata

from catalog.errors import CatalogError
from catalog.text import shown

# Header names seen in the wild for each field; matched after folding case, accents, spaces and punctuation.
# Earlier names win, so "name" is a session's title only when no column says "title" (then it is the speaker).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "session id", "sessionid", "uid", "code", "talk id", "key"),
    "title": (
        "title",
        "session title",
        "session name",
        "talk title",
        "talk name",
        "titel",
        "titre",
        "titulo",
        "name",
        "session",
        "talk",
        "summary",
        "vortrag",
        "charla",
    ),
    "subtitle": ("subtitle", "untertitel", "sous titre", "subtitulo"),
    "track": ("track", "tracks", "category", "stream", "theme", "themenbereich", "podcast", "show", "series"),
    "speakers": (
        "speakers",
        "speaker",
        "presenters",
        "presenter",
        "authors",
        "author",
        "persons",
        "referent",
        "referenten",
        "referentin",
        "sprecher",
        "vortragende",
        "teilnehmer",
        "intervenant",
        "intervenants",
        "orateur",
        "orateurs",
        "conferencier",
        "conferenciers",
        "ponente",
        "ponentes",
        "orador",
        "oradores",
        "name",
    ),
    "start": (
        "start",
        "starts at",
        "start time",
        "time start",
        "begin",
        "beginn",
        "anfang",
        "from",
        "dtstart",
        "starts",
        "debut",
        "heure de debut",
        "inicio",
        "hora de inicio",
        "time",
        "uhrzeit",
        "heure",
        "hora",
    ),
    "end": (
        "end",
        "ends at",
        "end time",
        "time end",
        "until",
        "to",
        "dtend",
        "ends",
        "ende",
        "bis",
        "fin",
        "heure de fin",
        "hora de fin",
    ),
    "date": ("date", "day", "datum", "tag", "jour", "fecha", "dia"),
    "duration": ("duration", "length", "minutes", "dauer", "duree", "duracion"),
    "room": ("room", "location", "where", "venue", "stage", "hall", "raum", "saal", "ort", "salle", "lieu", "sala"),
    "abstract": (
        "abstract",
        "description",
        "details",
        "synopsis",
        "beschreibung",
        "zusammenfassung",
        "resume",
        "descripcion",
        "resumen",
    ),
    "tags": ("tags", "keywords", "topics", "labels", "schlagworte", "mots cles", "etiquetas"),
    "level": ("level", "audience level", "difficulty", "niveau", "nivel"),
    "type": ("type", "format", "session type", "kind", "typ", "art", "tipo"),
    "language": ("language", "lang", "sprache", "langue", "idioma"),
    "url": ("url", "link", "website"),
    "companies": (
        "companies",
        "company",
        "organisations",
        "organizations",
        "affiliation",
        "firma",
        "entreprise",
        "empresa",
    ),
    "state": ("state", "status", "estado", "statut"),
}
FIELDS = tuple(f for f in ALIASES if f != "state")


def fold(header: str) -> str:
    """'Título ', 'TITLE' and 'title:' are one name; accents are dropped so 'Début' matches 'debut'."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", plain.casefold()).strip()


def listing(headers: list[str]) -> str:
    text = ", ".join(shown(h, 40) for h in headers[:12])
    return text + (f" and {len(headers) - 12} more" if len(headers) > 12 else "")


def column_map(headers: list[str], overrides: tuple[tuple[str, str], ...], where: str) -> dict[str, int]:
    folded = [fold(h) for h in headers]
    mapping: dict[str, int] = {}
    for field, header in overrides:
        if field not in ALIASES:
            raise CatalogError(f"{where}: unknown field {field!r} in column mapping; fields are {', '.join(FIELDS)}")
        if fold(header) not in folded:
            raise CatalogError(f"{where}: no column named {header!r} (columns: {listing(headers)})")
        mapping[field] = folded.index(fold(header))
    for field, names in ALIASES.items():
        if field in mapping:
            continue
        for name in names:
            if name in folded and folded.index(name) not in mapping.values():
                mapping[field] = folded.index(name)
                break
    if "title" not in mapping:
        raise CatalogError(
            f"{where}: CSV without a title column; name one with --column title=HEADER (columns: {listing(headers)})"
        )
    return mapping
