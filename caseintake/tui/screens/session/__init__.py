"""A session's edges: login, the idle lock, a password change and the question before quitting."""
