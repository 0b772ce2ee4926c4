"""Breakouts inside a circle: pairs or threes, the piece passing inside each; records in `circles.records.breakout`."""
