"""'7 sessions match at other times or places': how to see them, and the words that then show them.

A count with no way to see what it counts leaves the person to guess the question that would: the topic alone,
without the time or the room. So the answer offers it, and the next message can take it up ('show them', 'yes',
'any time', 'zeig sie').
"""

from __future__ import annotations

from bot.context import Context
from bot.dialogue import Question
from bot.search.engine import SearchResult

SHOW_THEM = frozenset(
    {
        "show them",
        "show it",
        "show me it",
        "show me them",
        "show them to me",
        "show me",
        "show those",
        "show me those",
        "which ones",
        "which are they",
        "any time",
        "anytime",
        "at any time",
        "anywhere",
        "any time or place",
        "zeig sie",
        "zeig sie mir",
        "zeige sie",
        "zeige sie mir",
        "zeig mal",
        "welche",
        "welche sind das",
        "jederzeit",
        "egal wann",
    }
)


def offer(ctx: Context, result: SearchResult) -> str:
    """The sentence that says how to see the sessions found at other times or places ('' if none are), and the
    question it asks, which the next message answers."""
    parsed = result.query
    topic = parsed.as_typed(list(dict.fromkeys(parsed.words)))
    if not result.unfiltered or not topic:
        return ""
    question = f"{topic} at {ctx.asked}" if ctx.asked else topic
    ctx.memory.ask(ctx.person, Question(yes=question, also=SHOW_THEM, no="OK."))
    return "Say 'show them' to see them." if result.unfiltered > 1 else "Say 'show it' to see it."
