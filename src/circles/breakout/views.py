"""A breakout as the API shows it: from its row and the talking piece's state (what a command just decided,
or what was read), each group with whose turn it is there (`holder`)."""

from __future__ import annotations

from circles.records.breakout.models import Breakout, BreakoutGroupPublic, BreakoutPublic, BreakoutTurnPublic
from circles.talking_piece.groups import BreakoutState


def breakout_view(row: Breakout, state: BreakoutState) -> BreakoutPublic:
    return BreakoutPublic(
        id=row.id,
        circle_id=row.circle_id,
        prompt=row.prompt,
        size=row.size,
        seconds_each=row.seconds_each,
        grouping=row.grouping,
        keepers_float=row.keepers_float,
        started_at=state.started_at,
        ends_at=state.ends_at,
        ended_at=state.ended_at,
        end_reason=state.end_reason,
        groups=[
            BreakoutGroupPublic(
                id=group.id,
                index=group.index,
                external_ref=group.external_ref,
                members=group.members,
                holder=open_turn.participant_id if (open_turn := group.open_turn) is not None else None,
                done_at=group.done_at,
                turns=[
                    BreakoutTurnPublic(
                        id=t.id,
                        participant_id=t.participant_id,
                        position=t.position,
                        started_at=t.started_at,
                        deadline=t.deadline,
                        ended_at=t.ended_at,
                        outcome=t.outcome,
                    )
                    for t in group.turns
                ],
            )
            for group in state.groups
        ],
    )
