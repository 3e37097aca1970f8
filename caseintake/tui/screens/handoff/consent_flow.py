"""Consent as a hand-off's legal basis, recorded at the desk (issue 24f item 1; DOMAIN §6,
``domain/handoff/basis.py``): after "consent" in the send flow, who agreed for the child (the
legal representative: a parent or a guardian), then whether every child aged 7 or over agreed
too, with the package's file name in a terminal. What the law does not allow (nobody agreed
for the child, a child of 7 or over who did not agree) is refused in the dialog in one
sentence, what was typed kept, nothing sent; what it allows goes into the package's basis and
the audit event, in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from caseintake.domain.errors import DomainError
from caseintake.domain.handoff.basis import Consent
from caseintake.i18n import t
from caseintake.tui.screens.handoff.delivery import hand_over, in_browser, package_name, target
from caseintake.tui.screens.supervisor.decision_dialog import Choice, Decision, DecisionDialog

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal
    from caseintake.services.handoffs import Download
    from caseintake.services.line import PartnerCard

REPRESENTATIVES = ("parent", "guardian")  # rules/handoff_profiles.toml [basis.consent]


def send_package(
    screen: Screen[object],
    services: Services,
    principal: Principal,
    case_number: str,
    card: PartnerCard,
    basis: str,
    typed: str,
    consent: Consent | None = None,
) -> str:
    """Send from a dialog's worker: into the export folder by the name typed, or to the
    browser as a download; the sentence saying it was sent."""
    app = screen.app
    out: Path | Download | None = None  # the partner's drop folder, when it has one (issue 24)
    if services.drop_folders.folder(card.directory_id) is None:
        out = target(app, services.settings, typed or package_name(case_number, card.code))
    sent = services.handoffs.send(principal, case_number, card.directory_id, basis, out, consent)
    where = hand_over(app, sent)
    return t("handoff_desk.send.done", partner=f"{card.name} ({card.code})", path=where)


class AskConsent:
    """The two questions over ``screen``; ``done(text, failed)`` hears the package sent."""

    def __init__(
        self,
        screen: Screen[object],
        services: Services,
        principal: Principal,
        done: Callable[[str, bool], None],
    ) -> None:
        self._screen = screen
        self._services = services
        self._principal = principal
        self._done = done

    def start(self, case_number: str, card: PartnerCard, dropped: Path | None = None) -> None:
        """``dropped``: the partner's drop folder, where the package goes with no name asked."""
        partner = f"{card.name} ({card.code})"
        choices = [Choice(r, t(f"handoff_browser.consent.{r}").capitalize())
                   for r in REPRESENTATIVES]  # fmt: skip
        choices.append(Choice("nobody", t("handoff_browser.ask.nobody")))

        def refuse_nobody(decision: Decision) -> None:
            if decision.choice == "nobody":
                raise DomainError("handoff.error.consent_representative")

        dialog = DecisionDialog(
            t("handoff_browser.ask.who_title", number=case_number),
            t("handoff_browser.ask.who_body", partner=partner),
            choices,
            attempt=refuse_nobody,
        )

        def picked(decision: Decision | None) -> None:
            if decision is not None:
                self._ask_child(case_number, card, decision.choice, dropped)

        self._screen.app.push_screen(dialog, callback=picked)

    def _ask_child(
        self, case_number: str, card: PartnerCard, representative: str, dropped: Path | None
    ) -> None:
        settings = self._services.settings
        ask = not in_browser(self._screen.app, settings) and dropped is None
        prompt = t("handoff_desk.send.name_prompt", folder=settings.export_folder())
        choices = [
            Choice("agreed", t("handoff_browser.ask.child_agreed"), ask, prompt),
            Choice("not", t("handoff_browser.ask.child_not"), ask, prompt),
        ]
        said: list[str] = []

        def attempt(decision: Decision) -> None:
            consent = Consent(representative, decision.choice == "agreed")
            said.append(
                send_package(self._screen, self._services, self._principal, case_number, card,
                             "consent", decision.text, consent)
            )  # fmt: skip

        dialog = DecisionDialog(
            t("handoff_browser.ask.who_title", number=case_number),
            t("handoff_browser.ask.child_body"),
            choices,
            attempt=attempt,
        )

        def finished(decision: Decision | None) -> None:
            if decision is not None and said:
                self._done(said[-1], False)

        self._screen.app.push_screen(dialog, callback=finished)
