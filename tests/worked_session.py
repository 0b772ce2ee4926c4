"""Captures the worked session of docs/protocol.md from a real `circles serve` process.

    python -m tests.worked_session               # prints the session
    python -m tests.worked_session --write-doc   # and puts it in docs/protocol.md's "A worked session"

It creates an app key with the real CLI (`circles apps create`) on a temporary SQLite file, starts the
server on a free loopback port, and drives one session with real httpx and websockets clients: Kim (a
keeper) and Ana (a member) accept the circle's agreements, a sequential round passes the piece (Kim
finishes by a command on her socket), Ana's socket drops and resumes with `after`, then an open round
where Ana raises her hand by a command and gets the piece, then a breakout into one pair where each speaks
once and everyone comes back. It prints the frames in the doc's notation
(`kim →` sent, `kim ←` received, `(…)` what happened in between), each received frame exactly as the
server sent it, with only the tokens shortened. Every wait is bounded; nothing leaves 127.0.0.1.

tests/live/test_worked_session.py runs it and compares what it captures with the doc.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from tests.server_process import ServerProcess, clean_environ, free_port

Frame = dict[str, Any]
WAIT_SECONDS = 5.0  # for any one frame the session expects
CLI_SECONDS = 60.0
TOKEN_SHOWN = 8  # characters of a token the transcript keeps
PROTOCOL_DOC = Path(__file__).resolve().parents[1] / "docs" / "protocol.md"
WORKED_SESSION, FRAMES_OPEN, FRAMES_CLOSE = "## A worked session", "```text\n", "```"
FRAME_LINE = re.compile(r"^(?P<who>\w+)\s+(?P<arrow>[→←])\s+(?P<frame>\{.*\})$")


class Transcript:
    """The lines of the worked session, with every token shortened."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._tokens: list[str] = []

    def hide(self, token: str) -> None:
        self._tokens.append(token)

    def note(self, text: str) -> None:
        self.lines.append(f"     ({text})")

    def frame(self, who: str, arrow: str, text: str) -> None:
        for token in self._tokens:
            text = text.replace(token, token[:TOKEN_SHOWN] + "…")
        self.lines.append(f"{who} {arrow} {text}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Screen:
    """One person's socket: what it sends and receives goes into the transcript as it happens."""

    def __init__(self, who: str, url: str, token: str, transcript: Transcript) -> None:
        self.who, self.url, self.token, self.transcript = who, url, token, transcript
        self.ws: ClientConnection | None = None
        self.last_seq = 0
        self._commands = 0

    def open(self, after: int | None = None) -> None:
        self.transcript.frame(self.who, "→", "(opens ws://…/v1/circles/{circle_id}/live)")
        self.ws = connect(
            self.url, proxy=None, compression=None, open_timeout=WAIT_SECONDS, close_timeout=2.0, legacy=True
        )
        auth: Frame = {"type": "auth", "token": self.token}
        if after is not None:
            auth["after"] = after
        self.send(auth)

    def send(self, frame: Frame) -> None:
        assert self.ws is not None
        text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
        self.transcript.frame(self.who, "→", text)
        self.ws.send(text)

    def command(self, name: str, **arguments: Any) -> str:
        """Send a command; its id, for `read_until(reply_to(...))`."""
        self._commands += 1
        command_id = f"{self.who}-{self._commands}"
        self.send({"type": "command", "id": command_id, "name": name, **arguments})
        return command_id

    def read_until(self, *wanted: Callable[[Frame], bool]) -> list[Frame]:
        """Read frames until each of `wanted` has matched one of them; the frames read."""
        assert self.ws is not None
        missing, frames = list(wanted), []
        while missing:
            text = self.ws.recv(timeout=WAIT_SECONDS)
            assert isinstance(text, str)
            frame = json.loads(text)
            self.transcript.frame(self.who, "←", text)
            if frame["type"] in ("event", "snapshot"):
                self.last_seq = frame["seq"]
            frames.append(frame)
            missing = [match for match in missing if not match(frame)]
        return frames

    def drop(self) -> None:
        assert self.ws is not None
        self.ws.close()
        self.ws = None


def of_type(frame_type: str) -> Callable[[Frame], bool]:
    return lambda frame: frame["type"] == frame_type


def event(name: str) -> Callable[[Frame], bool]:
    return lambda frame: frame["type"] == "event" and frame["name"] == name


def presence(participant_id: str, online: bool) -> Callable[[Frame], bool]:
    return lambda frame: frame.get("participant_id") == participant_id and frame.get("online") is online


def reply_to(command_id: str) -> Callable[[Frame], bool]:
    return lambda frame: frame["type"] == "reply" and frame["id"] == command_id


class Rest:
    """The REST calls of the session, each one checked for the status it should answer."""

    def __init__(self, http: httpx.Client, circle_id: str) -> None:
        self.http, self.base = http, f"/v1/circles/{circle_id}"

    def call(self, method: str, path: str, credential: str, body: Frame | None = None, status: int = 200) -> Any:
        response = self.http.request(
            method, self.base + path, json=body, headers={"Authorization": f"Bearer {credential}"}
        )
        if response.status_code != status:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None


def _app_key(database_url: str, cwd: Path) -> str:
    env = {**clean_environ(), "CIRCLES_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "circles", "apps", "create", "worked-session"],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=CLI_SECONDS, check=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1].strip()


@contextmanager
def running_server(folder: Path) -> Iterator[tuple[ServerProcess, str]]:
    """A `circles serve` on a fresh SQLite file in `folder` and a free loopback port, and an app key."""
    database_url = f"sqlite:///{folder / 'circles.db'}"
    key = _app_key(database_url, folder)
    env = {**clean_environ(), "PYTHONUNBUFFERED": "1", "CIRCLES_DATABASE_URL": database_url}
    server = ServerProcess(port=free_port(), env=env, log_path=folder / "server.log")
    server.start()
    try:
        yield server, key
    finally:
        server.close_clients()
        server.stop()


FINISH_NOTE = 'Ana is done: POST /v1/circles/{circle_id}/turns/{turn_id}/finish {"outcome": "spoke"}, with her token'
AGREEMENTS = ["What is shared here stays here", "Speak from the heart, listen from the heart"]


def drive(server: ServerProcess, key: str) -> Transcript:
    """The session itself, step by step."""
    transcript = Transcript()
    circle_body = {"name": "Tuesday check-in", "agreements": AGREEMENTS, "turn_seconds": 120, "time_limit": "soft"}
    created = server.http().post("/v1/circles", json=circle_body, headers={"Authorization": f"Bearer {key}"})
    if created.status_code != 201:
        raise RuntimeError(f"POST /v1/circles: {created.status_code} {created.text}")
    circle = created.json()
    rest = Rest(server.http(), circle["id"])
    kim_seat = rest.call("POST", "/participants", key, {"display_name": "Kim", "role": "keeper"}, 201)
    ana_seat = rest.call("POST", "/participants", key, {"display_name": "Ana"}, 201)
    ana_id = ana_seat["id"]
    for seat in (kim_seat, ana_seat):
        transcript.hide(seat["token"])
    kim = Screen("kim", server.ws_url(circle["id"]), kim_seat["token"], transcript)
    ana = Screen("ana", server.ws_url(circle["id"]), ana_seat["token"], transcript)

    kim.open()
    kim.read_until(of_type("welcome"), of_type("snapshot"))
    ana.open()
    ana.read_until(of_type("welcome"), of_type("snapshot"))
    kim.read_until(presence(ana_id, True))

    version = circle["agreements_version"]
    for who, seat in (("Kim", kim_seat), ("Ana", ana_seat)):
        transcript.note(
            f"{who} accepts the agreements: POST /v1/circles/{{circle_id}}/participants/{{participant_id}}/agreement "
            f'{{"agreements_version": {version}}}, with her token'
        )
        rest.call("POST", f"/participants/{seat['id']}/agreement", seat["token"], {"agreements_version": version})
        kim.read_until(event("participant.agreed"))
        ana.read_until(event("participant.agreed"))

    transcript.note('Kim starts a round: POST /v1/circles/{circle_id}/rounds {"prompt": "How are you arriving?"}')
    round_ = rest.call("POST", "/rounds", kim.token, {"prompt": "How are you arriving?"}, 201)
    kim.read_until(event("turn.started"))
    ana.read_until(event("turn.started"))
    kim_turn = next(turn for turn in round_["turns"] if turn["ended_at"] is None)

    transcript.note("Kim is done, and says so on her socket")
    finish = kim.command("finish_turn", turn_id=kim_turn["id"], outcome="spoke")
    kim.read_until(reply_to(finish), event("turn.started"))
    ana.read_until(event("turn.started"))

    transcript.note("Ana's connection drops")
    ana.drop()
    kim.read_until(presence(ana_id, False))
    transcript.note("Kim pauses and resumes the round while Ana is away: POST …/rounds/{round_id}/pause, then /resume")
    rest.call("POST", f"/rounds/{round_['id']}/pause", kim.token)
    rest.call("POST", f"/rounds/{round_['id']}/resume", kim.token)
    kim.read_until(event("round.resumed"))

    ana.open(after=ana.last_seq)
    ana.read_until(of_type("welcome"), lambda frame: "participants_online" in frame, of_type("audience"))
    kim.read_until(presence(ana_id, True))

    transcript.note(FINISH_NOTE)
    ana_turn = rest.call("GET", "/state", ana.token)["turn"]
    rest.call("POST", f"/turns/{ana_turn['id']}/finish", ana.token, {"outcome": "spoke"})
    kim.read_until(event("round.ended"))
    ana.read_until(event("round.ended"))

    transcript.note('Kim opens the floor: POST …/rounds {"kind": "open", "prompt": "What stays with you?"}')
    open_round = rest.call("POST", "/rounds", kim.token, {"kind": "open", "prompt": "What stays with you?"}, 201)
    kim.read_until(event("round.started"))
    ana.read_until(event("round.started"))

    transcript.note("Ana raises her hand on her socket; the piece is free, so it comes to her at once")
    hand = ana.command("raise_hand", round_id=open_round["id"])
    ana.read_until(reply_to(hand), event("turn.started"))
    kim.read_until(event("turn.started"))

    transcript.note(FINISH_NOTE)
    ana_turn = rest.call("GET", "/state", ana.token)["turn"]
    rest.call("POST", f"/turns/{ana_turn['id']}/finish", ana.token, {"outcome": "spoke"})
    kim.read_until(event("turn.ended"))
    ana.read_until(event("turn.ended"))

    transcript.note("The line is empty and the piece waits. Kim ends the round, on her socket")
    end = kim.command("end_round", round_id=open_round["id"])
    kim.read_until(reply_to(end), event("round.ended"))
    ana.read_until(event("round.ended"))

    transcript.note("Kim breaks the circle into pairs, on her socket: here one pair, Kim and Ana, two minutes each")
    start = kim.command("start_breakout", seconds_each=120, grouping="by_seat", prompt="What are you carrying?")
    started = kim.read_until(reply_to(start), event("breakout.turn_started"))
    ana.read_until(event("breakout.turn_started"))
    breakout = next(frame["result"] for frame in started if frame["type"] == "reply")
    kim_pair_turn = breakout["groups"][0]["turns"][0]

    transcript.note("Kim is done in the pair, on her socket; the piece passes to Ana")
    done = kim.command("finish_breakout_turn", turn_id=kim_pair_turn["id"], outcome="spoke")
    kim.read_until(reply_to(done), event("breakout.turn_started"))
    ana.read_until(event("breakout.turn_started"))

    transcript.note(
        'Ana is done: POST /v1/circles/{circle_id}/breakout-turns/{turn_id}/finish {"outcome": "spoke"}, with her '
        "token. Everyone has spoken: back in the circle"
    )
    ana_pair_turn = breakout["groups"][0]["turns"][1]
    rest.call("POST", f"/breakout-turns/{ana_pair_turn['id']}/finish", ana.token, {"outcome": "spoke"})
    kim.read_until(event("breakout.ended"))
    ana.read_until(event("breakout.ended"))

    kim.drop()
    ana.drop()
    return transcript


def capture() -> str:
    """The worked session's lines, from a server of its own."""
    with tempfile.TemporaryDirectory(prefix="circles-worked-session-") as folder, running_server(Path(folder)) as run:
        return drive(*run).text()


def frames_of(session: str) -> list[tuple[str, str, Frame]]:
    """The frames of a session in the doc's notation: (who, arrow, frame), in order."""
    frames = []
    for line in session.splitlines():
        if match := FRAME_LINE.match(line):
            frames.append((match["who"], match["arrow"], json.loads(match["frame"])))
    return frames


def documented_session() -> str:
    """The frames block of docs/protocol.md's worked session, as written."""
    section = PROTOCOL_DOC.read_text().split(WORKED_SESSION, 1)[1]
    return section.split(FRAMES_OPEN, 1)[1].split(FRAMES_CLOSE, 1)[0]


def write_into_doc(session: str) -> None:
    """Replace the frames of the worked session in docs/protocol.md (its first ```text block) with `session`."""
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
