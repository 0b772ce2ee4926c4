"""A participant's records: the seat table, its model family, and the queries over who is seated."""
