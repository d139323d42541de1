"""Schedules carry HTML, entities and ragged whitespace; people read plain text in chat."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "hr",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
    ]
)
_SKIP_TAGS = frozenset({"script", "style"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS and tag != "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def clean(text: str) -> str:
    """A lone surrogate cannot be stored as UTF-8; it becomes the replacement character instead of a crash."""
    return _SURROGATE.sub("\ufffd", text) if text else text


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: str, limit: int = 80) -> str:
    """A value from a file inside a message: one line, no terminal escapes or direction tricks, and short."""
    text = " ".join(_UNPRINTABLE.sub(" ", clean(text)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def start_of(text: str, limit: int = 40) -> str:
    """What a person typed, said back: all of a short question, the first words of a long one ('rust rust rust
    …'). Said back whole, a pasted paragraph buried the answer, twice over when a hint repeated it."""
    text = shown(text, len(text) + 1)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[: limit - 1]
    return f"{cut} …"


def tidy(text: str) -> str:
    """Collapse runs of spaces, strip each line, keep at most one blank line between paragraphs."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def plain_text(value: str | None) -> str:
    """HTML or text in, readable plain text out; entities decoded, whitespace tidied."""
    if not value:
        return ""
    if _LOOKS_LIKE_HTML.search(value):
        parser = _TextExtractor()
        parser.feed(value)
        parser.close()
        return tidy("".join(parser.parts))
    return tidy(html.unescape(value))


def one_line(value: str | None) -> str:
    """For titles, names and rooms: plain text on a single line."""
    return " ".join(plain_text(value).split())


def counted(count: int, noun: str, many: str = "") -> str:
    """'1 session', '2 sessions', '1 clash' / '3 clashes' (many='clashes'): every count a person reads says it
    this way, so no reply ever says '1 sessions'."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\((https?://[^\s()]{1,500})\)")


def readable_links(text: str) -> str:
    """'[Tickets](https://…)' as 'Tickets (https://…)': many schedules write their abstracts in Markdown, which no
    chat shows as written, and a link's target stays visible rather than hidden behind words from a schedule."""
    return _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
