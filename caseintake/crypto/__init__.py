"""Keys, key slots, the AEAD field cipher, the blind index, the audit MAC chain and checkpoints.

Depends on the domain only; never on the store, services or UI.
"""
