"""Participants: the people seated in a circle."""
