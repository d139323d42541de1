"""Language data kept ready to open: the detector's model and the word-frequency tables, unpacked once.

py3langid ships its model compressed (1.7 s to unpack and ~70 MB resident in every process) and wordfreq's
import and table take 0.4 s: together far more than the rest of a one-shot question. Unpacked once into a
cache folder, the detector's tables open as memory maps (only the states a question walks are read), narrowed
to the languages we tell apart, and the frequency tables load as plain JSON. The first process pays the
unpacking; when the cache cannot be written, the data is loaded the packaged way, with the same results.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("confbot.search")


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "confbot"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def _ready(name: str, fill: Callable[[Path], None]) -> Path | None:
    """The cache folder `name`, filled by `fill` under a temporary name and renamed; None if it cannot be."""
    final = cache_root() / name
    if final.is_dir():
        return final
    temporary = final.parent / f".tmp-{name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        temporary.mkdir(parents=True)
        fill(temporary)
        os.rename(temporary, final)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        if not final.is_dir():
            log.info("language data not cached (%s); loading it packed", exc)
            return None
    return final


def identifier(languages: tuple[str, ...]) -> Any:
    """py3langid's detector restricted to `languages`, from the unpacked cache when there is one."""
    import py3langid.langid as langid

    def fill(folder: Path) -> None:
        full = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
        full.set_languages(list(languages))
        np.save(folder / "ptc.npy", np.ascontiguousarray(full.nb_ptc))
        np.save(folder / "pc.npy", np.asarray(full.nb_pc))
        np.save(folder / "nextmove.npy", np.frombuffer(full.tk_nextmove, dtype=_dtype(full.tk_nextmove)))
        np.save(folder / "row.npy", np.asarray(full.tk_row, dtype=np.int64))
        np.save(folder / "output.npy", np.asarray(full.tk_output, dtype=np.int64))
        (folder / "classes.json").write_text(json.dumps(list(full.nb_classes)))

    folder = _ready(f"langid-{_version('py3langid')}-{'-'.join(languages)}", fill)
    if folder is None:
        found = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
        found.set_languages(list(languages))
        return found
    return langid.LanguageIdentifier(
        np.load(folder / "ptc.npy"),
        np.load(folder / "pc.npy"),
        json.loads((folder / "classes.json").read_text()),
        np.load(folder / "nextmove.npy", mmap_mode="r"),
        np.load(folder / "output.npy", mmap_mode="r"),
        tk_row=np.load(folder / "row.npy").tolist(),
    )


def _dtype(table: Any) -> str:
    return {2: "<u2", 4: "<u4", 8: "<u8"}[table.itemsize]


def frequencies(lang: str) -> dict[str, float]:
    """wordfreq's small table for a language (every word used at least once per million)."""

    def table() -> dict[str, float]:
        from wordfreq import get_frequency_dict

        found: dict[str, float] = get_frequency_dict(lang, wordlist="small")
        return found

    loaded: dict[str, float] = remembered(f"wordfreq-{_version('wordfreq')}-{lang}", table)
    return loaded


def remembered(name: str, compute: Callable[[], Any]) -> Any:
    """A table derived from packaged data (synonyms by stems), kept in the cache under a name that changes with
    its inputs; marshal reads plain dicts and tuples back in milliseconds and cannot run code."""
    import marshal

    path = cache_root() / f"{name}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = compute()
    temporary = path.parent / f".tmp-{path.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps(value))
        os.rename(temporary, path)
    except (OSError, ValueError) as exc:
        temporary.unlink(missing_ok=True)
        log.info("table %s not cached (%s)", name, exc)
    return value
