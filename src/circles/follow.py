"""`circles follow CIRCLE_ID`: follow a circle's live socket from a terminal, one line a frame.

The smallest client of the live protocol (docs/protocol.md), for trying Circles by hand: it reads the
credential (a participant's token, or an app key) from stdin, so that it never shows in the process list,
sends it as the first message with `after` (0 by default: every event since the circle began, then each
new one as it comes), and prints each frame until the socket closes or Ctrl-C.
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import Any, TextIO

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.sync.client import connect

NORMAL_CLOSES = {1000, 1001, 1012}  # done, or the server is going away: not the follower's failure


def live_url(server: str, circle_id: str) -> str:
    """The circle's socket on `server`, given as http(s)://host:port or ws(s)://host:port."""
    base = server.rstrip("/")
    for plain, secure in (("http://", "ws://"), ("https://", "wss://")):
        if base.startswith(plain):
            base = secure + base.removeprefix(plain)
    return f"{base}/v1/circles/{circle_id}/live"


def local_server(host: str, port: int) -> str:
    """Where `circles serve` listens on this machine (a wildcard address is reached on loopback)."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def read_credential(stdin: TextIO) -> str:
    if stdin.isatty():
        return getpass.getpass("token (cpt_…) or app key (ck_…): ").strip()
    return stdin.readline().strip()


def frame_line(frame: dict[str, Any], names: dict[str, str]) -> str:
    """One frame as one line: an event by its seq, its name and whom it is about (by display name, as
    learned from the snapshot and `participant.joined`); a snapshot by its seq alone (its state is what
    GET …/state answers, too long for a line); anything else as it came. `names` is kept up to date."""
    kind = frame.get("type")
    if kind == "snapshot":
        for person in frame.get("state", {}).get("participants", []):
            names[str(person.get("id"))] = str(person.get("display_name"))
        return f"live snapshot at #{frame.get('seq')} (the whole circle, as GET …/state answers)"
    if kind != "event":
        rest = {k: v for k, v in frame.items() if k != "type"}
        return f"live {kind} {json.dumps(rest, ensure_ascii=False)}"
    data = _object(frame.get("data"))
    joined = _object(data.get("participant"))
    if frame.get("name") == "participant.joined":
        names[str(joined.get("id"))] = str(joined.get("display_name"))
    turn = _object(data.get("turn"))
    who = names.get(str(data.get("participant_id") or turn.get("participant_id") or joined.get("id")))
    about = f" ({who})" if who else ""
    return f"live #{frame.get('seq')} {frame.get('name')}{about} {json.dumps(frame.get('data'), ensure_ascii=False)}"


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def follow(url: str, credential: str, after: int, out: TextIO) -> int:
    """Print each frame of the socket at `url` until it closes. 0 when the server closed it as a normal
    close (or on Ctrl-C), 1 otherwise (a refused credential, say: docs/protocol.md lists the close codes)."""
    if not credential:
        print("circles follow: no credential on stdin (a participant's cpt_… token, or an app key)", file=sys.stderr)
        return 1
    try:
        with connect(url, proxy=None, compression=None, open_timeout=10) as ws:
            ws.send(json.dumps({"type": "auth", "token": credential, "after": after}))
            names: dict[str, str] = {}
            try:
                for message in ws:
                    print(frame_line(json.loads(message), names), file=out, flush=True)
            except ConnectionClosed:
                pass
            code, reason = ws.close_code, ws.close_reason
    except KeyboardInterrupt:
        return 0
    except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as error:
        print(f"circles follow: cannot open {url}: {error}", file=sys.stderr)
        return 1
    print(f"circles follow: closed {code} {reason}".rstrip(), file=sys.stderr)
    return 0 if code in NORMAL_CLOSES else 1
