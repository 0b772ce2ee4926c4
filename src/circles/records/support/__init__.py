"""Requests for support: the signal table, its frames, a circle's support resources, and their queries."""
