"""Company and role from titles whose stage words carry accents or whose role is not English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rules.extract import company_and_role
from rules.model import SourceEvent
from rules.vocabulary import default_vocabulary


@pytest.mark.parametrize(
    ("title", "company", "role"),
    [
        (
            "Wayne Enterprises final interview panel (Legal Counsel)",
            "Wayne Enterprises",
            "Legal Counsel",
        ),
        (
            "Entretien téléphonique – Fromagerie Dubois (Chef de projet)",
            "Fromagerie Dubois",
            "Chef de projet",
        ),
        (
            "Vorstellungsgespräch vor Ort – Müller Maschinenbau AG (Projektleiter)",
            "Müller Maschinenbau AG",
            "Projektleiter",
        ),
        ("Müller AG Vorstellungsgespräch", "Müller AG", None),
    ],
)
def test_company_and_role_from_title(title: str, company: str, role: str | None) -> None:
    event = SourceEvent(
        id="x", calendar_id="c", summary=title, start=datetime(2026, 12, 1, 10, tzinfo=UTC)
    )
    assert company_and_role(event, default_vocabulary()) == (company, role)
