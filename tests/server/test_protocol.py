"""Slow and oversized headers: the connection is closed, or answered 431 (raw sockets)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from evident.server.protocol import MAX_HEADER_BYTES, GuardedH11Protocol


class QuickHeaders(GuardedH11Protocol):
    header_timeout_s = 0.5


async def _app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        _app,
        log_level="critical",
        lifespan="off",
        ws="none",
        http=QuickHeaders,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(10)
    sock.close()


def _read_all(conn: socket.socket, limit_s: float = 5.0) -> tuple[bytes, float]:
    conn.settimeout(limit_s)
    t0 = time.monotonic()
    data = b""
    try:
        while chunk := conn.recv(65536):
            data += chunk
    except TimeoutError:
        pass
    except ConnectionResetError:
        data += b"<reset>"
    return data, time.monotonic() - t0


@pytest.mark.parametrize(
    ("sent", "closed_by_server"),
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a", True),  # headers never finished
        (b"", True),  # nothing at all
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", False),  # complete: answered, kept alive
    ],
)
def test_unfinished_headers_are_cut_off(port, sent, closed_by_server):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(sent)
        data, took = _read_all(conn, limit_s=3.0)
    if closed_by_server:
        assert data == b"" and took < 2.5  # closed after the 0.5 s deadline
    else:
        assert data.startswith(b"HTTP/1.1 200")


def test_a_busy_keep_alive_connection_is_not_cut(port):
    """Requests one after another on one connection for longer than the deadline."""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.settimeout(3)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.5:  # three header deadlines
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while not data.endswith(b"0\r\n\r\n"):  # the chunked body's end
                chunk = conn.recv(4096)
                assert chunk, "the server closed a busy connection"
                data += chunk
            assert data.startswith(b"HTTP/1.1 200")
            time.sleep(0.2)


@pytest.mark.parametrize(("size", "status"), [(200_000, b"431"), (4_000, b"200")])
def test_huge_headers_get_431(port, size, status):
    request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * size + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port)) as conn:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.sendall(request)
        data, _ = _read_all(conn)
    assert data.split(b" ", 2)[1] == status, data[:200]
    if status == b"431":
        assert b"application/problem+json" in data and b"aaaa" not in data


class QuickBody(GuardedH11Protocol):
    body_timeout_s = 0.5
    body_min_rate = 10_000  # bytes per second once the first 0.5 s are over


async def _read_body_app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


@pytest.fixture(scope="module")
def body_port() -> Iterator[int]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        _read_body_app, log_level="critical", lifespan="off", ws="none", http=QuickBody
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.mark.parametrize(
    ("declared", "chunks", "pause_s", "answered"),
    [
        (1000, [b"x" * 10], 0.0, False),  # Content-Length lies: the rest never comes
        (1000, [b"x"] * 40, 0.1, False),  # one byte every 0.1 s: a slow-body attack
        (None, [b"x"] * 40, 0.1, False),  # the same, chunked with no length
        (1000, [b"x" * 1000], 0.0, True),  # complete at once
        (60_000, [b"x" * 5000] * 12, 0.1, True),  # 50 kB/s: longer than 0.5 s, still fine
    ],
)
def test_slow_or_unfinished_bodies_are_cut_off(body_port, declared, chunks, pause_s, answered):
    length = f"Content-Length: {declared}" if declared else "Transfer-Encoding: chunked"
    head = f"POST / HTTP/1.1\r\nHost: x\r\n{length}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", body_port)) as conn:
        conn.sendall(head)
        t0 = time.monotonic()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for chunk in chunks:
                conn.sendall(chunk if declared else b"%x\r\n%s\r\n" % (len(chunk), chunk))
                time.sleep(pause_s)
            if not declared:
                conn.sendall(b"0\r\n\r\n")
        data, _ = _read_all(conn, limit_s=3.0)
        took = time.monotonic() - t0
    if answered:
        assert data.startswith(b"HTTP/1.1 200") and str(len(b"".join(chunks))).encode() in data
    else:  # closed soon after the deadline, not left waiting (the read gives up at 3 s)
        assert not data.startswith(b"HTTP/1.1 200") and took < 2.0, (data[:100], took)
