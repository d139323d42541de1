"""'AI but not LLMs', 'Rust ohne Embedded': the words a question asks to leave out.

A word after a negation is the opposite of a topic: searched as a topic, 'talks about AI but not LLMs' put the
LLM talks first. The negation words are English and German ways of saying 'leave out'; what follows them, up to
the next word of the sentence, is what to leave out.
"""

from __future__ import annotations

from collections.abc import Callable

# Folded, as the question's words are ('außer' -> 'ausser'). 'no' is left out: 'no code', 'no-std' are topics.
NEGATIONS = frozenset(
    """not without except excluding excluded besides nicht ohne kein keine keinen keiner keinem ausser
    ausgenommen""".split()
)
MAX_EXCLUDED = 3  # 'not machine learning ops': a name of a few words, never the rest of the sentence


def split_negated(
    words: list[str], is_filler: Callable[[str], bool], is_sentence_word: Callable[[str], bool]
) -> tuple[list[str], tuple[str, ...]]:
    """(the words to search, the words to leave out): 'ai but not llms' -> (['ai', 'but'], ('llms',)).

    Filler between the negation and its object is skipped ('not about LLMs', 'ohne die KI'); any other word of
    the sentence there makes it no negation of a topic ('the not so smart proxy war' is a title). The object
    ends at the next word of the sentence or negation.
    """
    kept: list[str] = []
    excluded: list[str] = []
    i = 0
    while i < len(words):
        if words[i] not in NEGATIONS:
            kept.append(words[i])
            i += 1
            continue
        j = i + 1
        while j < len(words) and is_filler(words[j]) and words[j] not in NEGATIONS:
            j += 1
        k = j
        while k < len(words) and k - j < MAX_EXCLUDED and not is_sentence_word(words[k]) and words[k] not in NEGATIONS:
            k += 1
        if k == j:  # 'not' with nothing after it to leave out: the word stays a word of the sentence
            kept.append(words[i])
            i += 1
            continue
        excluded += words[j:k]
        i = k
    return kept, tuple(dict.fromkeys(excluded))
