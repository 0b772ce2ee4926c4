// Type-checked with the pinned tsc (tests/clients/test_js_client.py), never run: the declarations describe
// the module as an app uses it, and the generated REST types fit what the live client holds.
import { CirclesLive, applyEvent, turnRemainingMs, type CircleState, type EventFrame } from "circles-client";
import type { components, operations, paths } from "circles-client/rest";

type CircleCreate = components["schemas"]["CircleCreate"];
type Created = operations["create_circle"]["responses"][201]["content"]["application/json"];
type StartRound = paths["/v1/circles/{circle_id}/rounds"]["post"];

const body: CircleCreate = { name: "Tuesday circle" };
const created = null as unknown as Created;
const circleId: string = created.id;
const start: StartRound["requestBody"] = { content: { "application/json": { prompt: "How are you?" } } };
// What test/live.test.mjs sends and reads when it registers its webhook endpoint.
const endpoint: components["schemas"]["WebhookEndpointCreate"] = { url: "http://127.0.0.1:9/hooks", description: "JS client test" };
const registered = null as unknown as operations["create_webhook"]["responses"][201]["content"]["application/json"];
const secret: string = registered.secret;

const live = new CirclesLive({ circleId, token: "cpt_…", baseUrl: "https://circles.example" });
live.addEventListener("event", (event) => {
  const frame: EventFrame = event.detail;
  const seq: number = frame.seq;
  void seq;
});
live.addEventListener("state", (event) => {
  const state: CircleState = event.detail.state;
  const left: number | null = turnRemainingMs(state, live.serverNow());
  const after: CircleState = applyEvent(state, { type: "event", seq: state.seq + 1, name: "turn.overtime", at: "", data: {} });
  void left, after;
});
live.addEventListener("status", (event) => event.detail.phase satisfies "connecting" | "live" | "reconnecting" | "stopped");
const held: number | null = live.lastSeq;
live.start();
live.stop();
void body, start, held, endpoint, secret;
