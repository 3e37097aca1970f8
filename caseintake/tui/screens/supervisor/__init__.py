"""The supervisor's desk: the referral queue and its actions, escalation decisions, the
dashboard, the audit trail viewer and the statistics screen."""
