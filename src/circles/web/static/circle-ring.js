// The circle page's ring: a seat per keeper and member in seat order, the talking piece beside its holder.
// Each seat shows the person's name and role, a green dot when they are online (grey when not), a filled
// seat for the holder, and how their turn went this round ("spoke", "passed", "passed over"). Every mark is
// also in words, in the seat's label; the legend under the ring explains the colours.

import { MARK_WORDS } from "./circle-round-progress.js";

const $ = (id) => document.getElementById(id);
const SEAT_RADIUS = 39; // percent of the ring, from its centre
const CROWDED = 12; // more seats than this: smaller seats

function initials(name) {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || "?").slice(0, 2);
  return letters.toUpperCase();
}

function span(className, text) {
  return Object.assign(document.createElement("span"), { className, textContent: text });
}

function seatOf(person, index, count, view) {
  const { state, holderId, self, marks, returned } = view;
  const angle = (index / Math.max(count, 1)) * 2 * Math.PI - Math.PI / 2;
  const isHolder = person.id === holderId;
  const isMe = self !== null && person.id === self.id;
  const hand = state.hands.includes(person.id);
  const mark = marks.get(person.id) || null;
  const seat = document.createElement("li");
  seat.className = "seat";
  seat.dataset.participantId = person.id;
  seat.style.setProperty("--x", (50 + SEAT_RADIUS * Math.cos(angle)).toFixed(2));
  seat.style.setProperty("--y", (50 + SEAT_RADIUS * Math.sin(angle)).toFixed(2));
  seat.toggleAttribute("data-online", person.online);
  seat.toggleAttribute("data-holder", isHolder);
  seat.toggleAttribute("data-returned", isHolder && returned);
  seat.toggleAttribute("data-me", isMe);
  seat.toggleAttribute("data-hand", hand);
  if (mark) seat.dataset.turn = mark;
  const dot = span("seat-dot", initials(person.display_name));
  dot.setAttribute("aria-hidden", "true");
  const name = span("seat-name", isMe ? `${person.display_name} (you)` : person.display_name);
  name.title = person.display_name;
  const role = span("seat-role", person.role === "member" ? "" : person.role);
  const turnWords = isHolder && returned ? "back again" : mark && !isHolder ? MARK_WORDS[mark] : "";
  const turn = span("seat-turn", turnWords);
  turn.setAttribute("aria-hidden", "true");
  const description = [person.display_name, person.online ? "online" : "offline"];
  if (person.role !== "member") description.push(person.role);
  if (isHolder) description.push(returned ? "holds the piece again, after passing" : "holds the piece");
  else if (mark) description.push(`${MARK_WORDS[mark]} this round`);
  if (hand) description.push("hand raised");
  seat.setAttribute("aria-label", description.join(", "));
  seat.append(dot, name, role, turn);
  return seat;
}

/** Draws the seats and the piece. `view`: {state, holderId, self, marks (participant id -> mark), returned}. */
export function drawRing(view) {
  const list = $("seats");
  const people = view.state.participants;
  $("ring").toggleAttribute("data-crowded", people.length > CROWDED);
  list.replaceChildren(...people.map((person, index) => seatOf(person, index, people.length, view)));
  const piece = $("piece");
  const holderSeat = view.holderId
    ? list.querySelector(`[data-participant-id="${CSS.escape(view.holderId)}"]`)
    : null;
  piece.hidden = holderSeat === null;
  piece.toggleAttribute("data-returned", holderSeat !== null && view.returned);
  if (holderSeat) {
    piece.style.setProperty("--x", holderSeat.style.getPropertyValue("--x"));
    piece.style.setProperty("--y", holderSeat.style.getPropertyValue("--y"));
  }
}
