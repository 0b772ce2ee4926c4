"""Webhook endpoints, their secrets, cursors, attempts and leases: tables and queries."""
