// node --test: the package as an app uses it, against a running Circles server.
//
//   CIRCLES_BASE_URL=http://127.0.0.1:8000 CIRCLES_APP_KEY=ck_… node --test test/live.test.mjs
//
// tests/clients/test_js_client.py starts a server and runs this file; it also passes CIRCLES_OBSERVED, a file
// to which the round's test writes what the live client saw, so that the Python side can hold it against the
// circle's event log (and against any other observer of the same circle), and CIRCLES_WEBHOOK_URL, a webhook
// receiver that this test registers as an endpoint of the app before the round (its secret goes in the file).
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { test } from "node:test";

import * as circlesLive from "circles-client"; // the package by its own name: its exports map
import { CirclesLive } from "circles-client";

const BASE_URL = process.env.CIRCLES_BASE_URL;
const APP_KEY = process.env.CIRCLES_APP_KEY;
const WEBHOOK_URL = process.env.CIRCLES_WEBHOOK_URL;
const WAIT_MS = 30000; // a bound on waiting for a frame, never a measured time

test("circles-live.d.ts declares every export of circles-live.js, and nothing else", async () => {
  const declarations = await readFile(new URL("../circles-live.d.ts", import.meta.url), "utf8");
  const declared = [...declarations.matchAll(/^export declare (?:const|function|class) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), Object.keys(circlesLive).sort());
});

async function call(method, path, token, body) {
  const response = await fetch(new URL(path, BASE_URL), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function next(live, type, where = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${WAIT_MS} ms`)), WAIT_MS);
    const listener = (event) => {
      if (!where(event.detail)) return;
      clearTimeout(timer);
      live.removeEventListener(type, listener);
      resolve(event.detail);
    };
    live.addEventListener(type, listener);
  });
}

/**
 * Registers a webhook endpoint with the REST API's generated types (openapi.d.ts; test/types.check.ts holds
 * the same shapes against them with tsc).
 * @param {import("circles-client/rest").components["schemas"]["WebhookEndpointCreate"]} endpoint
 * @returns {Promise<import("circles-client/rest").components["schemas"]["WebhookEndpointCreated"]>}
 */
const registerWebhook = (endpoint) => call("POST", "/v1/app/webhooks", APP_KEY, endpoint);

const openTurn = (round) => round.turns.find((turn) => turn.ended_at === null) ?? null;

test("a whole round, driven over REST and followed by the live client", { skip: !BASE_URL && "no CIRCLES_BASE_URL" }, async () => {
  // Registered first: an endpoint is sent what happens after it was registered.
  const endpoint = WEBHOOK_URL ? await registerWebhook({ url: WEBHOOK_URL, description: "JS client test" }) : null;
  assert.ok(endpoint === null || endpoint.secret.startsWith("whsec_"));
  const circle = await call("POST", "/v1/circles", APP_KEY, { name: "JS client circle" });
  const people = [];
  for (const [display_name, role] of [["Keeper", "keeper"], ["Ana", "member"], ["Ben", "member"]]) {
    people.push(await call("POST", `/v1/circles/${circle.id}/participants`, APP_KEY, { display_name, role }));
  }
  const tokens = new Map(people.map((person) => [person.id, person.token]));
  const keeper = people[0];

  const live = new CirclesLive({ circleId: circle.id, token: keeper.token, baseUrl: BASE_URL, initialDelayMs: 50 });
  const seen = [];
  live.addEventListener("event", (event) => seen.push([event.detail.seq, event.detail.name]));
  const snapshot = next(live, "state", (detail) => detail.cause === "snapshot");
  live.start();
  try {
    const { state } = await snapshot;
    assert.equal(live.welcome.role, "keeper");
    assert.deepEqual(state.participants.map((p) => p.display_name), ["Keeper", "Ana", "Ben"]);

    const ended = next(live, "event", (frame) => frame.name === "round.ended");
    let round = await call("POST", `/v1/circles/${circle.id}/rounds`, keeper.token, { prompt: "How are you?" });
    let finished = 0;
    for (let turn = openTurn(round); turn !== null; turn = openTurn(round)) {
      const path = `/v1/circles/${circle.id}/turns/${turn.id}/finish`;
      round = await call("POST", path, tokens.get(turn.participant_id), { outcome: "spoke" });
      finished += 1;
    }
    assert.equal(finished, 3);
    assert.equal(round.end_reason, "completed");
    const last = await ended;

    // The live client's state is the server's: no round, no turn, at the log's last seq.
    const rest = await call("GET", `/v1/circles/${circle.id}/state`, APP_KEY);
    assert.equal(live.lastSeq, last.seq);
    assert.equal(rest.seq, last.seq);
    assert.equal(live.state.round, null);
    assert.equal(live.state.turn, null);
    assert.deepEqual(live.state.participants.map((p) => p.id), rest.participants.map((p) => p.id));
    if (process.env.CIRCLES_OBSERVED) {
      const observed = { circle_id: circle.id, snapshot_seq: state.seq, events: seen, webhook_secret: endpoint?.secret };
      await writeFile(process.env.CIRCLES_OBSERVED, JSON.stringify(observed));
    }
  } finally {
    live.stop();
  }
});
