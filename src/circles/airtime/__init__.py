"""Airtime: how long each person held the piece, how their turns ended, and how evenly it was shared."""
