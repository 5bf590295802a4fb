"""A scripted OpenAI-compatible chat-completions server for tests (standard library only).

It runs as a **separate process** on 127.0.0.1, so clients talk to it over real HTTP
exactly as they would to vLLM, Ollama or llama.cpp's server. Replies come from a script.

From pytest::

    from tests.support.openai_server import start_server

    def test_retry():
        script = [
            {"status": 429, "headers": {"Retry-After": "0"}},
            {"content": '{"answer": "yes"}', "usage": {"prompt_tokens": 5}},
        ]
        with start_server(script) as server:
            client = openai.OpenAI(base_url=server.base_url, api_key="x")
            ...
            assert len(server.requests) == 2          # read back over HTTP
            assert server.requests[0]["body"]["model"] == "m"

From a shell::

    python -m tests.support.openai_server --script script.json --port 0
    # prints the port on the first line of stdout, then serves until killed

Script
------
Either a JSON list of replies, consumed in order, or an object::

    {
      "replies": [ ...reply, consumed in order... ],
      "rules": [ {"match": "regex", ...reply}, ... ],
      "default": { ...reply used when nothing else applies... },
      "handler": "package.module:function",
      "models": ["m1", "m2"],
      "unsupported_response_formats": ["json_schema", "json_object+schema"],
      "response_format_reply": {"status": 500}
    }

For each ``POST /v1/chat/completions`` the server answers with, in this order: a refusal
if the request's ``response_format`` is listed in ``unsupported_response_formats``
(nothing is consumed); the next unconsumed reply of
``replies``; the first rule whose ``match`` regex is found (``re.search``) in the last
user message (``"on": "any"`` searches all messages joined by newlines, ``"on":
"system"`` the system messages); ``handler(body) -> reply dict`` (imported in the server
process; the repository root is on ``sys.path``); ``default``; else HTTP 500 "script
exhausted".

``unsupported_response_formats`` lists ``response_format.type`` values
(``json_schema``, ``json_object``, ...); ``json_object+schema`` refuses only a
``json_object`` that carries a ``schema`` (llama.cpp's shape), while ``json_object``
refuses both. The refusal is ``response_format_reply`` (a reply, below), by default
``{"status": 400}``; its ``error`` message, unless given, names ``response_format`` and the
refused type, like vLLM's and OpenAI's (``{"status": 500}`` imitates llama-cpp-python;
a ``body`` gives any other error shape).

A reply is a JSON object with these optional keys:

- ``status`` (default 200). Non-200 replies get an OpenAI-style error body
  ``{"error": {"message", "type", "code"}}`` built from ``error`` (a message string)
  unless ``body`` is given.
- ``content``: the assistant message text; or ``json``: any value, serialised as the text.
- ``echo``: true answers with the last user message.
- ``delay``: seconds to sleep before answering (longer than the client timeout to test
  timeouts).
- ``headers``: extra response headers (``{"Retry-After": "0"}``).
- ``usage``: ``{"prompt_tokens", "completion_tokens"}``; missing counts are the number of
  whitespace-separated words of the prompt and of the content.
- ``model``: the model name to report (default: the request's model).
- ``finish_reason`` (default ``"stop"``).
- ``body``: a raw JSON body sent as is (overrides everything above but ``status``).
- ``raw``: a body sent byte for byte (the string encoded as Latin-1, so ``"\\u00ff"``
  is the byte 0xFF: not UTF-8), with ``content_type`` (default ``application/json``);
  overrides ``body``.
- ``drop``: true closes the connection without any answer (a connection error).

``GET /v1/models`` lists ``models`` (default ``["scripted-model"]``).

Admin endpoints (not part of the OpenAI API): ``GET /_admin/requests`` returns the log
of every request as a JSON list of ``{"method", "path", "headers", "body", "status",
"time"}`` (``time``: arrival, seconds since the epoch);
``POST /_admin/script`` replaces the script (body = a script) and clears the log;
``POST /_admin/reset`` clears the log only.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["ScriptedServer", "main", "start_server"]

_REPO_ROOT = Path(__file__).resolve().parents[2]
_LOGGED_HEADERS = ("authorization", "api-key", "content-type", "user-agent")


def _normalise(script: Any) -> dict[str, Any]:
    if isinstance(script, list):
        script = {"replies": script}
    if not isinstance(script, dict):
        raise ValueError("script must be a JSON list of replies or an object")
    unknown = set(script) - {
        "replies",
        "rules",
        "default",
        "handler",
        "models",
        "unsupported_response_formats",
        "response_format_reply",
    }
    if unknown:
        raise ValueError(f"unknown script keys: {sorted(unknown)}")
    return {
        "replies": list(script.get("replies", [])),
        "rules": list(script.get("rules", [])),
        "default": script.get("default"),
        "handler": script.get("handler"),
        "models": list(script.get("models", ["scripted-model"])),
        "unsupported_response_formats": list(script.get("unsupported_response_formats", [])),
        "response_format_reply": dict(script.get("response_format_reply") or {}),
    }


def _load_handler(path: str | None) -> Callable[[dict[str, Any]], dict[str, Any] | None] | None:
    if not path:
        return None
    module, _, name = path.partition(":")
    if str(_REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(_REPO_ROOT))
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


class _State:
    """The script and the request log, shared by the handler threads."""

    def __init__(self, script: Any) -> None:
        self.lock = threading.Lock()
        self.load(script)

    def load(self, script: Any) -> None:
        script = _normalise(script)
        with self.lock:
            self.script = script
            self.handler = _load_handler(script["handler"])
            self.log: list[dict[str, Any]] = []

    def choose(self, body: dict[str, Any]) -> dict[str, Any]:
        messages = body.get("messages") or []
        response_format = body.get("response_format") or {}
        fmt = response_format.get("type")
        with self.lock:
            refused = self.script["unsupported_response_formats"]
            if fmt and (
                fmt in refused or ("schema" in response_format and f"{fmt}+schema" in refused)
            ):
                reply = dict(self.script["response_format_reply"])
                reply.setdefault("status", 400)
                reply.setdefault(
                    "error", f"response_format type '{fmt}' is not supported by this server"
                )
                return reply
            if self.script["replies"]:
                return dict(self.script["replies"].pop(0))
            rules = list(self.script["rules"])
            handler = self.handler
            default = self.script["default"]
        for rule in rules:
            if re.search(rule["match"], _rule_text(messages, rule.get("on", "user"))):
                return {k: v for k, v in rule.items() if k not in ("match", "on")}
        if handler is not None:
            reply = handler(body)
            if reply is not None:
                return reply
        if default is not None:
            return dict(default)
        return {"status": 500, "error": "script exhausted"}


def _rule_text(messages: list[dict[str, Any]], on: str) -> str:
    if on == "any":
        return "\n".join(_text(m.get("content")) for m in messages)
    role = "system" if on == "system" else "user"
    texts = [_text(m.get("content")) for m in messages if m.get("role") == role]
    if role == "system":
        return "\n".join(texts)
    return texts[-1] if texts else ""


def _completion(body: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
    messages = body.get("messages") or []
    if reply.get("echo"):
        content = _rule_text(messages, "user")
    elif "json" in reply:
        content = json.dumps(reply["json"])
    else:
        content = str(reply.get("content", ""))
    prompt_words = sum(len(_text(m.get("content")).split()) for m in messages)
    usage = {"prompt_tokens": prompt_words, "completion_tokens": len(content.split())}
    usage.update(reply.get("usage") or {})
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    return {
        "id": f"chatcmpl-scripted-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": reply.get("model") or body.get("model") or "scripted-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": reply.get("finish_reason", "stop"),
            }
        ],
        "usage": usage,
    }


class _Handler(BaseHTTPRequestHandler):
    server_version = "ScriptedOpenAI/1.0"
    protocol_version = "HTTP/1.1"
    state: _State  # set on the subclass built by serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return {"_unparsed": raw.decode("utf-8", "replace")}

    def _send_bytes(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, str(value))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, str(value))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def _record(self, body: Any, status: int) -> None:
        headers = {k.lower(): v for k, v in self.headers.items() if k.lower() in _LOGGED_HEADERS}
        entry = {"method": self.command, "path": self.path, "headers": headers, "body": body}
        entry["status"] = status
        entry["time"] = time.time()  # arrival, for tests of pacing across clients
        with self.state.lock:
            self.state.log.append(entry)

    def do_GET(self) -> None:
        path = self.path.split("?")[0].rstrip("/")
        if path == "/_admin/requests":
            with self.state.lock:
                log = list(self.state.log)
            self._send(200, log)
        elif path.endswith("/models"):
            self._record(None, 200)
            data = [{"id": m, "object": "model", "owned_by": "scripted"} for m in self._models()]
            self._send(200, {"object": "list", "data": data})
        else:
            self._send(404, {"error": {"message": f"no route {path}", "type": "not_found"}})

    def _models(self) -> list[str]:
        with self.state.lock:
            return list(self.state.script["models"])

    def do_POST(self) -> None:
        path = self.path.split("?")[0].rstrip("/")
        body = self._read_body()
        if path == "/_admin/script":
            try:
                self.state.load(body)
            except (ValueError, ImportError, AttributeError) as exc:
                self._send(400, {"error": str(exc)})
                return
            self._send(200, {"ok": True})
        elif path == "/_admin/reset":
            with self.state.lock:
                self.state.log.clear()
            self._send(200, {"ok": True})
        elif path.endswith("/chat/completions"):
            self._chat(body if isinstance(body, dict) else {})
        else:
            self._record(body, 404)
            self._send(404, {"error": {"message": f"no route {path}", "type": "not_found"}})

    def _chat(self, body: dict[str, Any]) -> None:
        reply = self.state.choose(body)
        status = int(reply.get("status", 200))
        self._record(body, 0 if reply.get("drop") else status)
        if reply.get("delay"):
            time.sleep(float(reply["delay"]))
        if reply.get("drop"):
            self.close_connection = True
            self.connection.close()
            return
        if "raw" in reply:
            data = str(reply["raw"]).encode("latin-1")
            headers = {"Content-Type": reply.get("content_type", "application/json")}
            self._send_bytes(status, data, {**headers, **(reply.get("headers") or {})})
            return
        if "body" in reply:
            payload = reply["body"]
        elif status == 200:
            payload = _completion(body, reply)
        else:
            message = reply.get("error") or f"scripted error {status}"
            payload = {"error": {"message": message, "type": "scripted", "code": status}}
        if body.get("stream") and status == 200 and "body" not in reply:
            self._stream(payload, reply.get("headers"))
            return
        self._send(status, payload, reply.get("headers"))

    def _stream(self, completion: dict[str, Any], headers: dict[str, str] | None) -> None:
        choice = completion["choices"][0]
        chunk = {
            "id": completion["id"],
            "object": "chat.completion.chunk",
            "created": completion["created"],
            "model": completion["model"],
            "choices": [
                {"index": 0, "delta": choice["message"], "finish_reason": choice["finish_reason"]}
            ],
            "usage": completion["usage"],
        }
        data = f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.end_headers()
        self.wfile.write(data)


def serve(script: Any, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Build (not start) a server for a script; ``server.server_port`` is the bound port."""
    handler = type("ScriptedHandler", (_Handler,), {"state": _State(script)})
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True
    return httpd


class ScriptedServer:
    """A running scripted server process, as returned by :func:`start_server`.

    Attributes:
        port: The TCP port on 127.0.0.1.
        base_url: ``http://127.0.0.1:PORT/v1`` (what an OpenAI client takes).
        process: The server's ``subprocess.Popen``.
    """

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.url}/v1"

    def _admin(self, path: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        method = "GET" if data is None else "POST"
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every request the server received so far (read back over HTTP)."""
        return self._admin("/_admin/requests")  # type: ignore[no-any-return]

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """The bodies of the chat-completions requests received so far."""
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def set_script(self, script: Any) -> None:
        """Replace the script and clear the request log."""
        self._admin("/_admin/script", script)

    def reset(self) -> None:
        """Clear the request log."""
        self._admin("/_admin/reset", {})

    def stop(self) -> None:
        """Terminate the server process and release its pipe."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextmanager
def start_server(script: Any) -> Iterator[ScriptedServer]:
    """Start a scripted server process on a free port of 127.0.0.1.

    Args:
        script: A script (list of replies or script object, see the module docstring) or
            the path of a JSON file holding one.

    Yields:
        The running server; it is terminated when the ``with`` block ends.
    """
    with tempfile.TemporaryDirectory(prefix="evident-oai-") as tmp:
        if isinstance(script, str | Path):
            path = Path(script)
        else:
            _normalise(script)  # fail here, in the test, on a malformed script
            path = Path(tmp) / "script.json"
            path.write_text(json.dumps(script), encoding="utf-8")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--script", str(path), "--port", "0"]
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=_REPO_ROOT)
        line = process.stdout.readline().strip() if process.stdout else ""
        if not line.isdigit():
            process.kill()
            process.wait()
            if process.stdout:
                process.stdout.close()
            raise RuntimeError(f"scripted server failed to start (exit {process.returncode})")
        server = ScriptedServer(process, int(line))
        try:
            yield server
        finally:
            server.stop()


def main(argv: list[str] | None = None) -> int:
    """Command line: serve a script file until killed; print the port first."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--script", required=True, help="JSON script file")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    script = json.loads(Path(args.script).read_text(encoding="utf-8"))
    httpd = serve(script, args.port, args.host)
    print(httpd.server_port, flush=True)
    try:
        httpd.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
