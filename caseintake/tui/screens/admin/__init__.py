"""The admin's desk, no case content: users, directory, keys, backup and restore, retention."""
