"""Captures the worked session of a support date in docs/protocol.md from a real `circles serve` process.

    python -m tests.worked_session_date               # prints the session
    python -m tests.worked_session_date --write-doc   # and puts it in docs/protocol.md

As `tests.worked_session` does, on a server of its own: the app arranges a reciprocal date between Ana and
Ben (a minute each way, weekly on Tuesdays), both screens open the date's socket, Ana begins a meeting, she
swaps with a command on her socket, Ben pauses and resumes, Ben finishes, and then Ben ends the date: the
date's circle closes and both sockets with it (4410).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import httpx
from websockets.exceptions import ConnectionClosed

from tests.server_process import ServerProcess
from tests.worked_session import (
    PROTOCOL_DOC,
    Frame,
    Rest,
    Screen,
    Transcript,
    event,
    of_type,
    presence,
    reply_to,
    running_server,
)

WORKED_SESSION = "## A worked session: a support date"
FRAMES_OPEN, FRAMES_CLOSE = "```text\n", "```"
DATE = {
    "people": [
        {"external_id": "app-user-ana", "display_name": "Ana"},
        {"external_id": "app-user-ben", "display_name": "Ben"},
    ],
    "kind": "reciprocal",
    "seconds_each": 60,
    "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "2030-01-08T19:00:00", "time_zone": "Europe/Berlin"},
}


def _closed(screen: Screen) -> int:
    """Read until the server closes the socket; its close code."""
    assert screen.ws is not None
    try:
        screen.read_until(lambda frame: False)
    except ConnectionClosed as closed:
        screen.transcript.note(f"{screen.who}'s socket is closed with {closed.rcvd.code if closed.rcvd else None}")
        screen.ws = None
        return closed.rcvd.code if closed.rcvd else 0
    raise AssertionError("the socket stayed open")


def drive(server: ServerProcess, key: str) -> Transcript:
    transcript = Transcript()
    http = server.http()
    transcript.note(
        'The app arranges the date: POST /v1/support-dates {"people": [Ana, Ben], "kind": "reciprocal", '
        '"seconds_each": 60, "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", …}}; each gets a token'
    )
    created = http.post("/v1/support-dates", json=DATE, headers={"Authorization": f"Bearer {key}"})
    if created.status_code != 201:
        raise RuntimeError(f"POST /v1/support-dates: {created.status_code} {created.text}")
    date = created.json()
    tokens = date["tokens"]
    for token in tokens.values():
        transcript.hide(token)
    ana_id, ben_id = (person["participant_id"] for person in date["people"])
    date_url = f"/v1/support-dates/{date['id']}"
    rest = Rest(http, date["circle_id"])
    ana = Screen("ana", server.ws_url(date["circle_id"]), tokens["app-user-ana"], transcript)
    ben = Screen("ben", server.ws_url(date["circle_id"]), tokens["app-user-ben"], transcript)

    ana.open()
    ana.read_until(of_type("welcome"), of_type("snapshot"))
    ben.open()
    ben.read_until(of_type("welcome"), of_type("snapshot"))
    ana.read_until(presence(ben_id, True))

    transcript.note("Ana begins the meeting: POST /v1/support-dates/{date_id}/meetings, with her token")
    meeting = _post(http, f"{date_url}/meetings", ana.token, 201)
    ana.read_until(event("turn.started"))
    ben.read_until(event("turn.started"))
    ana_turn = next(turn for turn in meeting["turns"] if turn["ended_at"] is None)

    transcript.note("Ana's minute is up before the clock says so: she swaps, on her socket")
    swap = ana.command("finish_turn", turn_id=ana_turn["id"], outcome="spoke")
    ana.read_until(reply_to(swap), event("turn.started"))
    ben.read_until(event("turn.started"))

    transcript.note("Ben needs a moment: he pauses, then resumes (POST …/rounds/{round_id}/pause, /resume)")
    rest.call("POST", f"/rounds/{meeting['id']}/pause", ben.token)
    rest.call("POST", f"/rounds/{meeting['id']}/resume", ben.token)
    ana.read_until(event("round.resumed"))
    ben.read_until(event("round.resumed"))

    transcript.note('Ben is done: POST /v1/circles/{circle_id}/turns/{turn_id}/finish {"outcome": "spoke"}')
    ben_turn = rest.call("GET", "/state", ben.token)["turn"]
    rest.call("POST", f"/turns/{ben_turn['id']}/finish", ben.token, {"outcome": "spoke"})
    ana.read_until(event("round.ended"))
    ben.read_until(event("round.ended"))

    transcript.note("Ben ends the arrangement: POST /v1/support-dates/{date_id}/end, with his token")
    _post(http, f"{date_url}/end", ben.token, 200)
    for screen in (ana, ben):
        if _closed(screen) != 4410:
            raise RuntimeError("the date's sockets close with 4410")
    return transcript


def _post(http: httpx.Client, path: str, credential: str, status: int) -> Frame:
    response = http.post(path, headers={"Authorization": f"Bearer {credential}"})
    if response.status_code != status:
        raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
    body: Frame = response.json()
    return body


def capture() -> str:
    with tempfile.TemporaryDirectory(prefix="circles-date-session-") as folder, running_server(Path(folder)) as run:
        return drive(*run).text()


def documented_session() -> str:
    section = PROTOCOL_DOC.read_text().split(WORKED_SESSION, 1)[1]
    return section.split(FRAMES_OPEN, 1)[1].split(FRAMES_CLOSE, 1)[0]


def write_into_doc(session: str) -> None:
    text = PROTOCOL_DOC.read_text()
    head, section = text.split(WORKED_SESSION, 1)
    before, rest = section.split(FRAMES_OPEN, 1)
    after = rest.split(FRAMES_CLOSE, 1)[1]
    PROTOCOL_DOC.write_text(head + WORKED_SESSION + before + FRAMES_OPEN + session + FRAMES_CLOSE + after)


if __name__ == "__main__":
    captured = capture()
    sys.stdout.write(captured)
    if "--write-doc" in sys.argv[1:]:
        write_into_doc(captured)
