"""The floor for Python: a bare `websockets` server fanning out with `websockets.broadcast()`.

broadcast() writes to every socket without awaiting any of them; a socket whose write buffer is over its
high-water mark is skipped for that frame (it silently misses it; it is never cut off).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict

import orjson
from websockets.asyncio.server import ServerConnection, broadcast, serve

rooms: dict[str, set[ServerConnection]] = defaultdict(set)
seqs: dict[str, int] = defaultdict(int)


async def handler(websocket: ServerConnection) -> None:
    path = websocket.request.path if websocket.request is not None else ""
    if path == "/publish":
        async for message in websocket:
            publish(orjson.loads(message))
        return
    room = path.removeprefix("/ws/")
    orjson.loads(await websocket.recv())  # the auth message: accepted as it is
    await websocket.send('{"type":"welcome"}')
    rooms[room].add(websocket)
    try:
        await websocket.wait_closed()
    finally:
        rooms[room].discard(websocket)


def publish(message: dict) -> None:
    room = message["room"]
    for event in message["events"]:
        seqs[room] += 1
        frame = {"type": "event", "seq": seqs[room], "name": event["name"], "at": time.time(), "data": event["data"]}
        broadcast(rooms[room], orjson.dumps(frame).decode())


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, compression=None, max_queue=16) as server:
        await server.serve_forever()


if __name__ == "__main__":
    import uvloop

    uvloop.run(main(int(sys.argv[1])))
