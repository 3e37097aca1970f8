"""Imported once by the chaos run's forkserver: the writers' modules, the intake rules and the
holiday calendar load here, so each restarted writer starts saving within a login's time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bench.chaos.writer import report
from caseintake.domain.intake.validation import parse_intake
from caseintake.domain.referrals.deadlines import WorkingCalendar

parse_intake(report("warm", "warm", 1), now=datetime.now(UTC))
WorkingCalendar().next_working_day(date.today())
