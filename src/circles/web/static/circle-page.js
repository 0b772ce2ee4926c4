// The circle page's UI: draws the state that circles-live.js keeps, and sends the person's commands.
// How the token arrives and is kept: docs/circle-page.md. The ring is circle-ring.js; the cards beside it
// are the views listed in circle-views.js (the place a new view hooks in).

import { CircleCommands } from "./circle-commands.js";
import { drawRing } from "./circle-ring.js";
import { RoundProgress, progressLine } from "./circle-round-progress.js";
import { refusal, takeTokenFromFragment, tokenStore } from "./circle-token.js";
import { VIEWS } from "./circle-views.js";
import { CirclesLive, STOP_REASONS, parseServerTime, turnRemainingMs } from "./circles-live.js";

const $ = (id) => document.getElementById(id);
const circleId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || ""); // …/circle/{id}
const store = tokenStore(circleId);
const OFFER_SECONDS = 60; // how long an offered piece waits to be taken, when the keeper offers it
// The service's root, from this page's own address (/…/circle/{id}), so a path prefix in front works.
const serviceRoot = new URL("../", location.href).toString();

let live = null;
let commands = null;
let busy = false;
let lastAnnouncement = "";
const progress = new RoundProgress((roundId) => commands.round(roundId), () => render());

function show(element, visible) {
  element.hidden = !visible;
}

function formatClock(ms) {
  const total = Math.ceil(Math.abs(ms) / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return `${minutes}:${seconds}`;
}

function me(state) {
  const id = live && live.welcome ? live.welcome.participant_id : null;
  return state.participants.find((p) => p.id === id) || null; // a witness is counted, not listed: null
}

function nameOf(state, participantId) {
  const person = state.participants.find((p) => p.id === participantId);
  return person ? person.display_name : "Someone who left";
}

/** What every view draws from (circle-views.js). */
function currentView() {
  const state = live ? live.state : null;
  return { state, self: state ? me(state) : null, live, commands, busy, nameOf, redraw: render };
}

function drawAudience(state) {
  const audience = state.audience;
  const element = $("audience");
  show(element, Boolean(audience && audience.witnesses > 0));
  if (audience) element.textContent = `${audience.online} listening`;
}

/** The open turn is an offer not yet taken. */
function offered(state) {
  return Boolean(state.turn && state.round && state.round.offer_seconds && !state.turn.accepted_at);
}

/** Milliseconds of the moment of silence left, or 0. */
function silenceMs(state) {
  const until = state.turn && state.turn.silent_until;
  return until && live ? Math.max(parseServerTime(until) - live.serverNow(), 0) : 0;
}

function announce(text) {
  if (text === lastAnnouncement) return;
  lastAnnouncement = text;
  $("announce").textContent = text;
}

function strong(text) {
  return Object.assign(document.createElement("strong"), { textContent: text });
}

/** The words in the middle of the ring, and what a screen reader hears when they change. */
function drawHolder(state, self, returned) {
  const { circle, round, turn } = state;
  const holderId = turn ? turn.participant_id : null;
  const paused = Boolean(round && round.status === "paused");
  const offer = offered(state);
  const mine = Boolean(self && holderId === self.id);
  const holder = $("holder");
  if (circle.status === "closed") holder.textContent = "This circle has closed.";
  else if (!round) holder.textContent = "Waiting for a round";
  else if (!turn && round.kind === "open") holder.textContent = paused ? "Paused" : "Waiting for a raised hand";
  else if (!turn) holder.textContent = paused ? "Paused" : "Passing the piece…";
  else if (offer && mine) holder.replaceChildren("The piece is offered to ", strong("you"));
  else if (offer) holder.replaceChildren("The piece is offered to ", strong(nameOf(state, holderId)));
  else if (returned && mine) holder.replaceChildren("The piece is back with ", strong("you"), ". You passed earlier.");
  else if (returned) holder.replaceChildren("The piece is back with ", strong(nameOf(state, holderId)), ", who passed earlier");
  else if (mine) holder.replaceChildren(strong("You"), " hold the piece");
  else holder.replaceChildren(strong(nameOf(state, holderId)), " holds the piece");

  if (!round) announce(circle.status === "closed" ? "The circle has closed." : "No round in progress.");
  else if (paused) announce("The round is paused.");
  else if (offer && mine) announce("The piece is offered to you. Take it when you are ready.");
  else if (turn && mine && returned) announce("The piece has come back to you. You passed earlier: speak now, or pass again.");
  else if (turn && mine) announce("It is your turn. You hold the piece.");
  else if (turn && returned) announce(`The piece is back with ${nameOf(state, holderId)}, who passed earlier.`);
  else if (turn) announce(`${nameOf(state, holderId)} holds the piece.`);
}

function render() {
  const view = currentView();
  const { state, self } = view;
  if (!state) return;
  $("page").setAttribute("aria-busy", "false");
  $("page").dataset.seq = String(state.seq);
  show($("circle-view"), true);
  show($("token-form"), false);
  const { circle, round, turn } = state;
  document.title = `${circle.name} · Circle`;
  $("circle-name").textContent = circle.name;
  $("circle-intention").textContent = circle.intention || "";
  show($("circle-intention"), Boolean(circle.intention));
  for (const part of VIEWS) part.render(view);
  const holderId = turn ? turn.participant_id : null;
  const paused = Boolean(round && round.status === "paused");
  const offer = offered(state);
  const marks = progress.marks();
  const returned = progress.returned(state);
  drawRing({ state, holderId, self, marks, returned });
  drawAudience(state);

  $("prompt").textContent = round ? round.prompt || "A round without a prompt." : "No round in progress.";
  $("round-status").textContent = paused ? "Paused. The clock is stopped." : "";
  show($("round-status"), paused);
  $("round-progress").textContent = progressLine(state, marks);
  show($("round-progress"), Boolean(round));
  drawHolder(state, self, returned);

  const isHolder = Boolean(self && turn && holderId === self.id && circle.status === "open");
  show($("holder-actions"), isHolder);
  show($("take"), offer);
  show($("offer-note"), offer);
  show($("done"), !offer);
  $("take").disabled = busy || paused || silenceMs(state) > 0;
  $("done").disabled = busy || paused;
  $("pass").disabled = busy || paused;

  const isKeeper = Boolean(self && self.role === "keeper" && circle.status === "open");
  show($("keeper-actions"), isKeeper);
  show($("round-controls"), isKeeper && Boolean(round));
  show($("start-form"), isKeeper && !round);
  $("skip").disabled = busy || !turn || paused;
  show($("pause"), !paused);
  show($("resume"), paused);
  for (const id of ["pause", "resume", "end", "start"]) $(id).disabled = busy;
  show($("start-pass-back-label"), $("start-kind").value === "sequential");
  $("start-time-default").textContent =
    circle.turn_seconds === null ? "The circle’s (no limit)" : `The circle’s (${formatClock(circle.turn_seconds * 1000)})`;

  if (self) $("me").textContent = `You are ${self.display_name}${self.role === "member" ? "" : `, ${self.role}`}.`;
  else if (live.welcome && live.welcome.role === "witness") $("me").textContent = "You are listening, as a witness.";
  show($("me-bar"), true);
  tick();
}

/** The countdown and the timer arc, from the server's deadline and clock. */
function tick() {
  const state = live && live.state;
  const remaining = state ? turnRemainingMs(state, live.serverNow()) : null;
  if (state && offered(state)) {
    const silence = silenceMs(state);
    $("offer-note").textContent = silence > 0 ? `A moment of silence: ${formatClock(silence)}` : "Take it when you are ready.";
    $("take").disabled = busy || silence > 0 || (state.round && state.round.status === "paused");
  }
  const ring = $("ring");
  const countdown = $("countdown");
  show(countdown, remaining !== null);
  ring.toggleAttribute("data-timed", remaining !== null);
  ring.toggleAttribute("data-overtime", remaining !== null && remaining < 0);
  if (remaining === null) return;
  const hard = state.round && state.round.time_limit === "hard";
  if (remaining >= 0 || hard) {
    countdown.textContent = formatClock(Math.max(remaining, 0));
  } else {
    countdown.textContent = `+${formatClock(remaining)} over`;
  }
  const seconds = state.round && (offered(state) ? state.round.offer_seconds : state.round.turn_seconds);
  const fraction = seconds ? Math.min(Math.max(remaining / (seconds * 1000), 0), 1) : 0;
  $("timer-arc").setAttribute("stroke-dashoffset", (100 - fraction * 100).toFixed(2));
}

const PHASE_LABELS = { live: "Live", connecting: "Connecting…", reconnecting: "Reconnecting", stopped: "Disconnected" };

/** The connection pill. It is a status region: its words change only with the phase, and the seconds
 * until the next attempt tick in a part screen readers skip, so nobody hears a countdown. */
function showConnection(status) {
  const element = $("connection");
  if (element.dataset.phase !== status.phase || !$("retry-wait")) {
    element.dataset.phase = status.phase;
    $("page").dataset.connection = status.phase;
    const wait = Object.assign(document.createElement("span"), { id: "retry-wait" });
    wait.setAttribute("aria-hidden", "true");
    element.replaceChildren(PHASE_LABELS[status.phase], wait);
  }
  let wait = "";
  if (status.phase === "reconnecting") {
    const seconds = status.retryAt ? Math.ceil((status.retryAt - Date.now()) / 1000) : 0;
    wait = seconds > 0 ? ` in ${seconds} s…` : "…";
  }
  if ($("retry-wait").textContent !== wait) $("retry-wait").textContent = wait;
}

function stopped(status) {
  const code = status.closeCode;
  const credentialRefused = code === 4401 || code === 4403 || code === 4404;
  if (credentialRefused) {
    store.clear();
    askForToken(status.reason);
    return;
  }
  const reason = status.reason || STOP_REASONS[code] || "Disconnected.";
  $("notice").textContent = reason;
  show($("notice"), true);
  // Stopped before the circle ever showed: its notice is not on screen, so the reason goes above it.
  $("stopped-reason").textContent = reason;
  show($("stopped-reason"), !(live && live.state));
  show($("retry"), code !== 4410);
  show($("me-bar"), true);
  render();
}

function askForToken(reason) {
  live?.stop();
  live = null;
  commands = null;
  show($("circle-view"), false);
  show($("me-bar"), false);
  show($("token-form"), true);
  $("page").setAttribute("aria-busy", "false");
  show($("stopped-reason"), false);
  $("token-reason").textContent = reason || "";
  show($("token-reason"), Boolean(reason));
  showConnection({ phase: "stopped" });
  $("token-input").focus();
}

function connect(token) {
  live?.stop();
  show($("notice"), false);
  show($("stopped-reason"), false);
  show($("retry"), false);
  live = new CirclesLive({ circleId, token, baseUrl: serviceRoot });
  commands = new CircleCommands({ circleId, token, baseUrl: serviceRoot });
  live.addEventListener("state", (event) => {
    const view = currentView();
    progress.follow(event.detail.state, event.detail.cause);
    for (const part of VIEWS) part.follow?.(event.detail, view);
    render();
  });
  live.addEventListener("support", render);
  // circle-date.js (a support date's two-person layout) follows the same connection.
  window.dispatchEvent(new CustomEvent("circles:connected", { detail: { live, token, baseUrl: serviceRoot } }));
  live.addEventListener("status", (event) => {
    showConnection(event.detail);
    if (event.detail.phase === "stopped") stopped(event.detail);
  });
  live.start();
}

/** Runs one command; a refusal is shown quietly (409 turn_not_open: someone else moved the piece first). */
async function send(command) {
  if (busy || !commands) return;
  busy = true;
  show($("notice"), false);
  render();
  try {
    await command(commands);
  } catch (error) {
    const text = error.code === "turn_not_open" ? "The piece had already moved on." : error.message;
    $("notice").textContent = text || "That did not work. Please try again.";
    show($("notice"), true);
  } finally {
    busy = false;
    render();
  }
}

function wire() {
  const state = () => live && live.state;
  for (const part of VIEWS) part.wire?.({ send, current: currentView });
  $("take").addEventListener("click", () => send((c) => c.acceptTurn(state().turn.id)));
  $("start-kind").addEventListener("change", render);
  $("done").addEventListener("click", () => send((c) => c.finishTurn(state().turn.id, "spoke")));
  $("pass").addEventListener("click", () => send((c) => c.finishTurn(state().turn.id, "passed")));
  $("skip").addEventListener("click", () => send((c) => c.skipTurn(state().turn.id)));
  $("pause").addEventListener("click", () => send((c) => c.pauseRound(state().round.id)));
  $("resume").addEventListener("click", () => send((c) => c.resumeRound(state().round.id)));
  $("end").addEventListener("click", () => send((c) => c.endRound(state().round.id)));
  $("start-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const time = $("start-time").value;
    const options = { prompt: $("start-prompt").value.trim(), pass_back: $("start-pass-back").checked };
    options.kind = $("start-kind").value;
    if ($("start-offer").checked) options.offer_seconds = OFFER_SECONDS;
    if (time === "none") options.turn_seconds = null;
    else if (time !== "default") options.turn_seconds = Number(time);
    send((c) => c.startRound(options)).then(() => {
      if (!$("notice").hidden) return;
      $("start-prompt").value = "";
    });
  });
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("token-input").value.trim();
    if (refusal(token)) {
      $("token-reason").textContent = refusal(token);
      show($("token-reason"), true);
      return;
    }
    $("token-input").value = "";
    store.set(token);
    connect(token);
  });
  $("forget").addEventListener("click", () => {
    store.clear();
    askForToken("Your token was removed from this tab.");
  });
  $("retry").addEventListener("click", () => {
    const token = store.get();
    if (token) connect(token);
    else askForToken();
  });
  setInterval(() => {
    tick();
    if (live && live.status.phase === "reconnecting") showConnection(live.status);
  }, 250);
}

wire();
takeTokenFromFragment(store);
const token = store.get();
if (token) connect(token);
else askForToken();
