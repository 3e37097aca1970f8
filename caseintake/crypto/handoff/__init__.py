"""Signing and sealing hand-off packages and receipts (issue 24; ``docs/handoff-format.md``):
the file's layout, the signature and HPKE in ``envelope``."""

from caseintake.crypto.handoff.envelope import (
    MAGIC,
    MAX_FILE,
    MAX_HEADER,
    SIGNATURE,
    SIGNING_CONTEXT,
    SUITE,
    Opened,
    OtherLine,
    ThisLine,
    check_header,
    open_file,
    party,
    read_header,
    seal,
    signed_inner,
)

__all__ = [
    "MAGIC",
    "MAX_FILE",
    "MAX_HEADER",
    "SIGNATURE",
    "SIGNING_CONTEXT",
    "SUITE",
    "Opened",
    "OtherLine",
    "ThisLine",
    "check_header",
    "open_file",
    "party",
    "read_header",
    "seal",
    "signed_inner",
]
