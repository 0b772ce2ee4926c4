"""Client libraries for Circles, and the command that regenerates them (clients/README.md)."""
