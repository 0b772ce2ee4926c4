// A keeper's page: who has not yet accepted the circle's current agreements. Keepers and members come from
// the state (each carries `agreed_version`); witnesses are counted there, not listed, so their part is read
// from GET …/participants (anyone in the circle may), again whenever someone joins, changes, leaves or
// accepts, or the agreements change.

const $ = (id) => document.getElementById(id);
const REREAD_ON = new Set(["participant.joined", "participant.updated", "participant.left", "participant.agreed", "circle.updated"]);

export class AgreementStatus {
  constructor() {
    this.witnesses = []; // the circle's witnesses, as last read
    this.stale = true;
    this.reading = false;
  }

  /** Follows the live client (a `state` event's state and cause); reads the witnesses only on a keeper's
   * page. `view`: the page's view (its `commands` read the participants; `redraw()` shows what was read). */
  follow(state, cause, view) {
    if (cause === "snapshot" || (cause && REREAD_ON.has(cause.name))) this.stale = true;
    const keeper = Boolean(view.self && view.self.role === "keeper");
    if (keeper && this.stale && state.circle.agreements.length > 0) this.read(view);
  }

  read(view) {
    if (this.reading) return;
    this.reading = true;
    this.stale = false;
    view.commands
      .participants()
      .then((page) => {
        this.witnesses = page.items.filter((p) => p.role === "witness");
        view.redraw();
      })
      .catch(() => {
        this.stale = true;
      })
      .finally(() => {
        this.reading = false;
      });
  }

  /** Draws the keeper's list of who has not accepted the current agreements. */
  render(state, self) {
    const { circle } = state;
    const shown = Boolean(self && self.role === "keeper" && circle.status === "open" && circle.agreements.length > 0);
    $("agreement-status").hidden = !shown;
    if (!shown) return;
    const current = (p) => p.agreed_version === circle.agreements_version;
    const waiting = [...state.participants.filter((p) => !current(p)), ...this.witnesses.filter((p) => !current(p))];
    $("agreement-status-summary").textContent =
      waiting.length === 0
        ? "Everyone has accepted the current agreements."
        : `${waiting.length} not yet accepted the current agreements:`;
    const items = waiting.map((person) => {
      const item = document.createElement("li");
      item.dataset.participantId = person.id;
      const note = person.id === self.id ? " (you)" : person.role === "member" ? "" : ` (${person.role})`;
      item.textContent = `${person.display_name}${note}`;
      return item;
    });
    const list = $("agreement-status-list");
    const same = list.children.length === items.length && items.every((item, i) => list.children[i].isEqualNode(item));
    if (!same) list.replaceChildren(...items);
  }
}
