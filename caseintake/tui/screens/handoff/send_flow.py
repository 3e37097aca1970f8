"""Send a case's referral to a partner line as a hand-off package, from the case detail (issue
24 part C, item 2): pick the partner line (only directory entries with an active line card),
then the legal basis in words and a file name in the export folder; the package is written
there through the services (in a browser it downloads instead, and consent asks who agreed
first: ``delivery``, ``consent_flow``). A refusal (no referral to that entry, a basis the case does not
meet, a file that exists) is said in the dialog, the name typed kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from caseintake.i18n import t
from caseintake.tui.screens.supervisor.decision_dialog import Choice, Decision, DecisionDialog
from caseintake.tui.texts import describe

if TYPE_CHECKING:
    from caseintake.services.container import Services
    from caseintake.services.core import Principal
    from caseintake.services.line import PartnerCard

BASES = ("legal_duty", "emergency", "consent")


class SendHandoff:
    """Drives the two dialogs over ``screen``; ``done(text, failed)`` hears how it ended."""

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

    def start(self, case_number: str) -> None:
        """The partner lines are read in a thread worker of ``screen``, then asked for."""
        self._screen.run_worker(
            lambda: self._partners(case_number),
            thread=True,
            group="handoff-send",
            exit_on_error=False,
        )

    def _partners(self, case_number: str) -> None:
        app = self._screen.app
        try:
            cards = self._services.line_cards.cards(include_retired=False)
            dropped = {f.directory_id: f.path for f in self._services.drop_folders.folders()}
        except Exception as error:
            app.call_from_thread(self._done, describe(error), True)
            return
        app.call_from_thread(self._pick_partner, case_number, cards, dropped)

    def _pick_partner(
        self, case_number: str, cards: list[PartnerCard], dropped: dict[str, Path]
    ) -> None:
        if not cards:
            self._done(t("handoff_desk.send.no_partner"), True)
            return
        by_id = {c.directory_id: c for c in cards}
        choices = [Choice(c.directory_id, f"{c.name} ({c.code})") for c in cards]
        dialog = DecisionDialog(
            t("handoff_desk.send.title", number=case_number),
            t("handoff_desk.send.partner_body"),
            choices,
        )

        def picked(decision: Decision | None) -> None:
            if decision is not None:
                chosen = by_id[decision.choice]
                self._pick_basis(case_number, chosen, dropped.get(chosen.directory_id))

        self._screen.app.push_screen(dialog, callback=picked)

    def _pick_basis(self, case_number: str, card: PartnerCard, dropped: Path | None) -> None:
        """``dropped``: the partner's drop folder, where the package goes with no name asked."""
        from caseintake.tui.screens.handoff.consent_flow import AskConsent, send_package
        from caseintake.tui.screens.handoff.delivery import in_browser

        folder = self._services.settings.export_folder()
        prompt = t("handoff_desk.send.name_prompt", folder=folder)
        browser = in_browser(self._screen.app, self._services.settings)  # a download: no name
        ask = not browser and dropped is None
        # consent asks who agreed first (consent_flow), the file name after
        choices = [
            Choice(b, t(f"handoff_desk.send.basis_{b}"), ask and b != "consent", prompt)
            for b in BASES
        ]
        partner = f"{card.name} ({card.code})"
        said: list[str] = []

        def attempt(decision: Decision) -> None:
            if decision.choice == "consent":
                return  # asked next, in consent_flow
            services, who = self._services, self._principal
            text = send_package(self._screen, services, who, case_number, card, decision.choice,
                                decision.text)  # fmt: skip
            said.append(text)

        body = "handoff_browser.send_body" if browser else "handoff_desk.send.basis_body"
        dialog = DecisionDialog(
            t("handoff_desk.send.title", number=case_number),
            t(body, partner=partner, folder=folder)
            if dropped is None
            else t("handoff_folders.tui.send_body", partner=partner, folder=dropped),
            choices,
            attempt=attempt,
        )

        def finished(decision: Decision | None) -> None:
            if decision is not None and decision.choice == "consent":
                AskConsent(self._screen, self._services, self._principal, self._done).start(
                    case_number, card, dropped
                )
            elif decision is not None and said:
                self._done(said[-1], False)

        self._screen.app.push_screen(dialog, callback=finished)
