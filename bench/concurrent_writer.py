"""One operator process for the concurrency bench and test: log in, save N reports, report back."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path


def main() -> None:
    url, state, user, password, n = (
        sys.argv[1],
        sys.argv[2],
        sys.argv[3],
        sys.argv[4],
        int(sys.argv[5]),
    )
    from caseintake.domain.intake.validation import parse_intake
    from caseintake.services.container import Services
    from caseintake.services.core.settings import Settings

    svc = Services(Settings(db_url=url, state_dir=Path(state)))
    principal = svc.auth.login(user, password)
    saved, errors = [], []
    for i in range(n):
        data = {
            "received_at": datetime.now(UTC).isoformat(),
            "contact_type": "report",
            "caller": {"relationship": "neighbour", "phone": "0912345678"},
            "children": [{"age": 8 + i % 8, "sex": "female"}],
            "location": {"province_code": 79, "ward_code": 26740},
            "concerns": ["violence.physical"],
            "setting": "family",
            "perpetrators": [{"relationship": "parent"}],
            "immediate_danger": i % 3 == 0,
            "narrative": f"{user} report {i}",
        }
        try:
            contact_id = svc.intake.save(principal, parse_intake(data)).contact_id
            saved.append(contact_id)
            print(f"ACK {contact_id}", flush=True)  # acknowledged: the save has committed
        except Exception as err:  # counted and reported: the bar is zero of these
            errors.append(f"{type(err).__name__}: {err}")
    print(json.dumps({"saved": saved, "errors": errors}))


if __name__ == "__main__":
    main()
