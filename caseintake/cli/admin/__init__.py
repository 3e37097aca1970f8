"""The admin's nouns: users, directory, backup and restore, retention, keys, security settings,
the database's schema and set-up, the demo."""
