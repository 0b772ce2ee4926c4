"""Support dates: the date's row (two people, their time each, a schedule), the occurrences announced, and
their queries."""
