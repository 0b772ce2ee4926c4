// The circle page in a support date's two-person layout. circle-page.js draws the circle as usual (the
// clock, "I'm done", the agreements); this module adds, for a circle whose `kind` is "support_date", the two
// people side by side, whose time it is, the meeting's own controls (begin, pause, resume, end), when the
// next meeting is, and ending the date. It learns of the page's live connection from the
// "circles:connected" event circle-page.js sends, and finds its date with the person's token
// (GET /v1/support-dates lists the one date a token is for). Loaded before circle-page.js.

const $ = (id) => document.getElementById(id);
const SHOW = (element, visible) => element.toggleAttribute("hidden", !visible);

let connection = null; // { live, token, baseUrl }
let date = null; // the support date, as GET /v1/support-dates/{id} answers it
let busy = false;
let lastRound = null; // the meeting this page last saw (null: none in progress)

window.addEventListener("circles:connected", (event) => {
  connection = event.detail;
  date = null;
  lastRound = null;
  connection.live.addEventListener("state", () => onState());
});

async function request(method, path) {
  const response = await fetch(new URL(`v1/support-dates${path}`, connection.baseUrl), {
    method,
    headers: { Authorization: `Bearer ${connection.token}` },
    credentials: "omit",
    cache: "no-store",
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(payload.detail || `HTTP ${response.status}`), { code: payload.code });
  return payload;
}

async function onState() {
  const state = connection && connection.live.state;
  const page = $("page");
  if (!state || state.circle.kind !== "support_date") {
    delete page.dataset.kind;
    return;
  }
  page.dataset.kind = "support_date";
  ensureView();
  if (!date) {
    try {
      const found = await request("GET", "");
      date = found.items[0] || null;
    } catch {
      date = null;
    }
  }
  draw();
  // A meeting began or ended, or the circle closed: who begins next, and the date itself, changed.
  const roundId = state.round ? state.round.id : null;
  if (roundId !== lastRound) {
    const ended = lastRound;
    lastRound = roundId;
    await refresh();
    if (ended && !roundId) readAirtime();
  } else if (state.circle.status === "closed" && date && date.status !== "ended") {
    refresh();
  }
}

async function refresh() {
  if (!date) return;
  try {
    date = await request("GET", `/${date.id}`);
  } catch {
    /* keep what we had */
  }
  draw();
}

async function readAirtime() {
  try {
    const airtime = await request("GET", `/${date.id}/airtime`);
    const note = $("date-airtime");
    if (airtime.shared_equally === true) note.textContent = "Your time has been shared equally.";
    else if (airtime.shared_equally === false) note.textContent = "Your time has not been shared equally so far.";
    else note.textContent = "";
    SHOW(note, Boolean(note.textContent));
  } catch {
    /* the note stays as it was */
  }
}

/** The date's section, built once, at the top of the circle's view. */
function ensureView() {
  if ($("date-view")) return;
  const view = document.createElement("section");
  view.id = "date-view";
  view.className = "card date-view";
  view.setAttribute("aria-labelledby", "date-title");
  view.innerHTML = `
    <h2 id="date-title">Support date</h2>
    <p id="date-kind" class="hint"></p>
    <ul id="date-people" class="date-people"></ul>
    <p id="date-status" class="date-status" role="status"></p>
    <p id="date-airtime" class="hint" hidden></p>
    <div class="actions">
      <button type="button" id="date-begin" class="primary" hidden>Begin our meeting</button>
      <button type="button" id="date-pause" hidden>Pause</button>
      <button type="button" id="date-resume" hidden>Resume</button>
      <button type="button" id="date-stop" class="quiet" hidden>End this meeting</button>
    </div>
    <p id="date-next" class="hint" hidden></p>
    <p id="date-notice" class="notice" role="alert" hidden></p>
    <details class="date-end">
      <summary>End our support date</summary>
      <p class="hint">Either of you may end the arrangement at any time. No more meetings are arranged.</p>
      <button type="button" id="date-end" class="quiet">End the support date</button>
    </details>`;
  $("circle-view").prepend(view);
  const state = () => connection.live.state;
  $("date-begin").addEventListener("click", () => act(() => request("POST", `/${date.id}/meetings`)));
  $("date-pause").addEventListener("click", () => act(() => circlePost(`rounds/${state().round.id}/pause`)));
  $("date-resume").addEventListener("click", () => act(() => circlePost(`rounds/${state().round.id}/resume`)));
  $("date-stop").addEventListener("click", () => act(() => circlePost(`rounds/${state().round.id}/end`)));
  $("date-end").addEventListener("click", () =>
    act(async () => {
      date = await request("POST", `/${date.id}/end`);
    }),
  );
}

async function circlePost(path) {
  const state = connection.live.state;
  const url = new URL(`v1/circles/${encodeURIComponent(state.circle.id)}/${path}`, connection.baseUrl);
  const response = await fetch(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${connection.token}` },
    credentials: "omit",
    cache: "no-store",
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(payload.detail || `HTTP ${response.status}`), { code: payload.code });
  return payload;
}

async function act(command) {
  if (busy || !date) return;
  busy = true;
  SHOW($("date-notice"), false);
  draw();
  try {
    await command();
  } catch (error) {
    $("date-notice").textContent = error.message || "That did not work. Please try again.";
    SHOW($("date-notice"), true);
  } finally {
    busy = false;
    draw();
  }
}

function nameOf(participantId) {
  const person = date && date.people.find((p) => p.participant_id === participantId);
  return person ? person.display_name : "Someone";
}

function draw() {
  const state = connection && connection.live.state;
  if (!state || !$("date-view")) return;
  const selfId = connection.live.welcome ? connection.live.welcome.participant_id : null;
  const { round, turn, circle } = state;
  const ended = circle.status === "closed" || (date && date.status === "ended");
  const paused = Boolean(round && round.status === "paused");
  const list = $("date-people");
  const people = date ? date.people : [];
  const online = new Set(state.participants.filter((p) => p.online).map((p) => p.id));
  list.replaceChildren(
    ...people.map((person) => {
      const item = document.createElement("li");
      item.className = "date-person";
      item.dataset.participantId = person.participant_id;
      item.toggleAttribute("data-holder", Boolean(turn && turn.participant_id === person.participant_id));
      item.toggleAttribute("data-self", person.participant_id === selfId);
      item.toggleAttribute("data-online", online.has(person.participant_id));
      const name = document.createElement("strong");
      name.className = "date-name";
      name.textContent = person.participant_id === selfId ? `${person.display_name} (you)` : person.display_name;
      const role = document.createElement("span");
      role.className = "date-role";
      const speaking = turn && turn.participant_id === person.participant_id;
      role.textContent = speaking ? "Speaking" : person.speaks ? "Listening now" : "Listens";
      item.append(name, role);
      return item;
    }),
  );
  const partner = people.find((p) => p.participant_id !== selfId);
  $("date-title").textContent = partner ? `Support date with ${partner.display_name}` : "Support date";
  if (date) {
    const minutes = Math.round(date.seconds_each / 6) / 10;
    $("date-kind").textContent =
      date.kind === "mentoring"
        ? `Mentoring: ${nameOf(date.people.find((p) => p.speaks)?.participant_id)} speaks for ${minutes} min; the other listens.`
        : `Reciprocal: ${minutes} min each, while the other only listens; then you swap.`;
  }
  const status = $("date-status");
  if (ended) status.textContent = "This support date has ended.";
  else if (!round) status.textContent = date && date.next_starts_with ? `${nameOf(date.next_starts_with)} begins the next meeting.` : "";
  else if (paused) status.textContent = "Paused. The clock is stopped.";
  else if (turn && turn.participant_id === selfId) status.textContent = "Your time to speak. Your partner listens.";
  else if (turn) status.textContent = `${nameOf(turn.participant_id)} is speaking. You listen.`;
  else status.textContent = "Swapping…";
  const next = $("date-next");
  const upcoming = date && date.next_occurrences.length ? new Date(date.next_occurrences[0]) : null;
  next.textContent = upcoming
    ? `Next meeting: ${upcoming.toLocaleString(undefined, { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })}`
    : "";
  SHOW(next, Boolean(upcoming) && !ended);
  SHOW($("date-begin"), Boolean(date) && !round && !ended);
  SHOW($("date-pause"), Boolean(round) && !paused && !ended);
  SHOW($("date-resume"), paused && !ended);
  SHOW($("date-stop"), Boolean(round) && !ended);
  SHOW($("date-view").querySelector(".date-end"), Boolean(date) && !ended);
  for (const id of ["date-begin", "date-pause", "date-resume", "date-stop", "date-end"]) $(id).disabled = busy;
}
