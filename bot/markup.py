"""Chat markup out of a question before it is understood: mentions, channel links, custom emoji, HTML-ish tags.

'@channel what is next' asks what is next; searching 'channel' (or 'here', or a user id) finds nothing anyone
wanted. Both platforms' forms are read here, in the core, because the console and tests type them too and a
question pasted from one platform into another carries them along. A channel link keeps its name
('<#C1|rust-devroom>' -> 'rust-devroom'), which may well be what is asked about. Nothing here is ever echoed back:
what is left is plain words.
"""

from __future__ import annotations

import re

# Slack: <!here>, <!channel>, <!everyone>, <!subteam^ID|@team>, <!date^…|text>, <@U123>, <@U123|name>;
# Discord: <@123>, <@!123>, <@&123>, <#123>, <:emoji:123>, <a:emoji:123>, <t:1700000000:R>.
_MENTION = re.compile(r"<(?:![^>]*|@[!&]?[A-Za-z0-9]+(?:\|[^>]*)?|#\d+|a?:[A-Za-z0-9_~]+:\d+|t:\d+(?::[A-Za-z])?)>")
# Slack's channel link with its name: <#C123|general> -> general; <#C123> alone has none.
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
# Slack's links: <https://x|label> -> label, <https://x> -> the address, <mailto:a@b|a@b> -> a@b.
_LINK = re.compile(r"<((?:https?|mailto|tel):[^|>\s]*)(?:\|([^>]*))?>")
_BROADCAST = re.compile(r"(?<![\w@])@(?:here|channel|everyone|all)\b", re.IGNORECASE)
# A script or a style says nothing about the question: all of it goes.
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
# <b>, </b>, <br/>, <a href=…>: the tag goes, what it wrapped stays.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Slack sends '<', '>' and '&' typed by a person as entities.
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def without_markup(text: str) -> str:
    """The question as its words alone; a line with no markup comes back unchanged."""
    if "<" not in text and "@" not in text and "&" not in text:
        return text
    for entity, char in _ENTITIES:  # first, so a mention typed as text is dropped like a real one
        text = text.replace(entity, char)
    text = _CHANNEL.sub(lambda m: f" {m.group(1) or ''} ", text)
    text = _LINK.sub(lambda m: f" {m.group(2) or m.group(1)} ", text)
    text = _MENTION.sub(" ", text)
    text = _BROADCAST.sub(" ", text)
    text = _TAG.sub(" ", _CODE.sub(" ", text))
    return " ".join(text.split())
