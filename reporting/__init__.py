"""Completion statistics per ministry: reports, assignments and the REST API."""
