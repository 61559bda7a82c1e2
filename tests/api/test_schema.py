"""The OpenAPI 3 schema at /api/schema/ and the self-hosted docs at /api/docs/."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema

from arbo.registry.models import PERSONAL_DATA_CATEGORIES

#: Schema components describing employees, and the registry model each one's fields come from.
EMPLOYEE_COMPONENTS = {
    "Employee": "registry.employee",
    "EmployeeWriteRequest": "registry.employee",
    "PatchedEmployeeWriteRequest": "registry.employee",
    "Employment": "registry.employment",
    "EmploymentWriteRequest": "registry.employment",
}
STRUCTURAL = {"id", "employments", "employment"}


@pytest.fixture
def schema(mfa_client, hr_wim) -> dict:  # type: ignore[no-untyped-def]
    # Behind login since issue 19: here an employer's HR user with a browser session.
    response = mfa_client(hr_wim).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 JSON schema

    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Arbodossier API"


def test_schema_lists_the_employee_endpoints_with_bodies(schema):
    paths = schema["paths"]

    assert set(paths) == {
        "/api/v1/employees/",
        "/api/v1/employees/{employee_id}/",
        "/api/v1/poortwachter/timeline",  # tests/absence/test_calculator.py checks its schema
        "/api/v1/absences/",  # tests/api/test_absences.py
        "/api/v1/absences/{case_id}/",
        "/api/v1/absences/{case_id}/recovery/",
        "/api/v1/reports/absence",  # tests/reporting/test_api.py
        "/api/v1/privacy/deadline",  # tests/privacy/test_rights_clock.py
        "/api/v1/privacy/retention",  # tests/retention/test_calculator_api.py
    }
    assert set(paths["/api/v1/employees/"]) == {"get", "post"}
    assert set(paths["/api/v1/employees/{employee_id}/"]) >= {"get", "put", "patch"}
    listing = paths["/api/v1/employees/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing == {"$ref": "#/components/schemas/PaginatedEmployeeList"}
    create = paths["/api/v1/employees/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EmployeeWriteRequest"
    }
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Employee"
    }
    assert "404" in paths["/api/v1/employees/{employee_id}/"]["get"]["responses"]


def test_schema_documents_the_bearer_scheme_on_every_operation(schema):
    assert schema["components"]["securitySchemes"]["apiToken"]["type"] == "http"
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    for path in schema["paths"].values():
        for operation in path.values():
            assert operation["security"] == [{"apiToken": []}]


def test_employee_schemas_hold_only_category_a_and_d_fields(schema):
    components = schema["components"]["schemas"]
    for component, model in EMPLOYEE_COMPONENTS.items():
        properties = set(components[component]["properties"]) - STRUCTURAL
        assert properties, component
        categories = {name: PERSONAL_DATA_CATEGORIES[model].get(name) for name in properties}
        assert set(categories.values()) <= {"A", "D"}, (component, categories)


def test_schema_names_no_category_b_or_c_field(schema):
    b_or_c = {
        name
        for fields in PERSONAL_DATA_CATEGORIES.values()
        for name, category in fields.items()
        if category in {"B", "C"}
    }
    text = repr(schema)

    for name in b_or_c:
        assert f"'{name}'" not in text


def test_docs_are_served_without_any_cdn(mfa_client, hr_wim):
    client = mfa_client(hr_wim)
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "swagger-ui" in html.lower()
    for cdn in ("cdn.", "unpkg", "jsdelivr", "cdnjs"):
        assert cdn not in html
    assert "/api/schema/" in client.get("/api/docs/", {"script": ""}).content.decode()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert any(a.startswith("drf_spectacular_sidecar/swagger-ui-dist/") for a in assets)
    for asset in assets:
        assert finders.find(asset), asset


# --- Issue 19: behind login, no inline script ----------------------------------------------------


def test_schema_and_docs_need_a_login(client, db):
    schema = client.get("/api/schema/", {"format": "json"})
    docs = client.get("/api/docs/")

    assert schema.status_code == 401
    assert "paths" not in schema.content.decode()
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/")


def test_an_api_client_may_fetch_the_schema_with_its_token(api_a):
    response = api_a.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/employees/" in response.json()["paths"]


def test_docs_run_no_inline_script(mfa_client, hr_wim):
    client = mfa_client(hr_wim)
    html = client.get("/api/docs/").content.decode()

    policy = client.get("/api/docs/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"  # still no inline script
    assert "style-src 'self' 'unsafe-inline'" in policy  # Swagger UI's style attributes only
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    assert [body for body in inline if body.strip()] == []
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
