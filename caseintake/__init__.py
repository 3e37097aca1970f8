"""caseintake: intake, routing and referral follow-up for child-protection hotlines."""

__version__ = "0.1.0"
