"""Webhooks that follow the Standard Webhooks specification: endpoints, signing, delivery from the log."""
