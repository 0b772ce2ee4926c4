"""Apps' records: the tenants and their keys (stored only as hashes), and their queries."""
