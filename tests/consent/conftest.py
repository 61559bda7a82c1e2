"""The consent tests reuse the medical fixtures (a treated employee, the doctor)."""

from tests.consent.test_disclosure import lawyer, reintegrator, world  # noqa: F401,E402
from tests.medical.conftest import planner_piet, treated, treated_b  # noqa: F401
