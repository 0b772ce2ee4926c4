"""python-socketio (ASGI, under uvicorn): rooms and `emit(..., to=room)`, as its documentation shows."""

from __future__ import annotations

import sys
import time
from collections import defaultdict

import socketio
import uvicorn

server = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[], transports=["websocket"])
app = socketio.ASGIApp(server)
seqs: dict[str, int] = defaultdict(int)


@server.event
async def connect(sid: str, environ: dict, auth: dict) -> None:
    if auth.get("room"):  # the token beside it is accepted as it is; the publisher names no room
        await server.enter_room(sid, auth["room"])


@server.event
async def publish(sid: str, message: dict) -> None:
    room = message["room"]
    for event in message["events"]:
        seqs[room] += 1
        frame = {"type": "event", "seq": seqs[room], "name": event["name"], "at": time.time(), "data": event["data"]}
        await server.emit("event", frame, to=room)


if __name__ == "__main__":
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        log_level="warning",
        loop="uvloop",
        http="httptools",
    )
