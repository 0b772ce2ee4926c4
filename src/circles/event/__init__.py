"""The event log: every change in a circle, numbered by a gapless per-circle seq."""
