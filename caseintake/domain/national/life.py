"""A reported case's life after the call (issue 23 item 2): its referrals moving on, the calls
back about it, and its closing, each at its own moment, up to the end of the plan.

Pure and seeded: the bulk builder (``services.bulk.rows``) and the replay through the services
(``services.bulk.replay``) both ask it for the same steps once routing has said how many
referrals the case has, and apply them in time order. Delays are drawn from exponential
distributions of the means in ``national_mix.toml``; what has not happened by ``until`` is left
out (a referral still pending or sent, a case still open).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from caseintake.domain.national.mix import NationalMix

# The states a referral goes through for each way it ends (DESIGN §3's referral machine).
PATHS = {
    "done": ("sent", "acknowledged", "in_progress", "done"),
    "declined": ("sent", "declined"),
    "revoked": ("revoked",),
    "lost": ("sent",),
    "stalled": ("sent", "acknowledged", "in_progress"),
}
ENDED = ("done", "declined", "revoked")
OUTCOME = "Đã xác minh, trẻ được hỗ trợ tại địa phương."
STEP_REASON = {"declined": "Ngoài thẩm quyền của cơ quan.", "revoked": "Chuyển nhầm cơ quan."}
CLOSE_REASON = "Trẻ đã an toàn, ổn định."


@dataclass(frozen=True)
class LifeStep:
    """``referral``: referral ``index`` moves to ``state``; ``call``: the case's call ``index``
    is saved; ``case``: the case moves to ``state``."""

    at: datetime
    kind: str
    index: int
    state: str


def _delay(rng: random.Random, hours: float) -> timedelta:
    # Whole seconds, at least a minute: the same instant in every database and on every engine.
    return timedelta(seconds=60 + int(rng.expovariate(1.0 / (hours * 3600.0))))


def case_life(
    mix: NationalMix,
    seed: int,
    referrals: int,
    created: datetime,
    until: datetime,
    calls: Sequence[datetime] = (),
) -> list[LifeStep]:
    """The case's steps from its saving at ``created`` to ``until``, in time order; ``calls``
    are the save times of the calls back about it (all kept)."""
    rng = random.Random(seed)
    steps: list[LifeStep] = []
    ends: list[datetime | None] = []
    sent = False
    for index in range(referrals):
        outcome = rng.choices(mix.outcomes.values, cum_weights=mix.outcomes.cumulative)[0]
        at = created
        for state in PATHS[outcome]:
            at += _delay(rng, mix.delays_hours[state])
            steps.append(LifeStep(at, "referral", index, state))
            sent = sent or state == "sent"
        ends.append(at if outcome in ENDED else None)
    closes = rng.random() < mix.close_share
    if referrals and sent and closes and all(e is not None for e in ends):
        at = max(e for e in ends if e is not None)
        for state, hours in mix.closing_hours:
            at += _delay(rng, hours)
            steps.append(LifeStep(at, "case", -1, state))
    steps.extend(LifeStep(at, "call", i, "") for i, at in enumerate(calls))
    # Stable: steps at one instant keep their order (a referral's own steps never tie).
    return sorted((s for s in steps if s.at <= until or s.kind == "call"), key=lambda s: s.at)
