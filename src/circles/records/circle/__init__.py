"""A circle's records: the circle table, its model family, and the queries that read and lock it."""
