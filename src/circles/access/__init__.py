"""Credentials: app keys and participant tokens, and who a request is."""
