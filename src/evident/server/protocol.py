"""The HTTP/1.1 protocol the server runs: uvicorn's h11 one, with three guards.

- **Slow headers**: a connection that has not finished sending a request's headers
  within ``HEADER_TIMEOUT_S`` is closed (uvicorn only times out idle keep-alive
  connections, so a client trickling header bytes could hold a connection forever).
- **Slow bodies**: a request body must arrive within ``BODY_TIMEOUT_S`` plus one second
  for every ``BODY_MIN_RATE`` bytes received (Apache's ``mod_reqtimeout`` rule), else
  the connection is closed: a client whose Content-Length promises more than it sends,
  or that trickles a byte at a time, cannot hold a connection (and the handler waiting
  on its body) forever.
- **Huge headers**: a request line plus headers over ``MAX_HEADER_BYTES`` is answered
  ``431 Request Header Fields Too Large`` (uvicorn answers 400 and closes at once, which
  a client still sending sees as a connection reset); the rest of what it sends is read
  and dropped for a moment so the answer arrives before the connection closes.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from evident.server.problems import MEDIA_TYPE, problem_body

__all__ = [
    "BODY_MIN_RATE",
    "BODY_TIMEOUT_S",
    "HEADER_TIMEOUT_S",
    "MAX_HEADER_BYTES",
    "GuardedH11Protocol",
]

HEADER_TIMEOUT_S = 10.0
BODY_TIMEOUT_S = 20.0
BODY_MIN_RATE = 500  # bytes per second: a 1 MB body may take 20 s + 2000 s
MAX_HEADER_BYTES = 32 * 1024
_DRAIN_S = 0.5


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header and body deadlines and 431 for huge headers."""

    header_timeout_s = HEADER_TIMEOUT_S
    body_timeout_s = BODY_TIMEOUT_S
    body_min_rate = BODY_MIN_RATE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._dropping = False
        self._seen_request = False
        self._body_timer: asyncio.TimerHandle | None = None
        self._body_started = 0.0
        self._body_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_timer()
        self._cancel_body_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._dropping:
            return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._seen_request = True
            self._cancel_header_timer()  # the headers are complete
        elif self.conn.trailing_data[0]:
            self._arm_header_timer()  # a new request has begun: its headers get a deadline
        self._watch_body(len(data))

    def _arm_header_timer(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_late)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        unfinished = bool(self.conn.trailing_data[0]) or not self._seen_request
        if self.conn.their_state is h11.IDLE and unfinished and not self.transport.is_closing():
            # still no complete request line and headers (an idle keep-alive connection
            # is left to uvicorn's keep-alive timeout)
            self.transport.close()

    def _watch_body(self, received: int) -> None:
        """Start the body deadline when a body begins; stop it when the body is complete."""
        if self.conn.their_state is not h11.SEND_BODY:
            self._cancel_body_timer()
            return
        if self._body_timer is None:
            self._body_started, self._body_bytes = self.loop.time(), 0
            self._body_timer = self.loop.call_later(self.body_timeout_s, self._body_late)
        else:
            self._body_bytes += received

    def _cancel_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _body_late(self) -> None:
        self._body_timer = None
        if self.conn.their_state is not h11.SEND_BODY or self.transport.is_closing():
            return
        allowed = self.body_timeout_s + self._body_bytes / self.body_min_rate
        left = self._body_started + allowed - self.loop.time()
        if left > 0:  # enough has arrived to earn more time
            self._body_timer = self.loop.call_later(left, self._body_late)
        else:
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """Answer 431 when the headers were too long, else what uvicorn answers."""
        if len(self.conn.trailing_data[0]) <= MAX_HEADER_BYTES or self.conn.our_state in (
            h11.ERROR,
            h11.MUST_CLOSE,
            h11.CLOSED,
        ):
            super().send_400_response(msg)
            return
        body = json.dumps(
            problem_body(431, f"request headers are over the limit of {MAX_HEADER_BYTES} bytes")
        ).encode()
        headers = [
            (b"content-type", MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(
                status_code=431, headers=headers, reason=b"Request Header Fields Too Large"
            ),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self._cancel_header_timer()
        self._dropping = True
        self.loop.call_later(_DRAIN_S, self.transport.close)
