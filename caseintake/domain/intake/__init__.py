"""What an operator records: the intake record and its JSON schema, validation and field
checks, phones, geography (provinces and communes) and the taxonomy."""
