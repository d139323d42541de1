"""A line as a command is read: without the punctuation people end (or break up) a spoken question with.

'what's next?', 'what's next ?', 'my agenda!', 'help?' and 'what's… next' ask what their words ask. Read with the
marks, they were no command at all and went to search, which answered '157 sessions next' or searched '?'.
Marks inside a word stay ('K.4.201', 'C++', 'fosdem-2026:8376'), and so does a line of nothing but marks ('?' is
'help').
"""

from __future__ import annotations

import re

# Question and exclamation marks and ellipses anywhere; a full stop, comma or colon only where it ends a word.
_MARKS = re.compile(r"[?!¿¡…‽]+|\.{2,}|[.,;:](?=\s|$)")


def unpunctuated(text: str) -> str:
    """The line without sentence punctuation, one space between words; the line itself when nothing else is left."""
    bare = " ".join(_MARKS.sub(" ", text).split())
    return bare or text
