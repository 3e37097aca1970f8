"""The hand-off desk in the terminal (issue 24 part C): the supervisor's inbox of incoming and
outgoing hand-offs, and sending a case's referral to a partner line from the case detail."""
