"""Every event name the code writes is in the one event registry (arbo/audit/events.py), so the audit
viewer shows staff a readable label and "who saw my file" the employee's sentence, never a raw code.

The scan reads the source (no import of the modules needed): every call to an audit helper and every
string literal shaped like an event name ("<app>.<snake_case>") in a module that writes audit records.
An event name built at run time (an f-string) must be listed in DYNAMIC with all the names it makes.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

from arbo.audit.events import EVENTS, describe

ROOT = Path(__file__).resolve().parents[2] / "arbo"
HELPERS = {"record", "record_many", "record_access", "record_access_many", "_log"}
APPS = "absence|access|api|audit|consent|identity|journal|medical|operations|portal|prevention|privacy|registry|reporting|retention"
EVENT_SHAPED = re.compile(rf"^({APPS})\.[a-z][a-z0-9_]*$")
# Literals of that shape that are not event names (the items of a consent; a register's kind).
NOT_EVENTS = {"absence.incapacity", "absence.reintegration", "medical.notes", "retention.subject"}
_SUBJECT_SOURCES = (
    "registry",
    "journal",
    "medical",
    "absence",
    "prevention",
    "portal",
    "audit",
    "privacy",
    "consent",
)
_CARE_STEPS = ("requested", "request_approved", "request_rejected", "request_withdrawn")
DYNAMIC = {
    "f'{source}.subject_records_read'": {f"{s}.subject_records_read" for s in _SUBJECT_SOURCES},
    "f\"access.{('doctor_team' if team else 'treating_doctor')}_{step}\"": {
        f"access.{who}_{step}" for who in ("doctor_team", "treating_doctor") for step in _CARE_STEPS
    },
    "f'privacy.{signal._meta.model_name}_raised'": {
        "privacy.breachsignal_raised",
        "privacy.complaintsignal_raised",
        "privacy.rightssignal_raised",
    },
}


def _modules(root: Path) -> list[tuple[Path, str, ast.Module]]:
    return [
        (path, text, ast.parse(text))
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        for text in [path.read_text(encoding="utf-8")]
    ]


def _names_in(argument: ast.expr, where: str, found: dict[str, str], unknown: list[str]) -> None:
    """The event names an event argument can take: a literal, either branch of ``a if c else b``,
    or the listed expansions of an f-string."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        found.setdefault(argument.value, where)
    elif isinstance(argument, ast.IfExp):
        _names_in(argument.body, where, found, unknown)
        _names_in(argument.orelse, where, found, unknown)
    elif isinstance(argument, ast.JoinedStr):
        source = ast.unparse(argument)
        if source in DYNAMIC:
            for name in DYNAMIC[source]:
                found.setdefault(name, where)
        else:
            unknown.append(f"{where} {source}")


def _helper_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _event_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "event":
            return keyword.value
    name = _helper_name(call)
    if name in HELPERS and name != "_log" and len(call.args) >= 3:
        return call.args[2]
    return None


def _written_events(root: Path = ROOT) -> tuple[dict[str, str], list[str]]:
    """(event name -> where it is written, f-strings not in DYNAMIC)."""
    model_labels = {model._meta.label_lower for model in apps.get_models()}
    found: dict[str, str] = {}
    unknown: list[str] = []
    for path, text, tree in _modules(root):
        where = str(path.relative_to(root.parent))
        # a variable holding an event name: every event-shaped literal of a module that audits
        writes_audit = "arbo.audit" in text or "auditing" in text
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and (argument := _event_argument(node)) is not None:
                _names_in(argument, f"{where}:{node.lineno}", found, unknown)
            elif (
                writes_audit
                and isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and EVENT_SHAPED.match(node.value)
                and node.value not in model_labels
                and node.value not in NOT_EVENTS
            ):
                found.setdefault(node.value, f"{where}:{node.lineno}")
    return found, unknown


def test_every_event_the_code_writes_is_registered() -> None:
    found, unknown = _written_events()

    assert unknown == [], "event names built at run time: list them in DYNAMIC"
    missing = {name: where for name, where in found.items() if name not in EVENTS}
    assert missing == {}, "register these events in arbo/audit/events.py"
    # the scan finds what it should: a literal argument, a variable's value, an f-string
    assert {"identity.login", "retention.purged", "privacy.home_viewed"} <= found.keys()
    assert {"identity.function_approved", "access.doctor_team_requested"} <= found.keys()


def test_the_scan_finds_literals_variables_and_fstrings(tmp_path) -> None:
    module = tmp_path / "arbo" / "demo_events.py"
    module.parent.mkdir()
    module.write_text(
        "from arbo.audit import log\n"
        "log.record(None, 'create', 'registry.something_new')\n"
        "event = 'journal.another_new'\n"
        "log.record(None, 'create', f'journal.{x}_made')\n",
        encoding="utf-8",
    )

    found, unknown = _written_events(module.parent)

    assert {"registry.something_new", "journal.another_new"} <= found.keys()
    assert unknown == ["arbo/demo_events.py:4 f'journal.{x}_made'"]


def test_every_registered_event_has_a_staff_label_in_staffs_words() -> None:
    for name in EVENTS:
        label = describe(name, staff=True)
        assert label != name
        # staff read "the file", not "your file": the employee's wording is for the employee
        assert not re.search(r"\bje\b|\bjouw\b", label), (name, label)
