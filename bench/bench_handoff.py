"""Issue 24 figures: a hand-off package's seal + sign and verify + open against a bare loop
doing the same work by hand (DESIGN §8: ≤ 2×), and opening 1,000 packages from a drop folder.

Ours is ``caseintake.crypto.handoff`` from the body as a dict to the file's bytes and back to a
checked body. The baseline is the least code that does the same work: ``json.dumps`` with
sorted keys of the same content, one Ed25519 signature, one HPKE seal with the same suite and
info; and back: one HPKE open, one signature check, one ``json.loads``. What ours adds is the
header's and the content's checks (canonical form, types, times, recipient, the header repeated
inside). The drop folder: 1,000 package files written to a folder, then each read, checked and
opened as ``handoff receive`` does before it stores anything (the store's own time is in the
service benchmark once receiving exists).

Run: ``python -m bench handoff``.
"""

from __future__ import annotations

import json
import struct
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import paired, report
from caseintake.crypto.handoff import (
    MAGIC,
    SIGNING_CONTEXT,
    SUITE,
    open_file,
    read_header,
    seal,
)
from caseintake.domain.handoff.header import Header
from caseintake.domain.handoff.package import PackageBody
from tests.crypto import handoff_vectors as v

PACKAGES = 1_000


def _bare_seal(header: dict[str, Any], body: dict[str, Any]) -> bytes:
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    content = {"body": body, "header": header}
    data = json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    prefix = MAGIC + struct.pack(">H", len(head)) + head
    inner = v.SENDER.signing.sign(SIGNING_CONTEXT + data) + data
    return prefix + SUITE.encrypt(inner, v.RECIPIENT.hpke.public_key(), info=prefix)


def _bare_open(data: bytes, public: Any) -> dict[str, Any]:
    (length,) = struct.unpack(">H", data[4:6])
    prefix = data[: 6 + length]
    inner = SUITE.decrypt(data[6 + length :], v.RECIPIENT.hpke, info=prefix)
    public.verify(inner[:64], SIGNING_CONTEXT + inner[64:])
    return dict(json.loads(inner[64:]))


def measure() -> dict[str, Any]:
    header, body = v.package_header(), v.package_body()
    to, sender = v.card(v.RECIPIENT), v.card(v.SENDER)
    now = v.CREATED + timedelta(hours=1)
    sealed = seal(header, body, v.SENDER, to)
    public = v.SENDER.signing.public_key()

    def ours_open() -> object:
        return PackageBody.from_json(open_file(sealed, "package", v.RECIPIENT, sender, now).body)

    figures: dict[str, Any] = {"package_bytes": len(sealed)}
    figures["seal"] = paired(
        lambda: seal(header, body, v.SENDER, to), lambda: _bare_seal(header.to_json(), body), 9
    )
    figures["open"] = paired(ours_open, lambda: _bare_open(sealed, public), 9)
    figures["seal_ratio"] = figures["seal"]["ratio"]
    figures["open_ratio"] = figures["open"]["ratio"]
    figures["drop_folder"] = drop_folder(now)
    return figures


def drop_folder(now: Any) -> dict[str, float]:
    """Write PACKAGES files, then read, check and open every one in the folder."""
    to, sender = v.card(v.RECIPIENT), v.card(v.SENDER)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        for n in range(PACKAGES):
            header = Header.new("package", v.SENDER.party, v.RECIPIENT.party, now)
            (folder / f"{n:04d}.cih").write_bytes(seal(header, v.package_body(), v.SENDER, to))
        written = time.perf_counter() - start
        start = time.perf_counter()
        seen = set()
        for path in sorted(folder.glob("*.cih")):
            data = path.read_bytes()
            read_header(data)
            opened = open_file(data, "package", v.RECIPIENT, sender, now)
            PackageBody.from_json(opened.body)
            seen.add(opened.header.id)
        opened_s = time.perf_counter() - start
    assert len(seen) == PACKAGES
    return {"packages": PACKAGES, "write_s": written, "open_s": opened_s}


def main() -> None:
    report("handoff", measure())


if __name__ == "__main__":
    main()
