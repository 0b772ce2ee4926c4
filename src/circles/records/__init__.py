"""The stored records: each concern's tables, their public model families and their queries, beneath every service.

One package per concern (`records.circle`, `records.round`, …), each a `models.py` and a `repository.py`, so any
service may read another concern's records without importing that concern's service (docs/decisions.md, "Layers").
A concern's service, router, errors and views stay in its own package (`circles.circle`, `circles.round`, …).
"""
