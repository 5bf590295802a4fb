"""De-identify large inputs in bounded memory: chunks on line boundaries, with context.

Each chunk is scanned together with a few lines before and after it, so a span that
crosses a chunk edge is found exactly as it would be in the whole text; each span is
emitted once, by the chunk it starts in. Memory is bounded by the chunk size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from evident.privacy.detect import Detector, known_values
from evident.privacy.operators import Operator, transform
from evident.privacy.spans import PhiSpan

__all__ = ["deidentify_stream"]


def _blocks(lines: Iterable[str], chunk_chars: int) -> Iterator[list[str]]:
    block: list[str] = []
    size = 0
    for line in lines:
        block.append(line)
        size += len(line)
        if size >= chunk_chars:
            yield block
            block, size = [], 0
    if block:
        yield block


def deidentify_stream(
    lines: Iterable[str],
    detector: Detector,
    operator: Operator,
    *,
    chunk_chars: int = 1 << 16,
    context_lines: int = 3,
) -> Iterator[tuple[str, list[PhiSpan]]]:
    """Transform a text given as lines, chunk by chunk.

    Args:
        lines: The input's lines with their line ends (a text file object works).
        detector: Finds the PHI.
        operator: Replaces it (a Redactor or Surrogator).
        chunk_chars: Characters per chunk (chunks end on a line boundary).
        context_lines: Lines of context scanned before and after each chunk.

    Yields:
        Pieces of the transformed text, in order, each with the spans it replaced (offsets
        into the ORIGINAL input). Values found in earlier chunks are looked for in the
        later ones (document-level consistency, forward only: one pass).
    """
    known: dict[str, str] = {}
    blocks = _blocks(lines, chunk_chars)
    current = next(blocks, None)
    before: list[str] = []
    start = 0  # absolute offset of the current block
    emitted = 0  # absolute offset up to which output was produced
    while current is not None:
        upcoming = next(blocks, None)
        after = upcoming[:context_lines] if upcoming else []
        head = "".join(before)
        body = "".join(current)
        window = head + body + "".join(after)
        origin = start - len(head)
        end = start + len(body)
        found = detector.detect(window, known)
        known.update(known_values(found))
        spans = [s.shifted(origin) for s in found if emitted <= s.start + origin < end]
        stop = max([end, *(s.end for s in spans)])
        piece = window[emitted - origin : stop - origin]
        done = transform(piece, [s.shifted(-emitted) for s in spans], operator)
        yield done.text, spans
        emitted = stop
        before = list(chain(before, current))[-context_lines:] if context_lines else []
        start = end
        current = upcoming
