// The circle page's requests for support, on a keeper's page only: who asked and when, each with
// "Acknowledge", until a keeper (on any page) or the app acknowledges it. The server sends them only to
// keepers' sockets, and again after every reconnect while they are pending (docs/protocol.md).

import { parseServerTime } from "./circles-live.js";

const $ = (id) => document.getElementById(id);
const names = new Map(); // participant id -> display name, for those the state does not list (witnesses)
let looking = false;

function clock(at) {
  return new Date(parseServerTime(at)).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The name to show for who asked: from the state, else from the participants list (read once when needed). */
function nameOf(state, participantId, lookUp) {
  const seated = state.participants.find((p) => p.id === participantId);
  if (seated) return seated.display_name;
  if (names.has(participantId)) return names.get(participantId);
  if (!looking) {
    looking = true;
    lookUp()
      .then((page) => page.items.forEach((p) => names.set(p.id, p.display_name)))
      .catch(() => {})
      .finally(() => {
        looking = false;
        if (!names.has(participantId)) names.set(participantId, "Someone"); // left, or erased: ask no more
      });
  }
  return "Someone";
}

/** Draws the requests. `pending`: the SupportFrames the live client holds; `self` may be null; `busy`: a
 * command is on its way; `lookUp()`: reads the participants (a promise), for names the state lacks. */
export function renderSupport(state, self, pending, busy, lookUp) {
  const isKeeper = Boolean(self && self.role === "keeper");
  const shown = isKeeper ? pending : [];
  $("support-box").hidden = shown.length === 0;
  const list = $("support-list");
  const items = shown.map((frame) => {
    const name = nameOf(state, frame.participant_id, lookUp);
    const item = document.createElement("li");
    item.dataset.signalId = frame.signal_id;
    const text = Object.assign(document.createElement("span"), {
      textContent: `${name} asked for support at ${clock(frame.at)}`,
    });
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Acknowledge" });
    button.className = "acknowledge";
    button.dataset.signalId = frame.signal_id;
    button.disabled = busy;
    button.setAttribute("aria-label", `Acknowledge ${name}’s request for support`);
    item.append(text, button);
    return item;
  });
  const same =
    list.children.length === items.length &&
    items.every((item, i) => list.children[i].isEqualNode(item));
  if (!same) list.replaceChildren(...items); // redrawn only when it changed: a screen reader hears news once
}

/** Wires "Acknowledge": `send` runs a command; `forget(id)` stops showing a request. One that is gone
 * (its asker was erased) is simply no longer shown. */
export function wireSupport(send, forget) {
  $("support-list").addEventListener("click", (event) => {
    const button = event.target.closest("button.acknowledge");
    if (!button) return;
    const signalId = button.dataset.signalId;
    send(async (commands) => {
      try {
        await commands.acknowledgeSupport(signalId);
      } catch (error) {
        if (error.code !== "support_not_found") throw error;
      }
      forget(signalId);
    });
  });
}
