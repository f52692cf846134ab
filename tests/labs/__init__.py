"""Every lab end to end: solutions run, nbgrader validates them, labs/ is generated, fixtures score exactly."""
