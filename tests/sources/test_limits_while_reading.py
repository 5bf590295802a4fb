"""Size limits are checked while reading, before the expensive work."""

from __future__ import annotations

import os
import threading

import pytest

from evident.errors import InputError
from evident.sources import read_source

LINE = b"Doctor: How is the knee?\nPatient: It hurts when I climb stairs.\n"


def test_a_large_file_is_refused_from_its_size(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: 50 MB without writing them
    with pytest.raises(InputError, match="50000000 bytes, over the limit of 2000000"):
        read_source(path)


@pytest.mark.parametrize(
    ("limit", "sent", "refused"), [(4096, 10_000_000, True), (10_000, 640, False)]
)
def test_a_pipe_is_cut_at_the_limit(tmp_path, limit, sent, refused):
    """A FIFO reports no size: the reader stops after limit + 1 bytes, not at the end."""
    fifo = tmp_path / "stream"
    os.mkfifo(fifo)
    written = 0

    def writer() -> None:
        nonlocal written
        data = (LINE * (sent // len(LINE) + 1))[:sent]
        try:
            with fifo.open("wb") as f:
                for i in range(0, len(data), 4096):
                    f.write(data[i : i + 4096])
                    f.flush()
                    written += len(data[i : i + 4096])
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        if refused:
            with pytest.raises(InputError, match=f"over the limit of {limit} bytes"):
                read_source(fifo, max_bytes=limit)
        else:
            assert len(read_source(fifo, max_bytes=limit).segments) == 20
    finally:
        thread.join(10)
    if refused:  # the writer was cut off long before it was done (pipe buffer aside)
        assert written < limit + 1_000_000
