"""Asking for support: a private signal to the keepers and the app, and the support resources a circle carries."""
