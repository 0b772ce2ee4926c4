"""Circles: a group that meets, owned by one app."""
