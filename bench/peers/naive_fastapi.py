"""The naive FastAPI pattern: a connection manager that awaits each `send_text` in turn.

This is the pattern most tutorials show. It runs under uvicorn with the same WebSocket implementation and
settings as Circles. A follower that stops reading makes `send_text` wait once the buffers are full, and
with it the whole broadcast, so everyone after it in the list waits too.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict

import orjson
import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


class ConnectionManager:
    def __init__(self) -> None:
        self.rooms: dict[str, list[WebSocket]] = defaultdict(list)
        self.seqs: dict[str, int] = defaultdict(int)

    async def broadcast(self, room: str, name: str, data: dict) -> None:
        self.seqs[room] += 1
        frame = {"type": "event", "seq": self.seqs[room], "name": name, "at": time.time(), "data": data}
        text = orjson.dumps(frame).decode()
        for websocket in list(self.rooms[room]):
            await websocket.send_text(text)


manager = ConnectionManager()


@app.websocket("/publish")
async def publish(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            message = orjson.loads(await websocket.receive_text())
            for event in message["events"]:
                await manager.broadcast(message["room"], event["name"], event["data"])
    except WebSocketDisconnect:
        pass


@app.websocket("/ws/{room}")
async def follow(websocket: WebSocket, room: str) -> None:
    await websocket.accept()
    await websocket.receive_text()  # the auth message: accepted as it is
    await websocket.send_text('{"type":"welcome"}')
    manager.rooms[room].append(websocket)
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        manager.rooms[room].remove(websocket)


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
