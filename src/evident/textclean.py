"""Characters that hide inside text: removed by the sources stage, looked through by PHI
detection.

Text copied out of an EHR, a word processor or a terminal carries characters that render
as nothing (zero-width spaces, soft hyphens, bidi marks, a byte-order mark mid-file) and
control codes (a bell, ANSI colour sequences). Inside a word they hide it from every
lexicon: "ibu<ZWSP>profen" is no drug and "Jo<ZWSP>hn" no name.
"""

from __future__ import annotations

import re

__all__ = ["HIDDEN", "strip_hidden", "visible_view"]

#: Format characters that render as nothing, C0/C1 control characters other than tab and
#: the line breaks (which ``str.splitlines`` honours), and ANSI escape sequences whole.
HIDDEN = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]"
    r"|[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def strip_hidden(text: str) -> str:
    """``text`` without the characters of :data:`HIDDEN`."""
    return HIDDEN.sub("", text)


def visible_view(text: str) -> tuple[str, list[int]] | None:
    """``text`` without hidden characters, and where each kept character was.

    Returns:
        None when nothing is hidden; else the visible text and, for each of its
        characters and one past its end, the offset in ``text`` (so a span ``[s, e)`` of
        the view is ``[where[s], where[e - 1] + 1)`` of the original).
    """
    if not HIDDEN.search(text):
        return None
    kept: list[str] = []
    where: list[int] = []
    last = 0
    for m in HIDDEN.finditer(text):
        kept.append(text[last : m.start()])
        where.extend(range(last, m.start()))
        last = m.end()
    kept.append(text[last:])
    where.extend(range(last, len(text) + 1))
    return "".join(kept), where
