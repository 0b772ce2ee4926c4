// The circle page's agreements: always readable, and a calm ask to accept them when this person has not
// accepted the circle's current agreements_version (the piece passes over anyone who has not).

const $ = (id) => document.getElementById(id);

function items(texts) {
  return texts.map((text) => Object.assign(document.createElement("li"), { textContent: text }));
}

/** True when `self` must accept the agreements before the piece can come to them. */
export function mustAccept(circle, self) {
  return Boolean(self && circle.agreements.length > 0 && self.agreed_version !== circle.agreements_version);
}

/** Draws the agreements box and, when needed, the ask. `busy`: a command is on its way. */
export function renderAgreements(circle, self, busy) {
  const asked = mustAccept(circle, self) && circle.status === "open";
  $("agreements").replaceChildren(...items(circle.agreements));
  $("agreements-box").hidden = circle.agreements.length === 0 || asked;
  $("agreements-accepted").hidden = !self || self.agreed_version !== circle.agreements_version;
  $("agreement-ask").hidden = !asked;
  if (!asked) return;
  const changed = self.agreed_version !== null && self.agreed_version !== undefined;
  const after = self.role === "witness" ? "" : " The piece comes to you once you accept them.";
  const first = self.role === "witness" ? "Our agreements" : "Before you hold the piece";
  $("agreement-ask-title").textContent = changed ? "The agreements have changed" : first;
  $("agreement-ask-text").textContent = changed
    ? `Please read them again.${after}`
    : `Please read the circle’s agreements, and accept them when you are ready.${after}`;
  $("agreement-ask-list").replaceChildren(...items(circle.agreements));
  $("accept-agreements").disabled = busy;
}

/** Wires the accept button: `send` runs a command; `current()` is the live state and the person. */
export function wireAgreements(send, current) {
  $("accept-agreements").addEventListener("click", () => {
    const { state, self } = current();
    if (!state || !self) return;
    send((commands) => commands.acceptAgreements(self.id, state.circle.agreements_version));
  });
}
