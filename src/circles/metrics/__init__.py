"""What an operator can scrape: the instruments, the timing of every request, and GET /metrics."""
