"""A turn's fields are declared once, by the talking piece: the table stores each of them, the public view
shows each of them (and the round it belongs to), and the event payloads carry that view."""

from __future__ import annotations

import sqlalchemy as sa

from circles.event.payloads import TurnData
from circles.records.round.models import Turn, TurnPublic
from circles.records.round.repository import TURN_CHANGES, TURN_FIELDS


def test_the_table_and_the_view_carry_the_talking_pieces_fields() -> None:
    table: sa.Table = Turn.__table__  # type: ignore[attr-defined]
    assert set(TURN_FIELDS) <= set(table.columns.keys())
    assert set(table.columns.keys()) - set(TURN_FIELDS) == {"round_id", "circle_id", "position"}  # where it is
    assert set(TurnPublic.model_fields) == {*TURN_FIELDS, "round_id"}
    assert set(TURN_CHANGES) < set(TURN_FIELDS)
    assert TurnData.model_fields["turn"].annotation is TurnPublic
