"""The operator's desk: the shift home, the intake form and the quick non-data contacts."""
