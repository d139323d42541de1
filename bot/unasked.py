"""'yes' or 'no' when nothing was asked: a short answer with what the person may have wanted, never a search.

A search for 'no' finds hundreds of abstracts with the word in it; a 'yes' that confirms nothing should say so.
"""

from __future__ import annotations

from bot.messages import Reply
from bot.references import is_no, is_yes, said

_GERMAN = frozenset({"ja", "jawohl", "jo", "klar", "ja bitte", "gerne", "nein", "nee", "lieber nicht", "abbrechen"})


def answer(text: str) -> Reply | None:
    """A reply to a yes or a no with no question waiting; None for anything else."""
    yes, no = is_yes(text), is_no(text)
    if not (yes or no):
        return None
    if said(text) in _GERMAN:
        if yes:
            return Reply(
                "Ich habe gerade nichts gefragt, worauf ein Ja passt. Sag 'meine agenda' für deine gespeicherten "
                "Vorträge, 'nächste' für das, was als Nächstes beginnt, oder such etwas, z. B. 'rust'."
            )
        return Reply("Es wartete nichts auf ein Nein, also bleibt alles, wie es war. 'hilfe' zeigt, was ich kann.")
    if yes:
        return Reply(
            "There's nothing waiting for a yes: I haven't asked you anything just now. Say 'agenda' for what you "
            "saved, 'next' for what starts next, or search, e.g. 'talks on rust'."
        )
    return Reply(
        "There was nothing to say no to, so nothing changed. Say 'agenda' to see what you saved, then "
        "'forget <number>' to drop one, or 'help'."
    )
