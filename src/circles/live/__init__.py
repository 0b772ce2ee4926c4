"""The live stream: sockets, fan-out of the event log, presence."""
