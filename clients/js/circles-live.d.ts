/**
 * Types for circles-live.js, the live client the circle page uses (docs/protocol.md). Written by hand; the
 * shapes of the circle, its people, rounds and turns are the REST API's own (openapi.d.ts, generated), so
 * they change with the API. test/live.test.mjs checks that this file declares every export of the module.
 */

import type { components } from "./openapi.js";

type Schemas = components["schemas"];

export type Role = Schemas["Role"];
export type Outcome = Schemas["Outcome"];
export type Circle = Schemas["CirclePublic"];
/** A keeper or member; `online` is kept up to date from presence frames. */
export type Participant = Schemas["ParticipantPublic"];
export type Round = Schemas["RoundPublic"];
export type Turn = Schemas["TurnPublic"];
/** The circle's witnesses, counted, not listed. */
export type Audience = Schemas["Audience"];
/** Everything a screen needs to draw the circle, as of `seq` (what GET /v1/circles/{id}/state answers). */
export type CircleState = Schemas["CircleState"];

/** The events the service sends today; a client ignores a name it does not know (new ones are added). */
export type EventName =
  | "circle.updated"
  | "circle.closed"
  | "participant.joined"
  | "participant.updated"
  | "participant.left"
  | "participant.agreed"
  | "round.started"
  | "round.paused"
  | "round.resumed"
  | "round.ended"
  | "turn.started"
  | "turn.ended"
  | "turn.overtime"
  | "turn.accepted"
  | "turn.away"
  | "turn.back"
  | "hand.raised"
  | "hand.lowered"
  | "hand.called"
  | "gathering.planned"
  | "gathering.advanced"
  | (string & {});

export interface WelcomeFrame {
  type: "welcome";
  participant_id: string | null;
  role: Role | "app";
  server_time: string;
}
export interface SnapshotFrame {
  type: "snapshot";
  seq: number;
  state: CircleState;
}
export interface EventFrame {
  type: "event";
  seq: number;
  name: EventName;
  at: string;
  data: Record<string, unknown>;
}
export interface PresenceFrame {
  type: "presence";
  participant_id: string;
  online: boolean;
}
export interface PresenceListFrame {
  type: "presence";
  participants_online: string[];
}
export interface AudienceFrame {
  type: "audience";
  witnesses: number;
  online: number;
}
/** Keepers' and the app's sockets only: a request for support, pending until acknowledged. */
export interface SupportFrame {
  type: "support";
  signal_id: string;
  participant_id: string;
  at: string;
}
export interface SupportAcknowledgedFrame {
  type: "support_acknowledged";
  signal_id: string;
  acknowledged_by: string | null;
  acknowledged_at: string;
}

/** The connection as your UI shows it. */
export interface ConnectionStatus {
  phase: "connecting" | "live" | "reconnecting" | "stopped";
  /** failed attempts in a row (0 while live) */
  attempt: number;
  /** Date.now() time of the next attempt, while reconnecting */
  retryAt: number | null;
  closeCode: number | null;
  /** why it stopped (phase "stopped") */
  reason: string | null;
}

export interface CirclesLiveOptions {
  circleId: string;
  /** a participant's token (a server-side client may use an app key) */
  token: string;
  /** where the service is: "https://circles.example", or with a path prefix; default: this page's origin */
  baseUrl?: string;
  /** the first retry's delay (before jitter) */
  initialDelayMs?: number;
  /** the longest delay between attempts */
  maxDelayMs?: number;
}

export interface StateDetail {
  state: CircleState;
  cause: "snapshot" | "presence" | "audience" | EventFrame;
}

export interface CirclesLiveEventMap {
  welcome: CustomEvent<WelcomeFrame>;
  state: CustomEvent<StateDetail>;
  /** each seq once, in order */
  event: CustomEvent<EventFrame>;
  status: CustomEvent<ConnectionStatus>;
  /** keepers: the requests for support no one has acknowledged, oldest first */
  support: CustomEvent<{ pending: SupportFrame[] }>;
}

/** Close codes after which retrying with the same token cannot help; what each means. */
export declare const STOP_REASONS: Readonly<Record<number, string>>;

/** Parses a server timestamp to epoch milliseconds. */
export declare function parseServerTime(text: string): number;

/** The service's root URL, always ending in "/". */
export declare function serviceRoot(baseUrl?: string | null): URL;

/** The state after one event (a new object); unknown event names change only `seq`. */
export declare function applyEvent(state: CircleState, frame: EventFrame): CircleState;

/** Milliseconds left in the open turn at `serverNowMs` (negative: overtime), or null with no limit. */
export declare function turnRemainingMs(state: CircleState | null, serverNowMs: number): number | null;

/** The live connection to one circle: keeps its state, reconnects with backoff and resumes with `after`. */
export declare class CirclesLive extends EventTarget {
  constructor(options: CirclesLiveOptions);
  readonly url: string;
  token: string;
  initialDelayMs: number;
  maxDelayMs: number;
  state: CircleState | null;
  welcome: WelcomeFrame | null;
  support: Map<string, SupportFrame>;
  /** server clock minus local clock, in ms */
  clockOffsetMs: number;
  status: ConnectionStatus;
  /** the last seq this client holds, or null before its first snapshot */
  readonly lastSeq: number | null;
  /** Connects (again, after stop()). */
  start(): void;
  /** Closes the socket and stops reconnecting. */
  stop(): void;
  /** While waiting to reconnect: try now. */
  reconnectNow(): void;
  /** The server's clock now, in epoch ms. */
  serverNow(): number;
  /** Keepers: stop showing a request for support. */
  forgetSupport(signalId: string): void;
  addEventListener<K extends keyof CirclesLiveEventMap>(
    type: K,
    listener: (event: CirclesLiveEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof CirclesLiveEventMap>(
    type: K,
    listener: (event: CirclesLiveEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}
