"""Hand-off packages and receipts between lines (issue 24), as pure data: canonical JSON, the
clear header, the body shaped on FHIR ServiceRequest (a package) and Task (a receipt), the
data-minimisation profiles (``rules/handoff_profiles.toml``) and the legal basis for sharing
(DOMAIN §6). Signing and sealing are in ``caseintake.crypto.handoff``; the byte layout is in
``docs/handoff-format.md``."""
