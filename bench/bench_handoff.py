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
    figures["drop_folder_import"] = drop_folder_import()
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


def _line(root: Path, code: str) -> tuple[Any, Any]:
    """A line's database with a supervisor (key slots at a test's cost: this measures the
    import, not the login)."""
    from caseintake.crypto.kdf import KdfCost
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    folder = root / code
    folder.mkdir()
    svc = Services(Settings(db_url=f"sqlite:///{folder / 'line.db'}", state_dir=folder / "state"))
    admin, _ = svc.setup.init(
        "root", "amber-violet-72", line=code, kdf=KdfCost(256, 1, 1), line_name=f"Line {code}"
    )
    svc.users.add(admin, "minh", "supervisor", "one-time-pass-2")
    svc.auth.change_password("minh", "one-time-pass-2", "cedar-window-63")
    return svc, admin


def drop_folder_import() -> dict[str, float]:
    """Line HN takes PACKAGES packages from line 111 out of a drop folder into its database
    (``HandoffService.receive_folder``: read, check, open, store encrypted, audit, one
    transaction each), against opening the same files only (the cryptography and checks)."""
    from caseintake.crypto.handoff import open_file, party, seal
    from caseintake.domain.intake.validation import parse_intake
    from caseintake.services.handoffs.partners import ThisLineKeys
    from tests.samples import design_example

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (a, a_admin), (b, b_admin) = _line(root, "111"), _line(root, "HN")
        b_card, a_card = b.line.card(), a.line.card()
        a.line_cards.add_line(a_admin, b_card.to_bytes(), b_card.fingerprint, province_code=79)
        b.line_cards.add_line(b_admin, a_card.to_bytes(), a_card.fingerprint)
        a_sup, b_sup = (
            a.auth.login("minh", "cedar-window-63"),
            b.auth.login("minh", "cedar-window-63"),
        )
        saved = a.intake.save(a_sup, parse_intake(design_example(narrative="Trẻ khóc " * 60)))
        [first] = [r.id for r in a.cases.detail(a_sup, saved.case_id).referrals][:1]
        a.referrals.rerefer(a_sup, first, "line-hn", "benchmark")
        sent = root / "one.cih"
        a.handoffs.send(a_sup, str(saved.case_number), "line-hn", "legal_duty", sent)
        me, them = ThisLineKeys(a.line.identity(a_sup)), ThisLineKeys(b.line.identity(b_sup))
        now = a.settings.clock()
        body = open_file(sent.read_bytes(), "package", them, a_card, now).body
        folder = root / "drop"
        folder.mkdir()
        for n in range(PACKAGES):
            header = Header.new("package", party(me), party(b_card), now)
            (folder / f"{n:04d}.cih").write_bytes(seal(header, body, me, b_card))
        start = time.perf_counter()
        for path in sorted(folder.glob("*.cih")):
            open_file(path.read_bytes(), "package", them, a_card, now)
        open_only = time.perf_counter() - start
        start = time.perf_counter()
        results = b.handoffs.receive_folder(b_sup, folder)
        imported = time.perf_counter() - start
        assert all(ok for _, _, ok in results) and len(results) == PACKAGES
        a.close()
        b.close()
    return {
        "packages": PACKAGES,
        "import_s": imported,
        "import_ms_each": imported * 1000 / PACKAGES,
        "open_only_s": open_only,
    }


def main() -> None:
    report("handoff", measure())


if __name__ == "__main__":
    main()
