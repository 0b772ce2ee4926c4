/**
 * circle-commands.js: the REST commands a participant's screen sends to Circles, with the person's
 * token as `Authorization: Bearer` (never in a URL). Pairs with circles-live.js, which shows their
 * effect: every command's change arrives on the live socket as events.
 *
 *   const commands = new CircleCommands({ circleId, token });
 *   await commands.finishTurn(live.state.turn.id, "spoke");
 *
 * A refusal throws a CommandError carrying the service's problem+json; its `code` is stable
 * ("turn_not_open" when someone else moved the piece first, "not_your_turn", "keeper_only", …).
 *
 * @module circle-commands
 */

import { serviceRoot } from "./circles-live.js";

/** A refused command: the service's problem+json (`code` is stable, e.g. "turn_not_open"). */
export class CommandError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || null;
    this.problem = problem;
  }
}

/** The REST commands a participant's screen sends, with its token as `Authorization: Bearer`. */
export class CircleCommands {
  /**
   * @param {object} options
   * @param {string} options.circleId
   * @param {string} options.token
   * @param {string} [options.baseUrl]  as for CirclesLive
   */
  constructor({ circleId, token, baseUrl }) {
    this.base = new URL(`v1/circles/${encodeURIComponent(circleId)}/`, serviceRoot(baseUrl));
    this.token = token;
  }

  async _post(path, body, method = "POST") {
    const response = await fetch(new URL(path, this.base), {
      method,
      headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
      body: method === "DELETE" ? undefined : JSON.stringify(body || {}),
      credentials: "omit",
      cache: "no-store",
    });
    const payload = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) throw new CommandError(response.status, payload);
    return payload;
  }

  async _get(path) {
    const response = await fetch(new URL(path, this.base), {
      headers: { Authorization: `Bearer ${this.token}` },
      credentials: "omit",
      cache: "no-store",
    });
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) throw new CommandError(response.status, payload);
    return payload;
  }

  /** Everyone seated in the circle, witnesses too (the first 200, in seat order). */
  participants() {
    return this._get("participants?limit=200");
  }

  /** One round, with its turns (anyone in the circle): who spoke, passed or was passed over so far. */
  round(roundId) {
    return this._get(`rounds/${encodeURIComponent(roundId)}`);
  }

  /** Keeper: acknowledge a request for support; every keeper's screen stops showing it. */
  acknowledgeSupport(signalId) {
    return this._post(`support/${encodeURIComponent(signalId)}/ack`);
  }

  /** Keeper: start a round. `turn_seconds`: leave it out for the circle's, null for no limit. `kind`:
   * "sequential" (by seat) or "open" (to raised hands). `offer_seconds`: offer the piece first. */
  startRound({ prompt, turn_seconds, pass_back = false, kind = "sequential", offer_seconds = null } = {}) {
    const body = { kind };
    if (kind === "sequential") body.pass_back = pass_back; // pass_back belongs to sequential rounds
    if (prompt) body.prompt = prompt;
    if (turn_seconds !== undefined) body.turn_seconds = turn_seconds;
    if (offer_seconds !== null) body.offer_seconds = offer_seconds;
    return this._post("rounds", body);
  }

  /** Accept the circle's agreements, for oneself: `version` is the circle's agreements_version as read. */
  acceptAgreements(participantId, version) {
    return this._post(`participants/${encodeURIComponent(participantId)}/agreement`, { agreements_version: version });
  }

  /** Open rounds: raise your own hand (it joins the end of the line). */
  raiseHand(roundId) {
    return this._post(`rounds/${encodeURIComponent(roundId)}/hands`);
  }

  /** Lower a raised hand: your own, or (a keeper) anyone's. */
  lowerHand(roundId, participantId) {
    return this._post(`rounds/${encodeURIComponent(roundId)}/hands/${encodeURIComponent(participantId)}`, null, "DELETE");
  }

  /** Keeper: call on a raised hand out of order; it goes first in line. */
  callOnHand(roundId, participantId) {
    return this._post(`rounds/${encodeURIComponent(roundId)}/hands/${encodeURIComponent(participantId)}/call`);
  }

  /** Take the piece offered to you (offer rounds); the clock starts now. */
  acceptTurn(turnId) {
    return this._post(`turns/${encodeURIComponent(turnId)}/accept`);
  }

  /** The holder (or a keeper): end the turn as "spoke" or "passed". */
  finishTurn(turnId, outcome) {
    return this._post(`turns/${encodeURIComponent(turnId)}/finish`, { outcome });
  }

  skipTurn(turnId) {
    return this._post(`turns/${encodeURIComponent(turnId)}/skip`);
  }

  pauseRound(roundId) {
    return this._post(`rounds/${encodeURIComponent(roundId)}/pause`);
  }

  resumeRound(roundId) {
    return this._post(`rounds/${encodeURIComponent(roundId)}/resume`);
  }

  endRound(roundId) {
    return this._post(`rounds/${encodeURIComponent(roundId)}/end`);
  }

  /** Keeper: split the circle into pairs (`size` 2) or threes, `seconds_each` for each person. */
  startBreakout({ size = 2, seconds_each, prompt = "", keepers_float = true, grouping = "random" }) {
    const body = { size, seconds_each, keepers_float, grouping };
    if (prompt) body.prompt = prompt;
    return this._post("breakouts", body);
  }

  /** Your own turn in your group (or, a keeper, anyone's): "spoke" or "passed". */
  finishBreakoutTurn(turnId, outcome) {
    return this._post(`breakout-turns/${encodeURIComponent(turnId)}/finish`, { outcome });
  }

  /** Keeper: bring everyone back to the circle now. */
  endBreakout(breakoutId) {
    return this._post(`breakouts/${encodeURIComponent(breakoutId)}/end`);
  }
}
