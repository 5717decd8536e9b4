"""A minimal asyncio client for server-sent events, for the tests and `samenveilig bench delivery`: thousands of
streams in one process, each remembering its last event id and reconnecting with Last-Event-ID."""

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Event:
    name: str
    data: Any
    id: str
    at: float  # time.perf_counter() when it arrived


@dataclass
class StreamClient:
    host: str
    port: int
    cookie: str = ""
    origin: str = ""
    last_id: str = ""
    events: list[Event] = field(default_factory=list)
    status: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    async def connect(self, timeout: float = 30.0) -> int:
        """Open the stream and read the response head; returns the HTTP status (200 when streaming)."""
        self._reader, self._writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), timeout)
        lines = ["GET /live/ HTTP/1.1", f"Host: {self.host}:{self.port}", "Accept: text/event-stream"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if self.origin:
            lines.append(f"Origin: {self.origin}")
        if self.last_id:
            lines.append(f"Last-Event-ID: {self.last_id}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self._writer.drain()
        head = await asyncio.wait_for(self._reader.readuntil(b"\r\n\r\n"), timeout)
        self.status = int(head.split(b" ", 2)[1])
        self.chunked = b"transfer-encoding: chunked" in head.lower()
        return self.status

    async def _lines(self):  # noqa: ANN202 - an async generator of text lines of the event stream
        assert self._reader is not None
        buffer = b""
        while True:
            if self.chunked:
                size_line = await self._reader.readline()
                if not size_line:
                    return
                size = int(size_line.strip() or b"0", 16)
                if size == 0:
                    return
                chunk = await self._reader.readexactly(size + 2)
                buffer += chunk[:-2]
            else:
                chunk = await self._reader.read(65536)
                if not chunk:
                    return
                buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            for line in complete:
                yield line.decode()

    async def read(self) -> None:
        """Read events until the server closes the stream."""
        name, data, event_id = "message", [], ""
        try:
            async for line in self._lines():
                if line == "":
                    if data or event_id:
                        if event_id:
                            self.last_id = event_id
                        text = "\n".join(data)
                        self.events.append(
                            Event(name, json.loads(text) if text else None, event_id, time.perf_counter())
                        )
                        self.arrived.set()
                    name, data, event_id = "message", [], ""
                elif line.startswith(":"):
                    continue
                else:
                    key, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if key == "event":
                        name = value
                    elif key == "data":
                        data.append(value)
                    elif key == "id":
                        event_id = value
        except (ConnectionError, asyncio.IncompleteReadError):
            return

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
