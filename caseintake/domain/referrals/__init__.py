"""Referrals once decided: their states, deadlines in working days, follow-up steps, merging a
repeat call's referrals with the open ones, the slip's content."""
