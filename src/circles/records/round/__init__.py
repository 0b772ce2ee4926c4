"""Rounds' and turns' records: the tables the talking piece is stored in, their models, and their queries."""
