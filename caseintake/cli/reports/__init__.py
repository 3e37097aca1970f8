"""What supervisors read: statistics and their exports, the audit trail (verify, list)."""
