"""A gathering's shape: a circle's planned sequence of rounds, started one after another by one command."""
