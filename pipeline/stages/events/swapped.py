"""PETRARCH-2 ``[:code]`` entries: an action done TO the sentence's subject.

"Kenya faced pressure from the United States", "Iran came under attack from Iraqi forces",
"Serbia received an invitation from France": the verb's subject undergoes the action the
code names, and the actor after the verb phrase did it. The converter marks those entries
``swap`` (``devtools/convert_petrarch_verbs.py``); the coder then codes the actor after the
verb as the source and the subject as the target, and only when that actor is named as the
doer: by the agent preposition right before it ("from", "by", "of") or inside the pattern
itself. "Kenya faced pressure over Somalia" names no doer, so it codes nothing, and so does
"Kenya faced pressure" (who pressed is not said).
"""

from __future__ import annotations

import re

# "pressure from the United States", "attack by Iraqi forces", "the backing of Germany"
_AGENT_PP = re.compile(r"\b(?:from|by|of)\s+(?:the\s+)?$")


def agent_named(norm: str, pattern_end: int, actor_start: int) -> bool:
    """Whether the actor at *actor_start* is the doer of a ``[:code]`` pattern ending at
    *pattern_end*: inside the pattern, or the object of an agent preposition right there
    (ending the pattern or between it and the actor, with at most an article besides)."""
    if actor_start < pattern_end:
        return True
    gap = norm[pattern_end:actor_start]
    # the preposition may end the pattern itself ("SUPPORT (FROM)": "got support from")
    return len(gap.split()) <= 2 and bool(
        _AGENT_PP.search(norm, max(0, pattern_end - 5), actor_start)
    )
