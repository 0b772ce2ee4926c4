// The circle page's open rounds: the line of raised hands, in the server's order, the same on every page;
// "Raise hand" and "Lower hand" for members and keepers; a keeper can call on a hand out of order.

const $ = (id) => document.getElementById(id);

/** Draws the line and the hand buttons. `self` may be null; `busy`: a command is on its way. */
export function renderHands(state, self, nameOf, busy) {
  const { circle, round, turn, hands } = state;
  const open = Boolean(round && round.kind === "open" && circle.status === "open");
  $("hands-box").hidden = !open;
  if (!open) return;
  const isKeeper = Boolean(self && self.role === "keeper");
  const canRaise = Boolean(self && self.role !== "witness");
  const raised = Boolean(self && hands.includes(self.id));
  const holds = Boolean(self && turn && turn.participant_id === self.id);
  $("hands-empty").hidden = hands.length > 0;
  $("hands").replaceChildren(
    ...hands.map((participantId, index) => {
      const item = document.createElement("li");
      item.dataset.participantId = participantId;
      const mine = self !== null && participantId === self.id;
      const name = Object.assign(document.createElement("span"), {
        textContent: mine ? `${nameOf(state, participantId)} (you)` : nameOf(state, participantId),
      });
      item.append(name);
      if (isKeeper && index > 0) {
        const call = Object.assign(document.createElement("button"), { type: "button", textContent: "Call on" });
        call.className = "call-on";
        call.dataset.participantId = participantId;
        call.disabled = busy;
        call.setAttribute("aria-label", `Call on ${nameOf(state, participantId)} next`);
        item.append(call);
      }
      return item;
    }),
  );
  $("raise-hand").hidden = !canRaise || raised || holds;
  $("lower-hand").hidden = !canRaise || !raised;
  $("raise-hand").disabled = busy;
  $("lower-hand").disabled = busy;
}

/** Wires the hand buttons: `send` runs a command; `current()` is the live state and the person. */
export function wireHands(send, current) {
  $("raise-hand").addEventListener("click", () => {
    const { state } = current();
    if (state && state.round) send((commands) => commands.raiseHand(state.round.id));
  });
  $("lower-hand").addEventListener("click", () => {
    const { state, self } = current();
    if (state && state.round && self) send((commands) => commands.lowerHand(state.round.id, self.id));
  });
  $("hands").addEventListener("click", (event) => {
    const button = event.target.closest("button.call-on");
    const { state } = current();
    if (button && state && state.round) {
      send((commands) => commands.callOnHand(state.round.id, button.dataset.participantId));
    }
  });
}
