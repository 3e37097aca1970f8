"""The mutations of the tamper phase, each applied to a fresh copy of the file and its state
folder. A mutation returns what ``audit verify`` (and, for a user row, login) should then say.

Kinds: ``detect``, named by the MAC chain, the checkpoints or the users' certificates (the
signature check may name them first); ``signatures``, what only a signature per writer can name
(issue 10 item 2: an insider's rewrite after the last checkpoint, a signature or signer
changed), drawn only when the trail is signed; ``window``, what the design admits it cannot
see (a tail cut after the last checkpoint), reported apart.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.chaos.insider import InsiderKeys, RawFile
from caseintake.crypto.checkpoint import Checkpoint


@dataclass(frozen=True)
class Expect:
    what: str
    problems: frozenset[str] = frozenset()  # the keys that name it; empty: any failure
    seq: int | None = None  # the event verify should name, when that is determinate
    login: tuple[str, str] | None = None  # a login that must now be refused
    users: tuple[str, ...] = ()  # verify should name one of these users


@dataclass
class Facts:
    """The template copy as the crash phase left it."""

    db_id: str
    last: int
    checkpoints: list[int]  # trusted (admin's and supervisor's) checkpoint seqs
    actors: dict[int, str]  # seq -> actor
    insider: InsiderKeys
    passwords: dict[str, str]
    operators: list[str]
    supervisor: str
    disabled: str
    case_ids: list[str]
    old_copy: Path
    signed: bool  # the trail carries per-user signatures (issue 10 item 2)


@dataclass
class Work:
    file: Path
    state: Path
    facts: Facts
    # n ordinary events appended by the app: logins of the given user (None: a fixed operator)
    grow: Callable[[Path, Path, int, tuple[str, str] | None], None]
    _raw: RawFile | None = field(default=None, repr=False)

    @property
    def raw(self) -> RawFile:
        if self._raw is None:
            self._raw = RawFile(self.file, self.facts.insider, self.facts.db_id)
        return self._raw

    @property
    def checkpoint_dir(self) -> Path:
        return self.state / "checkpoints" / self.facts.db_id

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None


Mutate = Callable[[Work, random.Random], Expect]
MODIFIED, MISSING, INSERTED = "audit.modified", "audit.missing", "audit.inserted"
MISMATCH, TRUNCATED = "audit.checkpoint_mismatch", "audit.truncated"
DAMAGED, USER = "audit.checkpoint_damaged", "audit.user_tampered"


def flip(value: object) -> object:
    """The value with one bit changed, whatever its type (the tamper tests use it too)."""
    if isinstance(value, int):
        return value ^ 1
    if isinstance(value, bytes | memoryview):
        data = bytearray(bytes(value))
        data[len(data) // 2] ^= 0x01
        return bytes(data)
    s = str(value)
    return s[:-1] + chr(ord(s[-1]) ^ 0x01)


def changed_byte(column: str) -> Mutate:
    def mutate(w: Work, rng: random.Random) -> Expect:
        seq = rng.randint(1, w.facts.last)
        value = w.raw.one(f"SELECT {column} FROM audit_events WHERE seq = ?", seq)
        w.raw.run(f"UPDATE audit_events SET {column} = ? WHERE seq = ?", flip(value), seq)
        return Expect(f"seq {seq} {column}", frozenset({MODIFIED}), seq)

    return mutate


def deleted_middle(w: Work, rng: random.Random) -> Expect:
    seq = rng.randint(2, w.facts.last - 1)
    w.raw.run("DELETE FROM audit_events WHERE seq = ?", seq)
    return Expect(f"seq {seq}", frozenset({MISSING}), seq)


def deleted_tail(w: Work, rng: random.Random) -> Expect:
    """Cut at or before the last trusted checkpoint (after it is the design's window)."""
    seq = rng.randint(2, max(w.facts.checkpoints))
    w.raw.run("DELETE FROM audit_events WHERE seq >= ?", seq)
    return Expect(f"from seq {seq}", frozenset({TRUNCATED}), seq)


def tail_past_checkpoint(w: Work, rng: random.Random) -> Expect:
    seq = rng.randint(max(w.facts.checkpoints) + 1, w.facts.last)
    w.raw.run("DELETE FROM audit_events WHERE seq >= ?", seq)
    return Expect(f"from seq {seq} (after the last checkpoint)")


def truncated_then_grown(w: Work, rng: random.Random) -> Expect:
    """The tail cut behind the app's back, then ordinary work goes on past the checkpoint."""
    cp = max(w.facts.checkpoints)
    seq = rng.randint(max(2, cp - 20), cp)
    w.raw.run("DELETE FROM audit_events WHERE seq >= ?", seq)
    w.close()
    w.grow(w.file, w.state, cp - seq + 3, None)
    first = min(c for c in w.facts.checkpoints if c >= seq)
    return Expect(f"from seq {seq}, grown", frozenset({MISMATCH}), first)


def _copy_event(w: Work, src: int, dst: int, **changes: object) -> None:
    row = next(r for r in w.raw.events(src) if r["seq"] == src) | changes | {"seq": dst}
    cols = ", ".join(row)
    w.raw.run(
        f"INSERT INTO audit_events ({cols}) VALUES ({', '.join('?' * len(row))})", *row.values()
    )


def inserted_below_one(w: Work, rng: random.Random) -> Expect:
    """Issue 10 item 4: a supervisor's closing slipped in at seq 0 or -1."""
    seq = rng.choice((0, -1))
    src = rng.randint(1, w.facts.last)
    _copy_event(w, src, seq, action="case_closed", actor=w.facts.supervisor)
    return Expect(f"at seq {seq}", frozenset({INSERTED}), seq)


def duplicated_event(w: Work, rng: random.Random) -> Expect:
    src = rng.randint(1, w.facts.last)
    _copy_event(w, src, w.facts.last + 1)
    return Expect(f"seq {src} replayed at the tail", frozenset({MODIFIED}), w.facts.last + 1)


def swapped_seqs(w: Work, rng: random.Random) -> Expect:
    a, b = sorted(rng.sample(range(1, w.facts.last + 1), 2))
    w.raw.run("UPDATE audit_events SET seq = -999999 WHERE seq = ?", a)
    w.raw.run("UPDATE audit_events SET seq = ? WHERE seq = ?", a, b)
    w.raw.run("UPDATE audit_events SET seq = ? WHERE seq = -999999", b)
    return Expect(f"seqs {a} and {b}", frozenset({MODIFIED, "audit.reordered"}), a)


def _victim(w: Work, rng: random.Random, lo: int, hi: int) -> str:
    """Another user who wrote an event between ``lo`` and ``hi`` that a third user's event
    follows: dropping events nobody else wrote after is cutting the tail (the window)."""
    last: dict[str, int] = {}
    for s, a in w.facts.actors.items():
        if a not in (w.facts.insider.name, "-"):
            last[a] = max(s, last.get(a, s))
    after = {a: max((t for b, t in last.items() if b != a), default=0) for a in last}
    names = {a for s, a in w.facts.actors.items() if lo <= s <= hi and s < after.get(a, 0)}
    return rng.choice(sorted(names))


def remac_without_other(past_checkpoint: bool) -> Mutate:
    """The insider drops another user's events (from genesis, or only after the last trusted
    checkpoint), renumbers, re-MACs with the audit key and re-signs with their own key."""

    def mutate(w: Work, rng: random.Random) -> Expect:
        cp = max(w.facts.checkpoints)
        # From genesis: a victim with an event the checkpoints cover, else it is the other case.
        start, hi = (cp + 1, w.facts.last) if past_checkpoint else (1, cp)
        victim = _victim(w, rng, start, hi)
        rows = [r for r in w.raw.events(start) if r["actor"] != victim]
        w.raw.rewrite_from(start, rows)
        where = "after the last checkpoint" if past_checkpoint else "from genesis"
        return Expect(f"{victim}'s events dropped {where}, re-MACed")

    return mutate


def forged_in_other_name(past_checkpoint: bool) -> Mutate:
    """An event in the supervisor's name (a case closed), MACed with the audit key: at the tail,
    or inside the checkpointed part with everything after it re-MACed."""

    def mutate(w: Work, rng: random.Random) -> Expect:
        cp = max(w.facts.checkpoints)
        at = rng.randint(cp + 1, w.facts.last + 1) if past_checkpoint else rng.randint(2, cp)
        rows = w.raw.events(at)
        prev_at = w.raw.one("SELECT at_us FROM audit_events WHERE seq = ?", at - 1)
        case = rng.choice(w.facts.case_ids)
        forged = w.raw.forged(w.facts.supervisor, "case_closed", "case", case, prev_at + 1)
        w.raw.rewrite_from(at, [forged, *rows])
        return Expect(f"case_closed by {w.facts.supervisor} at seq {at}")

    return mutate


def own_event_dropped_past_checkpoint(w: Work, rng: random.Random) -> Expect:
    """The stated window is only the insider's own events *at the tail*: one of theirs dropped
    after the last checkpoint with another user's event after it, the chain re-MACed, and
    only their own events re-signed (the others' signatures now cover MACs that changed)."""
    me, cp = w.facts.insider.name, max(w.facts.checkpoints)

    def mine() -> list[int]:
        after = w.raw.conn.execute("SELECT seq, actor FROM audit_events WHERE seq > ?", (cp,))
        seqs = dict(after.fetchall())
        later = max((s for s, a in seqs.items() if a not in (me, "-")), default=0)
        return [s for s, a in seqs.items() if a == me and s < later]

    if not mine():  # the insider wrote nothing there: they log in, then someone else does
        w.close()
        w.grow(w.file, w.state, 1, (me, w.facts.passwords[me]))
        w.grow(w.file, w.state, 1, None)
    seq = rng.choice(mine())
    rows = [r for r in w.raw.events(seq) if r["seq"] != seq]
    w.raw.rewrite_from(seq, rows, others_too=False)
    return Expect(f"{me}'s own event {seq} dropped, a later one by someone else")


def restored_older_copy(w: Work, rng: random.Random) -> Expect:
    w.close()
    shutil.copyfile(w.facts.old_copy, w.file)
    for suffix in ("-wal", "-shm"):
        Path(f"{w.file}{suffix}").unlink(missing_ok=True)
    return Expect("copy taken before the first checkpoint", frozenset({TRUNCATED, MISMATCH}))


def raised_role(w: Work, rng: random.Random) -> Expect:
    name = rng.choice(w.facts.operators)
    w.raw.run("UPDATE users SET role = 'admin' WHERE name = ?", name)
    return Expect(
        f"{name} made admin", frozenset({USER}), None, (name, w.facts.passwords[name]), (name,)
    )


def enabled_disabled(w: Work, rng: random.Random) -> Expect:
    name = w.facts.disabled
    w.raw.run("UPDATE users SET disabled = 0 WHERE name = ?", name)
    return Expect(
        f"{name} enabled", frozenset({USER}), None, (name, w.facts.passwords[name]), (name,)
    )


def swapped_slot_owner(w: Work, rng: random.Random) -> Expect:
    """The insider's slot moved to another operator, so the insider's password opens it."""
    me = w.facts.insider.name
    other = rng.choice([n for n in w.facts.operators if n != me])
    ids = {n: w.raw.one("SELECT id FROM users WHERE name = ?", n) for n in (me, other)}
    w.raw.run("UPDATE key_slots SET user_id = NULL WHERE user_id = ?", ids[other])
    w.raw.run("UPDATE key_slots SET user_id = ? WHERE user_id = ?", ids[other], ids[me])
    w.raw.run(
        "UPDATE key_slots SET user_id = ? WHERE user_id IS NULL AND kind != 'recovery'", ids[me]
    )
    login = (other, w.facts.passwords[me])
    return Expect(f"{me}'s slot given to {other}", frozenset({USER}), None, login, (me, other))


def forged_checkpoints(w: Work, rng: random.Random) -> Expect:
    """The whole chain rewritten without the insider's events, every trusted checkpoint file
    replaced by one signed with the key derived from the data key, and one at the new head."""
    rows = [r for r in w.raw.events(1) if r["actor"] != w.facts.insider.name]
    w.raw.rewrite_from(1, rows)
    key = w.facts.insider.data_key.signing_key
    for seq in [*w.facts.checkpoints, len(rows)]:
        if seq <= len(rows):
            cp = Checkpoint(w.facts.db_id, seq, w.raw.mac_at(seq), "2026-11-30T00:00:00+00:00")
            (w.checkpoint_dir / f"{seq:012d}.json").write_text(cp.sign(key))
    return Expect("chain rewritten, checkpoints re-signed with the data key", frozenset({DAMAGED}))


def data_key_checkpoint(w: Work, rng: random.Random) -> Expect:
    """The chain untouched; a checkpoint of its true head signed with the data-key-derived key
    (what every user can compute), as if to vouch for whatever the insider writes next."""
    seq = w.facts.last
    cp = Checkpoint(w.facts.db_id, seq, w.raw.mac_at(seq), "2026-11-30T00:00:00+00:00")
    (w.checkpoint_dir / f"{seq:012d}.json").write_text(
        cp.sign(w.facts.insider.data_key.signing_key)
    )
    return Expect(f"at seq {seq}", frozenset({DAMAGED}), seq)


def damaged_checkpoint(w: Work, rng: random.Random) -> Expect:
    seq = rng.choice(w.facts.checkpoints)
    path = w.checkpoint_dir / f"{seq:012d}.json"
    text = path.read_text()
    at = text.index('"mac": "') + 8 + rng.randrange(64)
    path.write_text(text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :])
    return Expect(f"checkpoint {seq}'s mac", frozenset({DAMAGED}), seq)


def changed_signature(w: Work, rng: random.Random) -> Expect:
    seq = rng.choice(w.raw.signed_seqs())
    sig = w.raw.one("SELECT sig FROM audit_events WHERE seq = ?", seq)
    w.raw.run("UPDATE audit_events SET sig = ? WHERE seq = ?", flip(sig), seq)
    return Expect(f"seq {seq} sig", frozenset({"audit.bad_signature"}), seq)


def claimed_other_signer(w: Work, rng: random.Random) -> Expect:
    """A signed event claimed for another user (its signature left as it was)."""
    seq = rng.choice(w.raw.signed_seqs())
    signer = w.raw.one("SELECT signer FROM audit_events WHERE seq = ?", seq)
    ids = [r[0] for r in w.raw.conn.execute("SELECT id FROM users ORDER BY id") if r[0] != signer]
    other = rng.choice(ids)
    w.raw.run("UPDATE audit_events SET signer = ? WHERE seq = ?", other, seq)
    return Expect(f"seq {seq} signer")


CLASSES: dict[str, tuple[str, Mutate]] = {
    "byte_details": ("detect", changed_byte("details")),
    "byte_mac": ("detect", changed_byte("mac")),
    "byte_actor": ("detect", changed_byte("actor")),
    "byte_action": ("detect", changed_byte("action")),
    "byte_at_us": ("detect", changed_byte("at_us")),
    "deleted_middle": ("detect", deleted_middle),
    "deleted_tail": ("detect", deleted_tail),
    "truncated_then_grown": ("detect", truncated_then_grown),
    "inserted_below_one": ("detect", inserted_below_one),
    "duplicated_event": ("detect", duplicated_event),
    "swapped_seqs": ("detect", swapped_seqs),
    "remac_without_other": ("detect", remac_without_other(False)),
    "forged_in_other_name": ("detect", forged_in_other_name(False)),
    "restored_older_copy": ("detect", restored_older_copy),
    "raised_role": ("detect", raised_role),
    "enabled_disabled": ("detect", enabled_disabled),
    "swapped_slot_owner": ("detect", swapped_slot_owner),
    "forged_checkpoints": ("detect", forged_checkpoints),
    "data_key_checkpoint": ("detect", data_key_checkpoint),
    "damaged_checkpoint": ("detect", damaged_checkpoint),
    "remac_without_other_past_checkpoint": ("signatures", remac_without_other(True)),
    "forged_in_other_name_past_checkpoint": ("signatures", forged_in_other_name(True)),
    "own_event_dropped_past_checkpoint": ("signatures", own_event_dropped_past_checkpoint),
    "byte_sig": ("signatures", changed_signature),
    "claimed_other_signer": ("signatures", claimed_other_signer),
    "tail_past_checkpoint": ("window", tail_past_checkpoint),
}
