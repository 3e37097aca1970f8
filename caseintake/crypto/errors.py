"""Crypto failures, each with a message key for the catalogues."""

from __future__ import annotations

from caseintake.domain.errors import DomainError


class CryptoError(DomainError):
    """A ciphertext that does not authenticate, a wrong key, a bad checkpoint."""
