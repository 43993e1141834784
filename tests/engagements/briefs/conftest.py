"""Every brief test runs with the drafting rule (the real one once merged; see ``stand_in``)."""

from tests.engagements.briefs.stand_in import drafting_rule  # noqa: F401 - autouse fixture
