"""Fixture submissions, one module per lab (see tests/support/submissions.py)."""
