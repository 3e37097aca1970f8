"""Case work from the command line: intake and cases, referrals, escalations, routing a file."""
