"""Request body size limit, enforced before a byte reaches a handler or a service.

A refusal sent while the client is still uploading is often lost: the server closes with
unread bytes, the kernel answers with a reset, and the client sees "connection reset"
instead of 413. So the rest of an oversized body is read and dropped before answering, up to
`drain_bytes`; past that the gateway stops reading and closes, whatever the client sees.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.problems import PayloadTooLarge, ProblemError, problem_response


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, drain_bytes: int | None = None) -> None:
        self.app, self.max_bytes = app, max_bytes
        self.drain_bytes = drain_bytes if drain_bytes is not None else 8 * max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.drain_bytes + 1
                if declared > self.max_bytes:
                    if declared <= self.drain_bytes:
                        await self._drain(receive, 0)
                    await self._refuse(scope, receive, send)
                    return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    if message.get("more_body", False):
                        await self._drain(receive, received)
                    # The app's problem handler renders it; the except below is for a
                    # read outside any handler.
                    raise self._problem()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except PayloadTooLarge:
            if not response_started:
                await self._refuse(scope, receive, send)

    async def _drain(self, receive: Receive, seen: int) -> None:
        while seen <= self.drain_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(self._problem())
        response.headers["connection"] = "close"
        await response(scope, receive, send)

    def _problem(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"Request bodies are limited to {self.max_bytes} bytes.")


class HeaderFieldsTooLarge(ProblemError):
    status, type, title = 431, "header-fields-too-large", "Request header fields too large"


class HeaderLimit:
    """Refuses requests whose headers together exceed a size (uvicorn accepts any size that
    arrives in one read), before any of them is parsed further."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            size += len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            if size > self.max_bytes:
                problem = HeaderFieldsTooLarge(
                    f"Request line and headers are limited to {self.max_bytes} bytes."
                )
                response = problem_response(problem)
                response.headers["connection"] = "close"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
