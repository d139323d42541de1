"""Which link targets a reply may carry: a web address and nothing else.

Checked where links are rendered (Slack mrkdwn, Discord embeds, the calendar file, the console), whatever an
importer did before: a session may come from an older store or another path, and one bad URL must neither ping
a channel (`<!channel|…>`), nor run script (`javascript:`), nor make a platform refuse the whole message.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

MAX_URL = 2048  # Discord refuses longer embed URLs; no schedule link needs more
# Whitespace, controls and the characters Slack, Discord or iCalendar read as their own markup.
_UNSAFE = re.compile(r"[\s<>|\"`\\^{}\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")


def web_url(url: str) -> str:
    """The address, non-ASCII characters percent-encoded, when it is http(s) with a host; otherwise ''."""
    if not url or len(url) > MAX_URL or _UNSAFE.search(url):
        return ""
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:  # a bad port or IPv6 literal
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok:
        return ""
    if not parts.netloc.isascii():
        return ""  # a look-alike host name is how links deceive; real schedules use their ASCII form
    if parts.username is not None or parts.password is not None:
        return ""  # "https://slack.com@evil.example" reads as one site and goes to another
    if not url.isascii():
        url = "".join(c if c.isascii() else quote(c, safe="") for c in url)
    return url if len(url) <= MAX_URL else ""
