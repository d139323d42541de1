"""Greetings, thanks and questions about the bot itself: a short friendly answer, never a schedule search.

Only whole messages count ("hello", "thanks!", "what can you do?"), so "hello world talks" is still a search.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.messages import Reply

if TYPE_CHECKING:
    from bot.context import Context

_TAIL = r"(?:\s+(?:there|all|everyone|folks|confbot|bot|again|friend|so much|a lot|very much|mate))*[\s!.,:;)(?*~-]*"
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]")
GREETING = re.compile(
    r"^(?:hi+|hello+|hey+|hiya|howdy|yo|hallo|bonjour|hola|moin|salut|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|hey\s+there)" + _TAIL + "$"
)
THANKS = re.compile(
    r"^(?:thanks?(?:\s+you)?|thank\s+you|thx|ty|tyvm|cheers|merci|danke|gracias|much\s+appreciated"
    r"|(?:great|perfect|awesome|cool|nice|ok|okay),?\s+thanks?(?:\s+you)?)" + _TAIL + "$"
)
PRAISE = re.compile(
    r"^(?:(?:you(?:'re|\s+are|\s+re)|ur|u\s+r)\s+(?:so\s+|really\s+|very\s+)?(?:great|awesome|amazing|the\s+best|"
    r"helpful|cool|brilliant|nice|a\s+star|wonderful|fantastic|smart|lovely)|good\s+bot|nice\s+bot|great\s+bot|"
    r"love\s+(?:it|you|this)|great|awesome|perfect|nice|cool|wow|lovely|ok|okay|k|kk|got\s+it|sounds\s+good)"
    + _TAIL
    + "$"
)
BYE = re.compile(r"^(?:bye|goodbye|good\s+night|see\s+you(?:\s+later)?|cya|ciao|later)" + _TAIL + "$")
ABOUT_BOT = re.compile(
    r"^(?:what\s+can\s+(?:you|i)\s+(?:do|ask|say)(?:\s+(?:here|you))?|what\s+do\s+you\s+do|who\s+are\s+you|"
    r"what\s+are\s+you|how\s+does\s+(?:this|it)\s+work|how\s+do\s+i\s+use\s+(?:this|you|confbot)|"
    r"what\s+(?:commands|can\s+i\s+type)(?:\s+are\s+there)?|how\s+can\s+you\s+help(?:\s+me)?|help\s+me|"
    r"what\s+is\s+confbot|what's\s+confbot)" + _TAIL + "$"
)


def _examples(ctx: Context) -> str:
    scope = ctx.scope()
    about = f" about {scope.label}" if scope else ""
    return f"Ask me{about}: 'talks on rust', 'what's next', 'who is …', then 'remind 2'. 'help' lists the rest."


def answer(ctx: Context, text: str) -> Reply | None:
    """A reply for small talk, or None when the text is a question for the schedule."""
    said = " ".join(_EMOJI.sub(" ", text.lower().replace("’", "'")).split())
    if not said and text.strip():
        return Reply("🙂 " + _examples(ctx))
    if ABOUT_BOT.match(said):
        from bot.commands.help import help_

        return help_(ctx, "")
    if GREETING.match(said):
        return Reply("Hello! " + _examples(ctx))
    if THANKS.match(said):
        return Reply("You're welcome! Say 'agenda' to see what you saved, or ask me anything else.")
    if BYE.match(said):
        return Reply("Bye, enjoy the conference! Your reminders will still reach you.")
    if PRAISE.match(said):
        return Reply("Thank you! " + _examples(ctx))
    return None
