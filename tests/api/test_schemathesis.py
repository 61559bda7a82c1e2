"""schemathesis over the whole employer API, with an employer token (issue 19).

Every operation of the OpenAPI schema gets generated requests (valid and invalid ones); each
answer must be no 5xx, a documented status code, a documented content type and a body that
matches the schema, and an invalid request must be refused. The app is called in-process (WSGI),
against the test database.

Bounded for CI: ``SCHEMATHESIS_EXAMPLES`` examples per operation (default 15: one to two minutes for
the whole API on the 2-core machine), derandomised (the same cases every run), no example
database, no deadline. Run more locally with ``SCHEMATHESIS_EXAMPLES=200``. Marked
``schemathesis`` so it can be selected (``-m schemathesis``) or left out (``-m "not schemathesis"``).

Business rules the schema cannot express, so a request the schema calls valid may still get a
400 with a message per field (``positive_data_acceptance`` is therefore not checked):

- ``bsn``: the 11-test (elfproef), and a BSN already used by another person;
- ``postcode``: a Dutch postcode that exists (python-stdnum);
- ``employment.department``: the name of an existing department of the employer;
- ``employment.personnel_number``: unique per employer; no spaces inside;
- ``employment.ends_on`` not before ``starts_on``; the birth date not after today;
- absences: ``employee`` must be one of the employer's employees (else 404), no open report
  already, no medical terms in ``remarks``, the 28-day adding-up rule, the recovery after the
  first sick day;
- ``period`` of the calculator: ``JJJJ-MM-DD/JJJJ-MM-DD`` in order without overlap, the last one
  open, 1950–2100.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()  # every request, checks' probes included, goes in-process
schema.config.update(base_url="http://localhost")


@pytest.fixture
def wsgi_app(settings):  # type: ignore[no-untyped-def]
    # Django's test client keeps the test transaction's connection open across requests by
    # disconnecting close_old_connections; a plain WSGI call must do the same.
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100000/minute"}}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schema.app
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.schemathesis
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, wsgi_app, token_a, employee_of_a, employee_of_b):  # type: ignore[no-untyped-def]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token_a[1]}"},
        excluded_checks=[positive_data_acceptance],
    )
