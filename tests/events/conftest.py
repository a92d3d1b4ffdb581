"""The sample events, run against the in-process fixtures (tests/support/in_process.py)."""
