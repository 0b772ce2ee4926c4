// The circle page's views beside the ring, drawn from one context on every change. The place to hook in:
// a new view (breakouts, support dates…) is a module of its own, circle-<name>.js, exporting an object with
//
//   render(view)                   draws from view.state (required; called on every change)
//   follow({state, cause}, view)   optional: each `state` event of the live client, before it is drawn
//   wire(page)                     optional: once at start, to add listeners
//
// plus a `<section id="…" hidden>` of its own inside `#views` in circle.html, and one line in VIEWS below.
// view: {state, self, live, commands, busy, nameOf(state, id), redraw()}: self is null for a witness.
// page: {send(command), current()}: send runs `command(commands)` (one at a time, a refusal shown quietly);
// current() is the view as of now (its state is null before the first snapshot).

import { renderAgreements, wireAgreements } from "./circle-agreements.js";
import { AgreementStatus } from "./circle-agreement-status.js";
import { renderBreakout, wireBreakout } from "./circle-breakout.js";
import { renderHands, wireHands } from "./circle-hands.js";
import { renderSupport, wireSupport } from "./circle-support.js";

const agreementStatus = new AgreementStatus();

/** @type {{name: string, render: Function, follow?: Function, wire?: Function}[]} */
export const VIEWS = [
  {
    name: "agreements",
    render: ({ state, self, busy }) => renderAgreements(state.circle, self, busy),
    wire: (page) => wireAgreements(page.send, page.current),
  },
  {
    name: "agreement-status", // keepers: who has not accepted the current agreements
    follow: ({ state, cause }, view) => agreementStatus.follow(state, cause, view),
    render: ({ state, self }) => agreementStatus.render(state, self),
  },
  {
    name: "hands",
    render: ({ state, self, nameOf, busy }) => renderHands(state, self, nameOf, busy),
    wire: (page) => wireHands(page.send, page.current),
  },
  {
    name: "breakout", // pairs and threes: my group and whose turn it is there; a keeper sees every group
    render: ({ state, self, nameOf, busy, live }) => renderBreakout(state, self, nameOf, busy, () => live.serverNow()),
    wire: (page) => wireBreakout(page.send, page.current),
  },
  {
    name: "support",
    render: ({ state, self, live, commands, busy }) =>
      renderSupport(state, self, [...live.support.values()], busy, () => commands.participants()),
    wire: (page) => wireSupport(page.send, (signalId) => page.current()?.live.forgetSupport(signalId)),
  },
];
