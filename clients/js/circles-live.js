/**
 * circles-live.js: a small live client for Circles, the service that holds the talking piece.
 *
 * One ES module, no framework, no build step: copy it into your own front end.
 *
 *   import { CirclesLive, turnRemainingMs } from "./circles-live.js";
 *   const live = new CirclesLive({ circleId, token });
 *   live.addEventListener("state", (e) => draw(e.detail.state));
 *   live.addEventListener("status", (e) => showConnection(e.detail));
 *   live.start();
 *
 * What it does for you:
 * - opens `/v1/circles/{circleId}/live` and sends the token as its first message (never in the URL);
 * - keeps the circle's state: the snapshot, then each event applied in `seq` order (see applyEvent);
 * - when the socket drops, reconnects with jittered exponential backoff and resumes with `after`,
 *   so it gets exactly the events it missed; a gap or a repeat in `seq` can never reach your code;
 * - stops for good on the close codes that mean "not with this credential" (4401-4499, 1008, 1009);
 * - measures the offset between your clock and the server's, for countdowns (serverNow()).
 *
 * The commands a screen sends (I'm done, pass, start a round…) are REST calls: circle-commands.js.
 *
 * @module circles-live
 */

/** @typedef {"keeper" | "member" | "witness"} Role */
/** @typedef {"spoke" | "passed" | "skipped" | "timed_out" | "left" | "interrupted" | "not_agreed" |
 *   "not_taken" | "absent"} Outcome */

/**
 * @typedef {object} Circle
 * @property {string} id
 * @property {string} name
 * @property {string | null} intention
 * @property {string[]} agreements
 * @property {number} agreements_version  goes up when the agreements change: each person accepts it again
 * @property {number | null} turn_seconds  default time per turn; null: no limit
 * @property {"soft" | "hard"} time_limit
 * @property {"open" | "closed"} status
 * @property {string} created_at
 * @property {string | null} closed_at
 */

/**
 * @typedef {object} Participant
 * @property {string} id
 * @property {string} circle_id
 * @property {string} display_name
 * @property {Role} role
 * @property {number} seat
 * @property {string | null} external_id
 * @property {string} joined_at
 * @property {number | null} agreed_version  the agreements_version they accepted; hold the piece only if current
 * @property {boolean} online  has a live connection now (kept up to date from presence frames)
 */

/**
 * @typedef {object} Round
 * @property {string} id
 * @property {string} circle_id
 * @property {string | null} prompt
 * @property {"sequential" | "open"} kind  open: to whoever raises a hand, in the line's order
 * @property {number | null} offer_seconds  the piece is offered first; null: no offers
 * @property {number | null} pause_seconds  a moment of silence between speakers
 * @property {"active" | "paused" | "ended"} status
 * @property {number | null} turn_seconds
 * @property {"soft" | "hard"} time_limit
 * @property {boolean} pass_back
 * @property {string} starts_with
 * @property {string} started_at
 * @property {string | null} paused_at
 * @property {string | null} ended_at
 * @property {"completed" | "ended" | "circle_closed" | null} end_reason
 */

/**
 * @typedef {object} Turn
 * @property {string} id
 * @property {string} round_id
 * @property {string} participant_id  who holds (or held) the piece
 * @property {string} started_at
 * @property {string | null} deadline  absolute, server time; null with no limit
 * @property {string | null} ended_at
 * @property {Outcome | null} outcome
 * @property {string | null} overtime_at
 * @property {string | null} accepted_at  offer rounds: when the offer was taken; until then `deadline` is the
 *   offer's lapse
 * @property {string | null} silent_until  a moment of silence before the offer or the clock runs
 */

/**
 * Everything a screen needs to draw the circle, as of `seq`.
 * @typedef {object} CircleState
 * @property {number} seq
 * @property {string} server_time
 * @property {Circle} circle
 * @property {Participant[]} participants  the keepers and members seated now, in seat order (witnesses are
 *   counted in `audience`, not listed)
 * @property {Audience} audience  the witnesses, counted (kept up to date from audience frames)
 * @property {Round | null} round  the round in progress (active or paused)
 * @property {Turn | null} turn  the open turn
 * @property {string[]} hands  raised hands (open rounds), first in line first, as the server keeps them
 * @property {object | null} gathering  the planned gathering (rounds, next_position), or null
 * @property {object | null} [breakout]  the breakout under way (groups, each with `members` and `holder`), or null
 */

/**
 * The circle's witnesses: they listen and never hold the piece, so they are counted, not listed.
 * @typedef {object} Audience
 * @property {number} witnesses  how many are seated
 * @property {number} online  how many of them have a live connection
 */

/**
 * @typedef {"circle.updated" | "circle.closed" | "participant.joined" | "participant.updated" |
 *   "participant.left" | "round.started" | "round.paused" | "round.resumed" | "round.ended" |
 *   "participant.agreed" | "turn.started" | "turn.ended" | "turn.overtime" | "turn.accepted" | "hand.raised" |
 *   "hand.lowered" | "hand.called" | "gathering.planned" | "gathering.advanced"
 *   | "breakout.started" | "breakout.turn_started" | "breakout.turn_ended" | "breakout.group_done"
 *   | "breakout.group_updated" | "breakout.ended"} EventName
 */

/**
 * Frames the server sends.
 * @typedef {{type: "welcome", participant_id: string | null, role: Role | "app", server_time: string}} WelcomeFrame
 * @typedef {{type: "snapshot", seq: number, state: CircleState}} SnapshotFrame
 * @typedef {{type: "event", seq: number, name: EventName, at: string, data: object}} EventFrame
 * @typedef {{type: "presence", participant_id: string, online: boolean}} PresenceFrame
 * @typedef {{type: "presence", participants_online: string[]}} PresenceListFrame
 * @typedef {{type: "audience", witnesses: number, online: number}} AudienceFrame
 * Keepers' sockets only: a request for support, pending until a keeper or the app acknowledges it (sent when
 * it is made, and again after each catch-up while it is pending), and its acknowledgement.
 * @typedef {{type: "support", signal_id: string, participant_id: string, at: string}} SupportFrame
 * @typedef {{type: "support_acknowledged", signal_id: string, acknowledged_by: string | null,
 *   acknowledged_at: string}} SupportAcknowledgedFrame
 */

/**
 * The connection as your UI shows it.
 * @typedef {object} ConnectionStatus
 * @property {"connecting" | "live" | "reconnecting" | "stopped"} phase
 * @property {number} attempt  failed attempts in a row (0 while live)
 * @property {number | null} retryAt  Date.now() time of the next attempt, while reconnecting
 * @property {number | null} closeCode  the last close code
 * @property {string | null} reason  why it stopped (phase "stopped")
 */

/** Close codes after which retrying with the same token cannot help; what each means. */
export const STOP_REASONS = Object.freeze({
  1008: "The server refused this connection (too many open screens or messages).",
  1009: "A message was too big.",
  4401: "This token is not valid (unknown or revoked).",
  4403: "You are no longer seated in this circle.",
  4404: "There is no such circle, or this token does not belong to it.",
  4408: "The server did not receive the sign-in in time.",
  4410: "This circle has closed.",
});

const GAP_CLOSE_CODE = 4000; // ours: the client closes to resume after it saw a gap

/** Parses a server timestamp to epoch milliseconds (microseconds are trimmed for every browser). */
export function parseServerTime(text) {
  return Date.parse(String(text).replace(/(\.\d{3})\d+/, "$1"));
}

/** The service's root URL, always ending in "/" so that "v1/…" resolves beneath any path prefix. */
export function serviceRoot(baseUrl) {
  const root = new URL(baseUrl || "/", globalThis.location?.href);
  if (!root.pathname.endsWith("/")) root.pathname += "/";
  return root;
}

function withOnline(participants, online) {
  return participants.map((p) => ({ ...p, online: online(p) }));
}

function upsertParticipant(participants, incoming) {
  const previous = participants.find((p) => p.id === incoming.id);
  const next = { ...incoming, online: previous ? previous.online : false };
  return [...participants.filter((p) => p.id !== incoming.id), next].sort((a, b) => a.seat - b.seat);
}

/**
 * The state after one event (a new object; the old one is left as it was). Unknown event names change
 * only `seq`, so a newer server never breaks an older copy of this file.
 * @param {CircleState} state
 * @param {EventFrame} frame
 * @returns {CircleState}
 */
export function applyEvent(state, frame) {
  const data = frame.data || {};
  const next = { ...state, seq: frame.seq };
  switch (frame.name) {
    case "circle.updated":
    case "circle.closed":
      next.circle = data.circle;
      break;
    case "participant.joined":
    case "participant.updated":
      // Witnesses are not listed (the next audience frame counts them): one made a witness leaves the list.
      next.participants =
        data.participant.role === "witness"
          ? state.participants.filter((p) => p.id !== data.participant.id)
          : upsertParticipant(state.participants, data.participant);
      break;
    case "participant.left":
      next.participants = state.participants.filter((p) => p.id !== data.participant_id);
      break;
    case "round.started":
    case "round.paused":
      next.round = data.round;
      break;
    case "round.resumed":
      next.round = data.round;
      if ("turn" in data) next.turn = data.turn;
      break;
    case "round.ended":
      next.round = null;
      next.turn = null;
      next.hands = [];
      break;
    case "turn.started":
      next.turn = data.turn;
      break;
    case "turn.ended":
      if (state.turn && state.turn.id === data.turn.id) next.turn = null;
      break;
    case "turn.overtime":
      if (state.turn && state.turn.id === data.turn.id) next.turn = data.turn;
      break;
    case "participant.agreed":
      next.participants = state.participants.map((p) =>
        p.id === data.participant_id ? { ...p, agreed_version: data.agreements_version, agreed_at: data.agreed_at } : p,
      );
      break;
    case "turn.accepted":
      if (state.turn && state.turn.id === data.turn.id) next.turn = data.turn;
      break;
    case "hand.raised":
    case "hand.lowered":
    case "hand.called":
      next.hands = Array.isArray(data.hands) ? data.hands : state.hands; // the server's whole line
      break;
    case "gathering.planned":
    case "gathering.advanced":
      next.gathering = data.gathering;
      break;
    case "breakout.started":
      next.breakout = data.breakout;
      break;
    case "breakout.ended":
      next.breakout = null; // everyone is back in the circle
      break;
    case "breakout.turn_started":
    case "breakout.turn_ended":
    case "breakout.group_done":
    case "breakout.group_updated":
      // The event carries the whole group as it is now: it replaces the group of the same id.
      if (state.breakout && state.breakout.id === data.breakout_id) {
        next.breakout = {
          ...state.breakout,
          groups: state.breakout.groups.map((g) => (g.id === data.group.id ? data.group : g)),
        };
      }
      break;
    default:
      break;
  }
  return next;
}

/**
 * Milliseconds left in the open turn at `serverNowMs` (negative: overtime), or null with no limit.
 * A paused round's clock stands still at the moment it was paused.
 * @param {CircleState | null} state
 * @param {number} serverNowMs
 */
export function turnRemainingMs(state, serverNowMs) {
  if (!state || !state.turn || !state.turn.deadline) return null;
  const paused = state.round && state.round.status === "paused" && state.round.paused_at;
  const now = paused ? parseServerTime(state.round.paused_at) : serverNowMs;
  return parseServerTime(state.turn.deadline) - now;
}

/**
 * The live connection to one circle. Events (EventTarget): "welcome" (detail: WelcomeFrame), "state"
 * (detail: {state, cause}: cause is "snapshot", "presence", "audience" or an EventFrame), "event" (detail:
 * EventFrame, each seq once, in order), "status" (detail: ConnectionStatus) and, on a keeper's socket,
 * "support" (detail: {pending: SupportFrame[]}: the requests for support no one has acknowledged, oldest
 * first).
 */
export class CirclesLive extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.circleId
   * @param {string} options.token  a participant token
   * @param {string} [options.baseUrl]  where the service is: "https://circles.example", or with a path
   *   prefix, "https://example.org/circles/"; default: this page's origin
   * @param {number} [options.initialDelayMs]  first retry's delay (before jitter)
   * @param {number} [options.maxDelayMs]  the longest delay between attempts
   */
  constructor({ circleId, token, baseUrl, initialDelayMs = 500, maxDelayMs = 30000 }) {
    super();
    const url = new URL(`v1/circles/${encodeURIComponent(circleId)}/live`, serviceRoot(baseUrl));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.url = url.toString();
    this.token = token;
    this.initialDelayMs = initialDelayMs;
    this.maxDelayMs = maxDelayMs;
    /** @type {CircleState | null} */
    this.state = null;
    /** @type {WelcomeFrame | null} */
    this.welcome = null;
    /** Keepers: the requests for support no one has acknowledged yet, by signal_id. @type {Map<string, SupportFrame>} */
    this.support = new Map();
    /** Server clock minus local clock, in ms. */
    this.clockOffsetMs = 0;
    /** @type {ConnectionStatus} */
    this.status = { phase: "connecting", attempt: 0, retryAt: null, closeCode: null, reason: null };
    this._socket = null;
    this._retryTimer = null;
    this._stopped = true;
    this._onOnline = () => this.reconnectNow();
  }

  /** Connects (again, after stop()). */
  start() {
    this._stopped = false;
    globalThis.addEventListener?.("online", this._onOnline);
    this._connect();
  }

  /** Closes the socket and stops reconnecting. */
  stop() {
    this._stopped = true;
    globalThis.removeEventListener?.("online", this._onOnline);
    clearTimeout(this._retryTimer);
    this._socket?.close(1000, "client stopped");
    this._socket = null;
  }

  /** While waiting to reconnect: try now (the browser came back online, the person pressed retry). */
  reconnectNow() {
    if (this._stopped || this.status.phase !== "reconnecting" || this._socket) return;
    clearTimeout(this._retryTimer);
    this._connect();
  }

  /** The server's clock now, in epoch ms. */
  serverNow() {
    return Date.now() + this.clockOffsetMs;
  }

  /** The last seq this client holds, or null before its first snapshot. */
  get lastSeq() {
    return this.state ? this.state.seq : null;
  }

  _setStatus(changes) {
    this.status = { ...this.status, ...changes };
    this.dispatchEvent(new CustomEvent("status", { detail: this.status }));
  }

  /** Keepers: stop showing a request for support (this screen acknowledged it, or it is gone). */
  forgetSupport(signalId) {
    if (this.support.delete(signalId)) this._emitSupport();
  }

  _emitSupport() {
    this.dispatchEvent(new CustomEvent("support", { detail: { pending: [...this.support.values()] } }));
  }

  _emitState(cause) {
    this.dispatchEvent(new CustomEvent("state", { detail: { state: this.state, cause } }));
  }

  _connect() {
    this._retryTimer = null;
    this._setStatus({ phase: this.status.attempt === 0 ? "connecting" : "reconnecting", retryAt: null });
    const socket = new WebSocket(this.url);
    this._socket = socket;
    let authSentAt = 0;
    socket.addEventListener("open", () => {
      const auth = { type: "auth", token: this.token };
      if (this.lastSeq !== null) auth.after = this.lastSeq;
      authSentAt = Date.now();
      socket.send(JSON.stringify(auth));
    });
    socket.addEventListener("message", (message) => {
      if (socket !== this._socket) return;
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      this._receive(socket, frame, authSentAt);
    });
    socket.addEventListener("close", (event) => this._closed(socket, event.code, event.reason));
  }

  _receive(socket, frame, authSentAt) {
    switch (frame.type) {
      case "welcome": {
        // The server read its clock between our auth and its welcome: take the midpoint as "now".
        const receivedAt = Date.now();
        this.clockOffsetMs = parseServerTime(frame.server_time) - (authSentAt + receivedAt) / 2;
        this.welcome = frame;
        // The server sends every pending request after the catch-up, so what this screen held is stale.
        if (this.support.size > 0) {
          this.support = new Map();
          this._emitSupport();
        }
        this.dispatchEvent(new CustomEvent("welcome", { detail: frame }));
        this._setStatus({ phase: "live", attempt: 0, retryAt: null, closeCode: null, reason: null });
        break;
      }
      case "snapshot":
        this.state = { ...frame.state, seq: frame.seq };
        this._emitState("snapshot");
        break;
      case "event":
        if (!this.state || frame.seq <= this.state.seq) break; // already have it
        if (frame.seq !== this.state.seq + 1) {
          socket.close(GAP_CLOSE_CODE, "gap in seq"); // resume from what we have; never apply out of order
          break;
        }
        this.state = applyEvent(this.state, frame);
        this.dispatchEvent(new CustomEvent("event", { detail: frame }));
        this._emitState(frame);
        break;
      case "presence":
        if (!this.state) break;
        if (Array.isArray(frame.participants_online)) {
          const online = new Set(frame.participants_online);
          this.state = { ...this.state, participants: withOnline(this.state.participants, (p) => online.has(p.id)) };
        } else {
          const changed = (p) => (p.id === frame.participant_id ? frame.online : p.online);
          this.state = { ...this.state, participants: withOnline(this.state.participants, changed) };
        }
        this._emitState("presence");
        break;
      case "audience":
        if (!this.state) break;
        this.state = { ...this.state, audience: { witnesses: frame.witnesses, online: frame.online } };
        this._emitState("audience");
        break;
      case "support":
        this.support.set(frame.signal_id, frame);
        this._emitSupport();
        break;
      case "support_acknowledged":
        this.forgetSupport(frame.signal_id); // one this screen never saw changes nothing
        break;
      default:
        break;
    }
  }

  _closed(socket, code, reason) {
    if (socket !== this._socket) return;
    this._socket = null;
    if (this._stopped) return;
    if ((code >= 4400 && code <= 4499) || code === 1008 || code === 1009) {
      this._stopped = true;
      globalThis.removeEventListener?.("online", this._onOnline);
      this._setStatus({ phase: "stopped", closeCode: code, reason: STOP_REASONS[code] || reason || `Closed (${code}).` });
      return;
    }
    const attempt = this.status.attempt + 1;
    const delay = code === GAP_CLOSE_CODE ? 0 : this._backoff(attempt);
    this._setStatus({ phase: "reconnecting", attempt, retryAt: Date.now() + delay, closeCode: code });
    this._retryTimer = setTimeout(() => this._connect(), delay);
  }

  /** Exponential, capped, with "equal jitter": half the delay fixed, half random, so screens that lost
   * the same server do not all come back at the same instant, and none retries in a tight loop. */
  _backoff(attempt) {
    const ceiling = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}
