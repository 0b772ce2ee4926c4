"""The turn engine: pure Python, no I/O, no framework imports."""
