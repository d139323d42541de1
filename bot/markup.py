"""Chat markup out of a question before it is understood: mentions, channel links, links, custom emoji,
HTML-ish tags, and the greeting and the bot's name a person puts in front of a question.

'@channel what is next' asks what is next; searching 'channel' (or 'here', or a user id) finds nothing anyone
wanted. Both platforms' forms are read here, in the core, because the console and tests type them too and a
question pasted from one platform into another carries them along. A channel link goes whole: '<#C1|general>
what's next' is said in or about a channel, and 'general' is never what the schedule is searched for. A link
keeps its text and loses its address ('[rust](http://x.example)' -> 'rust'): an address's words are never
search words. 'hey @confbot what's next' asks what's next. Nothing here is ever echoed back: what is left is
plain words.

Formatting pasted from Slack or Discord goes the same way, keeping what it wrapped: '**about 1**' picks the
first of a list (it searched '1' and found 123 sessions), and `*bold*`, `**bold**`, `_italic_`, `__underline__`,
`~strike~`, `~~strike~~`, `` `code` ``, ```` ```blocks``` ````, `> quote` and `||spoiler||` are read alike. A
mark counts only where it opens and closes around words, so 'snake_case', 'C++', 'c#', '*nix' and 'node.js'
stay words.
"""

from __future__ import annotations

import re

# Slack: <!here>, <!channel>, <!everyone>, <!subteam^ID|@team>, <!date^…|text>, <@U123>, <@U123|name>;
# Discord: <@123>, <@!123>, <@&123>, <#123>, <:emoji:123>, <a:emoji:123>, <t:1700000000:R>.
_MENTION = re.compile(r"<(?:![^>]*|@[!&]?[A-Za-z0-9]+(?:\|[^>]*)?|#\d+|a?:[A-Za-z0-9_~]+:\d+|t:\d+(?::[A-Za-z])?)>")
# Slack's channel link, with its name or not: <#C123|general>, <#C123>.
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|[^>]*)?>")
# Markdown's link: [text](address) -> text.
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(\s*[^)\s]*\s*\)")
# A greeting in front of a question: 'hey, what's next', 'hi @confbot talks on rust', 'moin was läuft jetzt'.
# Followed only by words it stays ('hello world talks' is a search), unless those open a question or a command.
_GREETING = r"(?:hey+|hi+|hello+|hallo+|moin|servus|hiya|howdy|yo)"
_OPENING = (
    r"(?:what|what's|whats|when|where|who|which|how|is|are|any|anything|can|could|show|find|search|talks?|"
    r"remind|next|now|today|tomorrow|agenda|help|was|wann|wo|wer|welche|gibt|zeig|zeige|erinnere|merke|bitte|please)"
)
# The bot addressed by name in a typed line (a platform's own mention is one of _MENTION's forms).
BOT_NAME = "confbot"
_ADDRESS = re.compile(
    rf"(?:(?<=\s)|^)@{BOT_NAME}\b[,:!]?|^{BOT_NAME}\s*[,:!]\s*|^{BOT_NAME}\s+(?={_OPENING}\b)", re.IGNORECASE
)
_GREETED = re.compile(rf"^{_GREETING}(?:\s+{BOT_NAME}\b)?(?:\s*[,!.:;]+\s*|\s+(?={_OPENING}\b))(?=\S)", re.IGNORECASE)
# Slack's links: <https://x|label> -> label, <https://x> -> the address, <mailto:a@b|a@b> -> a@b.
_LINK = re.compile(r"<((?:https?|mailto|tel):[^|>\s]*)(?:\|([^>]*))?>")
_BROADCAST = re.compile(r"(?<![\w@])@(?:here|channel|everyone|all)\b", re.IGNORECASE)
# A script or a style says nothing about the question: all of it goes.
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
# <b>, </b>, <br/>, <a href=…>: the tag goes, what it wrapped stays.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Formatting around words: the marks open after a space or a bracket and close before one, never inside a word.
_FENCE = re.compile(r"```(?:[A-Za-z0-9+#-]*\n)?(.*?)```", re.DOTALL)  # a block, and its language ('```rust\n')
_INLINE = re.compile(r"`([^`]+)`")
_SPOILER = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*_~])(\*{1,3}|_{1,3}|~{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*_~]|\.\w)", re.DOTALL)
_QUOTE = re.compile(r"^[ \t]*>{1,3}[ \t]?", re.MULTILINE)  # '> ' in Slack and Discord, '>>> ' for the rest
_FORMATTING = "*_~`|>"
# Slack sends '<', '>' and '&' typed by a person as entities.
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def without_markup(text: str) -> str:
    """The question as its words alone; a line with no markup comes back unchanged.

    A line that is nothing but a greeting and the bot's name ('hey @confbot') is kept as typed: it is small talk.
    """
    if not any(mark in text for mark in "<@&[" + _FORMATTING) and not _addressed(text):
        return text
    for entity, char in _ENTITIES:  # first, so a mention typed as text is dropped like a real one
        text = text.replace(entity, char)
    text = unformatted(text)
    text = _CHANNEL.sub(" ", text)
    text = _LINK.sub(lambda m: f" {m.group(2) or m.group(1)} ", text)
    text = _MARKDOWN_LINK.sub(lambda m: f" {m.group(1)} ", text)
    text = _MENTION.sub(" ", text)
    text = _BROADCAST.sub(" ", text)
    text = _TAG.sub(" ", _CODE.sub(" ", text))
    return _unaddressed(" ".join(text.split()))


def unformatted(text: str) -> str:
    """The words without the formatting around them; a line with none comes back unchanged."""
    if not any(mark in text for mark in _FORMATTING):
        return text
    text = _QUOTE.sub("", text)
    text = _FENCE.sub(lambda m: f" {m.group(1)} ", text)
    text = _INLINE.sub(lambda m: m.group(1), text)
    for _ in range(3):  # '***both***', '**_both_**', '||**hidden**||': marks inside marks
        marked = _EMPHASIS.sub(lambda m: m.group(2), _SPOILER.sub(lambda m: m.group(1), text))
        if marked == text:
            break
        text = marked
    return text


def _addressed(text: str) -> bool:
    """Cheap first look: might the line open with a greeting or the bot's name?"""
    first = text.lstrip()[:1].lower()
    return first in "hmsyc" and bool(_GREETED.match(text.lstrip()) or _ADDRESS.search(text.lstrip()))


def _unaddressed(text: str) -> str:
    """Without a leading greeting and the bot's name, unless nothing else is left."""
    rest = text
    for _ in range(2):  # 'hey @confbot, …' and '@confbot hey, …' alike
        rest = " ".join(_ADDRESS.sub(" ", rest).split())
        rest = _GREETED.sub("", rest).strip()
    return rest if rest.strip(" ,!.:;?") else text
