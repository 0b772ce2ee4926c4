// Who has spoken or passed in the round in progress, and whether the piece has come back to someone who
// passed. The snapshot carries only the open turn, so the round's ended turns are read once (GET
// …/rounds/{id}: anyone in the circle may) and then kept from `turn.ended` events. An ended turn never
// changes, so the read and the events merge by turn id whichever arrives first.

import { parseServerTime } from "./circles-live.js";

/** How an ended turn marks its person's seat for the rest of the round. */
const MARKS = {
  spoke: "spoke",
  timed_out: "spoke",
  interrupted: "spoke",
  passed: "passed",
  skipped: "passed-over",
  not_taken: "passed-over",
  not_agreed: "passed-over",
  absent: "passed-over",
};

/** The words for a mark, on the seat and in its label. */
export const MARK_WORDS = { spoke: "spoke", passed: "passed", "passed-over": "passed over" };

export class RoundProgress {
  /** `readRound(id)`: a promise of the round with its turns; `changed()`: redraw. */
  constructor(readRound, changed) {
    this.readRound = readRound;
    this.changed = changed;
    this.roundId = null;
    this.turns = new Map(); // turn id -> ended turn, of the round in progress
    this.complete = false; // holds every ended turn of the round (read, or seen from its start)
    this.reading = false;
  }

  /** Follows the live client: call with each `state` event's detail ({state, cause}). */
  follow(state, cause) {
    const round = state.round;
    if (!round) {
      this.roundId = null;
      this.turns = new Map();
      return;
    }
    if (round.id !== this.roundId) {
      this.roundId = round.id;
      this.turns = new Map();
      this.complete = Boolean(cause && cause.name === "round.started"); // seen from its start
    }
    if (cause === "snapshot") this.complete = false; // a snapshot may stand for events this page never saw
    if (cause && cause.name === "turn.ended" && cause.data.turn.round_id === round.id) this.add(cause.data.turn);
    if (!this.complete) this.read(round.id);
  }

  add(turn) {
    if (turn.ended_at && turn.how !== "out_of_turn") this.turns.set(turn.id, turn); // out of turn: not their turn
  }

  read(roundId) {
    if (this.reading) return;
    this.reading = true;
    this.readRound(roundId)
      .then((round) => {
        if (roundId !== this.roundId) return;
        round.turns.forEach((turn) => this.add(turn));
        this.complete = true;
        this.changed();
      })
      .catch(() => {}) // tried again on the next snapshot; meanwhile the marks show what events told
      .finally(() => {
        this.reading = false;
      });
  }

  /** participant id -> "spoke" | "passed" | "passed-over": each person's latest ended turn this round. */
  marks() {
    const ended = [...this.turns.values()].sort((a, b) => parseServerTime(a.ended_at) - parseServerTime(b.ended_at));
    const marks = new Map();
    for (const turn of ended) if (MARKS[turn.outcome]) marks.set(turn.participant_id, MARKS[turn.outcome]);
    return marks;
  }

  /** True when the open turn's holder passed earlier in this round: the piece has come back to them. */
  returned(state) {
    const turn = state.turn;
    if (!turn || !state.round || state.round.id !== this.roundId) return false;
    return [...this.turns.values()].some((t) => t.participant_id === turn.participant_id && t.outcome === "passed");
  }
}

/** One line under the prompt: how the round stands ("2 spoke · 1 passed · 3 still to come"). */
export function progressLine(state, marks) {
  if (!state.round) return "";
  const count = (mark) => [...marks.values()].filter((m) => m === mark).length;
  const parts = [`${count("spoke")} spoke`, `${count("passed")} passed`];
  if (count("passed-over")) parts.push(`${count("passed-over")} passed over`);
  if (state.round.kind === "sequential") {
    const holderId = state.turn ? state.turn.participant_id : null;
    const waiting = state.participants.filter(
      (p) => p.role !== "witness" && !marks.has(p.id) && p.id !== holderId,
    ).length;
    parts.push(`${waiting} still to come`);
  }
  return parts.join(" · ");
}
