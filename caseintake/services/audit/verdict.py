"""The verdict of ``audit verify``: the chain's own, its signatures', the records' (issue
20), then every kept checkpoint's."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field, replace
from typing import Any

from caseintake.crypto.audit_chain import ChainReport
from caseintake.crypto.event_sigs import SignatureCheck
from caseintake.services.audit.checkpoints import Kept
from caseintake.services.audit.order import NumberGaps
from caseintake.services.audit.records import RecordReport


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    last_seq: int
    first_bad_seq: int | None
    problem: str | None  # message key
    checkpoint_seq: int | None
    # Checkpoints an acknowledgement sets aside: those past the head or not matching it.
    stale_checkpoints: tuple[int, ...] = field(default=(), compare=False)
    chain_ok: bool = field(default=True, compare=False)
    detail: str | None = field(default=None, compare=False)  # a user name or a path
    signatures: int = field(default=0, compare=False)  # per-user signatures checked
    unsigned_before: int = field(default=0, compare=False)  # events from before signatures
    # Issue 20: the bound records checked, what was found in them (table and case, the event
    # contradicted, its signer), and rows from before records were bound.
    records: int = field(default=0, compare=False)
    record_problems: tuple[tuple[str, str, int | None, str | None], ...] = field(
        default=(), compare=False
    )
    record_count: int = field(default=0, compare=False)
    unbound_records: int = field(default=0, compare=False)
    record: str | None = field(default=None, compare=False)  # the first record named

    def message(self, lang: str | None = None) -> str:
        """The problem in one sentence, every placeholder filled (issue 20 item 8)."""
        from caseintake.i18n import t

        return t(
            self.problem or "audit.modified", lang,
            seq=self.first_bad_seq, checkpoint=self.checkpoint_seq, last=self.last_seq,
            count=self.checked, name=self.detail, path=self.detail,
            signatures=self.signatures, record=self.record,
        )  # fmt: skip


def judge(
    report: ChainReport,
    kept: Kept,
    stored: dict[int, object],
    sigs: tuple[SignatureCheck, int] | None = None,
) -> VerifyResult:
    """The chain's own verdict first, then its signatures, then every checkpoint byte for
    byte, then a damaged checkpoint file, then an earlier failure not yet acknowledged."""
    last = report.last_seq
    beyond = sorted({cp.seq for cp in kept.checkpoints if cp.seq > last})
    mismatched = sorted(
        {
            cp.seq
            for cp in kept.checkpoints
            if cp.seq <= last and not _same(stored.get(cp.seq), cp.mac)
        }
    )
    stale = tuple(sorted({*beyond, *mismatched, *kept.damaged}))
    matching = [cp.seq for cp in kept.checkpoints if cp.seq <= last and cp.seq not in mismatched]
    cp_seq = max(matching, default=None)

    def failed(seq: int | None, problem: str, chain_ok: bool = True) -> VerifyResult:
        at_cp = max(beyond, default=cp_seq)
        return VerifyResult(False, report.checked, last, seq, problem, at_cp, stale, chain_ok)

    if not report.ok:
        return failed(report.first_bad_seq, report.problem or "audit.modified", chain_ok=False)
    check, legacy = sigs if sigs is not None else (SignatureCheck(None, None, 0), 0)
    if check.problem is not None:
        bad = failed(check.first_bad_seq, check.problem, chain_ok=False)
        return replace(bad, detail=check.detail, signatures=check.signatures)
    if mismatched:
        return failed(mismatched[0], "audit.checkpoint_mismatch")
    if beyond:
        return failed(last + 1, "audit.truncated")
    if kept.damaged:
        return failed(kept.damaged[0], "audit.checkpoint_damaged")
    if kept.failures:
        seqs = [f.seq for f in kept.failures if f is not None]
        return failed(min(seqs, default=0), "audit.still_failed")
    return VerifyResult(
        True,
        report.checked,
        last,
        None,
        None,
        cp_seq,
        signatures=check.signatures,
        unsigned_before=legacy,
    )


def with_records(
    result: VerifyResult, records: RecordReport, named: tuple[tuple[Any, ...], ...]
) -> VerifyResult:
    """The records' verdict (issue 20): after the chain and its signatures, which prove the
    events the records are held against; before the checkpoints. A record problem cannot be
    acknowledged away: the rows must be put back (a good copy restored)."""
    problems = tuple((kind, label, seq, name) for kind, label, name, seq in named)
    counted = replace(
        result,
        records=records.checked,
        record_problems=problems,
        record_count=records.count,
        unbound_records=records.unbound,
    )
    if records.ok or not result.ok:  # what was found first leads; the records are listed
        return counted
    first = records.first()
    assert first is not None
    kind, label, seq, name = problems[records.problems.index(first)]
    return replace(
        counted,
        ok=False,
        first_bad_seq=seq,
        problem=f"audit.record_{kind}",
        chain_ok=False,
        detail=name,
        record=label,
    )


def with_order(result: VerifyResult, backwards: int | None, gaps: NumberGaps) -> VerifyResult:
    """Event times that go backwards, then case numbers missing (issue 20 item 4): after the
    records, and like them never acknowledged away (signed events cannot be redated, a deleted
    case can only be put back from a good copy)."""
    if not result.ok:
        return result
    if backwards is not None:
        return replace(
            result, ok=False, first_bad_seq=backwards, problem="audit.times_backwards",
            chain_ok=False,
        )  # fmt: skip
    if gaps.count:
        return replace(
            result, ok=False, problem="audit.case_number_gap", chain_ok=False,
            record=gaps.missing[0], detail=str(gaps.count),
        )  # fmt: skip
    return result


def _same(stored: object, signed: bytes) -> bool:
    if isinstance(stored, memoryview):
        stored = bytes(stored)
    return isinstance(stored, bytes) and hmac.compare_digest(stored, signed)
