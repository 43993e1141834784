"""Worker tests book report engagements by invoice: the seller's details must be complete."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def seller(app_ctx):  # type: ignore[no-untyped-def]
    from tests.engagements.factories import complete_seller

    return complete_seller()
