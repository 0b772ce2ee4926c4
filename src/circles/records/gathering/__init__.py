"""A gathering's records: planned rounds, their models, and their queries."""
