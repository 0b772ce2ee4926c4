// The circle page's UI: draws the state that circles-live.js keeps, and sends the person's commands.
// How the token arrives and is kept: docs/circle-page.md.

import { renderAgreements, wireAgreements } from "./circle-agreements.js";
import { renderBreakout, wireBreakout } from "./circle-breakout.js";
import { CircleCommands } from "./circle-commands.js";
import { renderHands, wireHands } from "./circle-hands.js";
import { renderSupport, wireSupport } from "./circle-support.js";
import { CirclesLive, STOP_REASONS, parseServerTime, turnRemainingMs } from "./circles-live.js";

const $ = (id) => document.getElementById(id);
const circleId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || ""); // …/circle/{id}
const storageKey = `circles.token.${circleId}`;
const SEAT_RADIUS = 39; // percent of the ring, from its centre
const CROWDED = 12; // more seats than this: smaller seats
const OFFER_SECONDS = 60; // how long an offered piece waits to be taken, when the keeper offers it
// The service's root, from this page's own address (/…/circle/{id}), so a path prefix in front works.
const serviceRoot = new URL("../", location.href).toString();

let live = null;
let commands = null;
let busy = false;
let lastAnnouncement = "";
let memoryToken = null; // where the token lives when the browser refuses sessionStorage

const store = {
  get() {
    try {
      return sessionStorage.getItem(storageKey);
    } catch {
      return memoryToken;
    }
  },
  set(token) {
    memoryToken = token;
    try {
      sessionStorage.setItem(storageKey, token);
    } catch {
      /* memory only */
    }
  },
  clear() {
    memoryToken = null;
    try {
      sessionStorage.removeItem(storageKey);
    } catch {
      /* nothing kept */
    }
  },
};

/** A token in the fragment (#token=cpt_…) is kept for this tab and wiped from the address bar at once. */
function takeTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = (fragment.get("token") || "").trim();
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  if (token && !refusal(token)) store.set(token);
}

/** Why this page will not use a credential, or null. An app key belongs on the app's server. */
function refusal(token) {
  return token.startsWith("ck_") ? "That is an app key. This page takes a participant token (cpt_…)." : null;
}

function show(element, visible) {
  element.hidden = !visible;
}

function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || "?").slice(0, 2);
  return letters.toUpperCase();
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

function drawAudience(state) {
  const audience = state.audience;
  const element = $("audience");
  show(element, Boolean(audience && audience.witnesses > 0));
  if (audience) element.textContent = `${audience.online} listening`;
}

function nameOf(state, participantId) {
  const person = state.participants.find((p) => p.id === participantId);
  return person ? person.display_name : "Someone who left";
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

function drawSeats(state, holderId, self) {
  const list = $("seats");
  const people = state.participants;
  $("ring").toggleAttribute("data-crowded", people.length > CROWDED);
  list.replaceChildren(
    ...people.map((person, index) => {
      const angle = (index / Math.max(people.length, 1)) * 2 * Math.PI - Math.PI / 2;
      const seat = document.createElement("li");
      seat.className = "seat";
      seat.dataset.participantId = person.id;
      seat.style.setProperty("--x", (50 + SEAT_RADIUS * Math.cos(angle)).toFixed(2));
      seat.style.setProperty("--y", (50 + SEAT_RADIUS * Math.sin(angle)).toFixed(2));
      seat.toggleAttribute("data-online", person.online);
      seat.toggleAttribute("data-holder", person.id === holderId);
      seat.toggleAttribute("data-me", self !== null && person.id === self.id);
      seat.toggleAttribute("data-hand", state.hands.includes(person.id));
      const dot = document.createElement("span");
      dot.className = "seat-dot";
      dot.textContent = initials(person.display_name);
      dot.setAttribute("aria-hidden", "true");
      const name = document.createElement("span");
      name.className = "seat-name";
      name.textContent = self !== null && person.id === self.id ? `${person.display_name} (you)` : person.display_name;
      name.title = person.display_name;
      const role = document.createElement("span");
      role.className = "seat-role";
      role.textContent = person.role === "member" ? "" : person.role;
      const description = [person.display_name, person.online ? "online" : "offline"];
      if (person.role !== "member") description.push(person.role);
      if (person.id === holderId) description.push("holds the piece");
      if (state.hands.includes(person.id)) description.push("hand raised");
      seat.setAttribute("aria-label", description.join(", "));
      seat.append(dot, name, role);
      return seat;
    }),
  );
  const piece = $("piece");
  const holderSeat = holderId ? list.querySelector(`[data-participant-id="${CSS.escape(holderId)}"]`) : null;
  show(piece, holderSeat !== null);
  if (holderSeat) {
    piece.style.setProperty("--x", holderSeat.style.getPropertyValue("--x"));
    piece.style.setProperty("--y", holderSeat.style.getPropertyValue("--y"));
  }
}

function announce(text) {
  if (text === lastAnnouncement) return;
  lastAnnouncement = text;
  $("announce").textContent = text;
}

function render() {
  const state = live && live.state;
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
  const self = me(state);
  renderAgreements(circle, self, busy);
  renderHands(state, self, nameOf, busy);
  renderBreakout(state, self, nameOf, busy, () => live.serverNow());
  renderSupport(state, self, [...live.support.values()], busy, () => commands.participants());
  const holderId = turn ? turn.participant_id : null;
  const paused = Boolean(round && round.status === "paused");
  const offer = offered(state);
  drawSeats(state, holderId, self);
  drawAudience(state);

  $("prompt").textContent = round ? round.prompt || "A round without a prompt." : "No round in progress.";
  $("round-status").textContent = paused ? "Paused. The clock is stopped." : "";
  show($("round-status"), paused);
  const holder = $("holder");
  if (circle.status === "closed") holder.textContent = "This circle has closed.";
  else if (!round) holder.textContent = "Waiting for a round";
  else if (!turn && round.kind === "open") holder.textContent = paused ? "Paused" : "Waiting for a raised hand";
  else if (!turn) holder.textContent = paused ? "Paused" : "Passing the piece…";
  else if (offer && self && holderId === self.id) holder.replaceChildren("The piece is offered to ", strong("you"));
  else if (offer) holder.replaceChildren("The piece is offered to ", strong(nameOf(state, holderId)));
  else if (self && holderId === self.id) holder.replaceChildren(strong("You"), " hold the piece");
  else holder.replaceChildren(strong(nameOf(state, holderId)), " holds the piece");

  if (!round) announce(circle.status === "closed" ? "The circle has closed." : "No round in progress.");
  else if (paused) announce("The round is paused.");
  else if (offer && self && holderId === self.id) announce("The piece is offered to you. Take it when you are ready.");
  else if (turn && self && holderId === self.id) announce("It is your turn. You hold the piece.");
  else if (turn) announce(`${nameOf(state, holderId)} holds the piece.`);

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

function strong(text) {
  return Object.assign(document.createElement("strong"), { textContent: text });
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
  $("notice").textContent = status.reason || STOP_REASONS[code] || "Disconnected.";
  show($("notice"), true);
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
  $("token-reason").textContent = reason || "";
  show($("token-reason"), Boolean(reason));
  showConnection({ phase: "stopped" });
  $("token-input").focus();
}

function connect(token) {
  live?.stop();
  show($("notice"), false);
  show($("retry"), false);
  live = new CirclesLive({ circleId, token, baseUrl: serviceRoot });
  commands = new CircleCommands({ circleId, token, baseUrl: serviceRoot });
  live.addEventListener("state", render);
  live.addEventListener("support", render);
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
  const current = () => ({ state: state(), self: state() ? me(state()) : null });
  wireAgreements(send, current);
  wireHands(send, current);
  wireBreakout(send, current);
  wireSupport(send, (signalId) => live?.forgetSupport(signalId));
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
takeTokenFromFragment();
const token = store.get();
if (token) connect(token);
else askForToken();
