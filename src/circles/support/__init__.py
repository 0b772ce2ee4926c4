"""Asking for support: a private signal to the keepers and the app; its records are in `circles.records.support`."""
