// The circle page's breakouts: the circle splits into pairs (or threes) and each group passes the piece.
// A participant sees their group, their partner's name, whose turn it is there and the time left, and
// "Back in the circle" when it ends; a keeper (or a witness) sees every group at a glance, and a keeper
// can break the circle into groups and bring everyone back early. The state is circles-live.js's
// (`state.breakout`, kept from the breakout.* events); this module draws it in a card of its own.

import { parseServerTime } from "./circles-live.js";

const $ = (id) => document.getElementById(id);
const TIMES = [60, 120, 180, 300]; // seconds each, as the keeper's form offers them

let lastBreakoutId = null; // the breakout this page last drew, to say "Back in the circle" when it ends
let backInCircle = false;
let serverNow = () => Date.now();

function el(tag, props = {}, ...children) {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
}

function formatClock(ms) {
  const total = Math.ceil(Math.max(ms, 0) / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

function listNames(names) {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** The card, made once and placed above the ring. */
function box() {
  let section = $("breakout-box");
  if (section) return section;
  section = el("section", { id: "breakout-box", className: "card breakout", hidden: true });
  section.setAttribute("aria-labelledby", "breakout-title");
  section.append(
    el("h2", { id: "breakout-title" }, "In pairs"),
    el("p", { id: "breakout-prompt", className: "breakout-prompt", hidden: true }),
    el("p", { id: "breakout-partner", className: "breakout-partner", hidden: true }),
    el("p", { id: "breakout-holder", className: "breakout-holder", hidden: true }),
    el("p", { id: "breakout-countdown", className: "breakout-countdown", hidden: true }),
    el(
      "div",
      { id: "breakout-actions", className: "actions", hidden: true },
      el("button", { type: "button", id: "breakout-done", className: "primary" }, "I’m done"),
      el("button", { type: "button", id: "breakout-pass" }, "Pass"),
    ),
    el("ol", { id: "breakout-groups", className: "breakout-groups", hidden: true }),
    el("button", { type: "button", id: "breakout-end", className: "quiet", hidden: true }, "Bring everyone back"),
    el("p", { id: "breakout-back", className: "breakout-back", hidden: true }, "Everyone is together again."),
  );
  section.querySelector("#breakout-groups").setAttribute("aria-label", "Every group");
  for (const id of ["#breakout-holder", "#breakout-back"]) section.querySelector(id).setAttribute("aria-live", "polite");
  const view = $("circle-view");
  const ring = view.querySelector(".ring-wrap");
  view.insertBefore(section, ring);
  return section;
}

/** The keeper's form to break into groups, placed in the keeper's card, made once. */
function startForm() {
  let form = $("breakout-form");
  if (form) return form;
  const time = el("select", { id: "breakout-time" });
  time.append(...TIMES.map((s) => el("option", { value: String(s), selected: s === 120 }, `${s / 60} min each`)));
  const size = el("select", { id: "breakout-size" });
  size.append(el("option", { value: "2" }, "Pairs"), el("option", { value: "3" }, "Threes"));
  form = el(
    "form",
    { id: "breakout-form", className: "start-form breakout-form", hidden: true },
    el("h3", {}, "Break into groups"),
    el(
      "div",
      { className: "row" },
      el("div", { className: "field" }, el("label", { htmlFor: "breakout-size" }, "Groups of"), size),
      el("div", { className: "field" }, el("label", { htmlFor: "breakout-time" }, "Time per person"), time),
    ),
    el(
      "label",
      { className: "check" },
      el("input", { type: "checkbox", id: "breakout-float", checked: true }),
      " I stay out and look in on the groups",
    ),
    el("button", { type: "submit", id: "breakout-start" }, "Break into groups"),
  );
  $("keeper-actions").append(form);
  return form;
}

// Who is still in a group: not gone from it (`left` the circle, or `moved` to another group when nobody else
// was left in this one).
const GONE = ["left", "moved"];

function stillIn(group, id) {
  return group.turns.some((t) => t.participant_id === id && !GONE.includes(t.outcome));
}

/** My group: the one not done that I am still in (someone left alone in a group joins another, so a person
 * may be listed in two), else the last one that lists me. */
function myGroup(breakout, self) {
  if (!self) return null;
  const listed = breakout.groups.filter((g) => g.members.includes(self.id));
  return listed.find((g) => !g.done_at && stillIn(g, self.id)) || listed[listed.length - 1] || null;
}

function openTurn(group) {
  return group.turns.find((t) => t.started_at && !t.ended_at) || null;
}

/** Draws the breakout, or "Back in the circle" once it ends. `now` gives the server's time in ms. */
export function renderBreakout(state, self, nameOf, busy, now) {
  serverNow = now;
  const section = box();
  const form = startForm();
  const breakout = state.breakout || null;
  const isKeeper = Boolean(self && self.role === "keeper" && state.circle.status === "open");
  form.hidden = !(isKeeper && !breakout && !state.round);
  $("breakout-start").disabled = busy;
  if (breakout) {
    lastBreakoutId = breakout.id;
    backInCircle = false;
  } else if (lastBreakoutId !== null) {
    backInCircle = true; // it ended while this page watched
    lastBreakoutId = null;
  }
  if (state.round) backInCircle = false; // the circle has moved on
  $("page").toggleAttribute("data-breakout", Boolean(breakout));
  section.hidden = !breakout && !backInCircle;
  section.dataset.phase = breakout ? "grouped" : "back";
  $("breakout-back").hidden = Boolean(breakout);
  if (!breakout) {
    $("breakout-title").textContent = "Back in the circle";
    for (const id of ["breakout-prompt", "breakout-partner", "breakout-holder", "breakout-countdown"]) {
      $(id).hidden = true;
    }
    $("breakout-actions").hidden = true;
    $("breakout-groups").hidden = true;
    $("breakout-end").hidden = true;
    return;
  }
  $("breakout-title").textContent = breakout.size === 3 ? "In threes" : "In pairs";
  $("breakout-prompt").textContent = breakout.prompt || "";
  $("breakout-prompt").hidden = !breakout.prompt;

  const mine = myGroup(breakout, self);
  section.dataset.groupIndex = mine ? String(mine.index) : "";
  const partner = $("breakout-partner");
  const holderLine = $("breakout-holder");
  partner.hidden = mine === null;
  holderLine.hidden = mine === null;
  const turn = mine ? openTurn(mine) : null;
  if (mine) {
    const others = mine.members.filter((id) => id !== self.id && stillIn(mine, id)).map((id) => nameOf(state, id));
    partner.replaceChildren("You are with ", el("strong", {}, listNames(others)));
    partner.hidden = others.length === 0;
    if (turn && turn.participant_id === self.id) holderLine.replaceChildren(el("strong", {}, "You"), " are speaking");
    else if (turn) holderLine.replaceChildren(el("strong", {}, nameOf(state, turn.participant_id)), " is speaking");
    else holderLine.textContent = "Your group is done. Waiting for the others…";
    holderLine.dataset.holder = turn ? turn.participant_id : "";
  }
  const mineHolds = Boolean(turn && self && turn.participant_id === self.id);
  $("breakout-actions").hidden = !mineHolds;
  $("breakout-done").disabled = busy;
  $("breakout-pass").disabled = busy;

  // Everyone who is not in a group (a floating keeper, a witness) sees every group at a glance.
  const groups = $("breakout-groups");
  groups.hidden = mine !== null;
  if (mine === null) {
    groups.replaceChildren(
      ...breakout.groups.map((group) => {
        const open = openTurn(group);
        const names = group.members.map((id) => nameOf(state, id));
        const item = el("li", { className: "breakout-group" }, el("span", { className: "names" }, listNames(names)));
        item.dataset.groupId = group.id;
        const status = open ? `${nameOf(state, open.participant_id)} speaking` : "done";
        item.append(el("span", { className: "status" }, status));
        if (open && open.deadline) {
          const clock = el("span", { className: "clock" });
          clock.dataset.deadline = open.deadline;
          item.append(clock);
        }
        if (group.external_ref) item.append(el("span", { className: "ref" }, group.external_ref));
        return item;
      }),
    );
  }
  $("breakout-end").hidden = !isKeeper;
  $("breakout-end").disabled = busy;
  tickBreakout(state);
}

/** The time left for whoever speaks in my group, and in each group on the keeper's list. */
export function tickBreakout(state) {
  const breakout = state && state.breakout;
  const countdown = $("breakout-countdown");
  if (!countdown) return;
  if (!breakout) {
    countdown.hidden = true;
    return;
  }
  const section = $("breakout-box");
  const mine = section.dataset.groupIndex ? breakout.groups[Number(section.dataset.groupIndex)] : null;
  const turn = mine ? openTurn(mine) : null;
  countdown.hidden = !(turn && turn.deadline);
  if (turn && turn.deadline) {
    countdown.textContent = `${formatClock(parseServerTime(turn.deadline) - serverNow())} left`;
  }
  for (const clock of document.querySelectorAll("#breakout-groups .clock")) {
    clock.textContent = formatClock(parseServerTime(clock.dataset.deadline) - serverNow());
  }
}

/** Wires the buttons: `send` runs a command; `current()` is the live state and the person. */
export function wireBreakout(send, current) {
  box();
  startForm();
  const myOpenTurn = () => {
    const { state, self } = current();
    const mine = state && state.breakout ? myGroup(state.breakout, self) : null;
    return mine ? openTurn(mine) : null;
  };
  $("breakout-done").addEventListener("click", () => {
    const turn = myOpenTurn();
    if (turn) send((commands) => commands.finishBreakoutTurn(turn.id, "spoke"));
  });
  $("breakout-pass").addEventListener("click", () => {
    const turn = myOpenTurn();
    if (turn) send((commands) => commands.finishBreakoutTurn(turn.id, "passed"));
  });
  $("breakout-end").addEventListener("click", () => {
    const { state } = current();
    if (state && state.breakout) send((commands) => commands.endBreakout(state.breakout.id));
  });
  $("breakout-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const options = {
      size: Number($("breakout-size").value),
      seconds_each: Number($("breakout-time").value),
      keepers_float: $("breakout-float").checked,
    };
    const prompt = $("start-prompt") ? $("start-prompt").value.trim() : "";
    if (prompt) options.prompt = prompt;
    send((commands) => commands.startBreakout(options));
  });
  setInterval(() => tickBreakout(current().state), 250);
}
