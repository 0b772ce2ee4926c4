"""Apps: the tenants. Each app has API keys, stored only as hashes."""
