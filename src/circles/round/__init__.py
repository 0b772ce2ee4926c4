"""Rounds and turns: the talking piece's journeys, persisted. Import as `round_service` etc."""
