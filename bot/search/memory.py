"""Large temporary arrays reused instead of mapped afresh for every question.

A question makes a few dozen float arrays of one value per session (800 kB at 100,000 sessions). glibc serves
each from a fresh memory map and returns it on free, so every array pays its page faults again: in a process
that opened a small saved index, that tripled the time of the vectorised scoring (a process that built a big
index in memory had grown its heap, and glibc's moving threshold hid the cost). Raising the threshold keeps
such arrays in the heap, where freed ones are reused; trimming waits until far more is free.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

log = logging.getLogger("confbot.search")
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_done = False


def reuse_large_arrays() -> None:
    """Once per process; a no-op where the C library is not glibc."""
    global _done
    if _done:
        return
    _done = True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    if not (mallopt(_M_MMAP_THRESHOLD, 32 << 20) and mallopt(_M_TRIM_THRESHOLD, 128 << 20)):
        log.debug("malloc thresholds left as they were")


def settle() -> None:
    """Large tables just read on first need (a conference's facts, the typo vocabulary, speaker names) are kept for
    the life of the index: moved out of the collector's reach, as the index itself is when a bot opens it.

    Python's full collection walks every container it tracks, on whichever question happens to allocate at that
    moment: at 100k sessions, with the tables a few hundred questions had read, 20 to 50 ms, several times per
    500 questions. Freezing costs nothing per object; the youngest garbage is collected first."""
    gc.collect(0)
    gc.freeze()
