"""The peers: the same fan-out written the ways a user might otherwise pick, each small and fair.

Every peer serves the same auth-less semantics, so the comparison is of fan-out alone:
- a follower opens a socket to room R and sends one auth message (any token is accepted: the peers look
  nothing up, where Circles checks the token against its database), and gets a welcome;
- a publisher sends {"room": R, "events": [{"name": ..., "data": ...}, ...]} on its own socket; the peer
  stamps each event with `at` (the wall clock as it arrives) and the room's next `seq`, serializes it once
  and sends it to every follower of R.
Circles does more for each change (authorization, a database transaction, the event log), and its `at` is
stamped before the commit, so its latency includes the commit; the peers' does not.
"""
