"""Statistics for the national indicators: the indicators, the reporting calendar and periods,
tables, disclosure control (suppression) and the output files' content."""
