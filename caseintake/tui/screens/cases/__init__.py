"""Cases and contacts as every desk opens them: lists, the case and contact detail, notes and
follow-up steps."""
