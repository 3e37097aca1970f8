"""The intake JSON of DESIGN §6, shared by the tests that start from it (with their own changes)."""

from __future__ import annotations

from typing import Any


def design_example(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_at": "2026-03-02T08:15:00+07:00",
        "channel": "phone",
        "contact_type": "report",
        "caller": {"relationship": "neighbour", "phone": "0912345678"},
        "children": [
            {
                "age": 9,
                "age_basis": "stated",
                "sex": "female",
                "ethnicity": "kinh",
                "special_circumstances": [],
            }
        ],
        "location": {"province_code": 79, "ward_code": 26740},
        "concerns": ["violence"],
        "setting": "family",
        "perpetrators": [{"relationship": "step_parent"}],
        "immediate_danger": True,
        "narrative": "...",
    }
    data.update(changes)
    return data
