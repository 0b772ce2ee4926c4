"""Breakouts: the breakout, its groups and each person's turn in their group; their public models and queries."""
