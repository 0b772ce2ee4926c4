"""The audit log: who did what to which object, and when. Never content, never credentials."""
