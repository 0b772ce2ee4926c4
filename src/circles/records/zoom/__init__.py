"""Zoom Apps: the app's Zoom client id and sealed client secret, and their queries."""
