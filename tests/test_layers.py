"""Issue 10: the structure that keeps "one check, every read audited" true, checked.

- No page (view or API module) writes the audit log itself: reads are audited by the owning app's
  query functions (``record_access`` and friends), never by the module that renders the page.
- No page imports a personal-data model beyond the ones listed below (the list of what is still to
  move behind a query function; it may only shrink: a module that no longer needs an import must
  leave this list too). A model imported under ``if TYPE_CHECKING:`` names a type and queries
  nothing, so it does not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from arbo.privacy.register.coverage import classification

ROOT = Path(__file__).resolve().parent.parent
ARBO = ROOT / "arbo"

#: Functions that write audit records: a page may not import them.
AUDIT_WRITERS = {
    ("arbo.audit", "log"),
    ("arbo.audit.log", "record"),
    ("arbo.audit.log", "record_many"),
    ("arbo.access.auditing", "record_access"),
    ("arbo.access.auditing", "record_access_many"),
    ("arbo.access", "auditing"),
    ("arbo.audit", "chain"),
}

#: Personal-data models that pages still import: the debt of issue 10, paid (the reads moved into
#: the apps' queries, the forms' models into forms and serializer modules). Nothing may be added here.
KNOWN_MODEL_IMPORTS: dict[str, set[str]] = {}


def _page_modules() -> list[Path]:
    pages = []
    for path in sorted(ARBO.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        stem = path.stem
        if stem == "views" or stem.startswith("views_") or stem.endswith("_views"):
            pages.append(path)
    return pages


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _is_type_checking_block(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(tree: ast.AST, *, runtime_only: bool) -> list[ast.AST]:
    """Every node of ``tree``; with ``runtime_only`` not those under ``if TYPE_CHECKING:`` (type
    hints, which query nothing)."""
    nodes, todo = [], [tree]
    while todo:
        node = todo.pop()
        nodes.append(node)
        if runtime_only and _is_type_checking_block(node):
            assert isinstance(node, ast.If)
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return nodes


def _imports(path: Path, *, runtime_only: bool = False) -> list[tuple[str, str]]:
    """(module, name) of every ``from module import name`` and (module, "") of ``import module``."""
    found = []
    for node in _walk(ast.parse(path.read_text(), str(path)), runtime_only=runtime_only):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
    return found


def _personal_model_labels() -> dict[tuple[str, str], str]:
    """(module, class name) -> model label of every model that holds classified personal data."""
    labels = {}
    for label in classification():
        model = apps.get_model(label)
        labels[(model.__module__, model.__name__)] = label.lower()
    return labels


PAGES = _page_modules()


def test_the_page_modules_are_found() -> None:
    names = {_module_name(p) for p in PAGES}
    assert {"arbo.registry.views", "arbo.api.views", "arbo.medical.consultations.views"} <= names


@pytest.mark.parametrize("path", PAGES, ids=_module_name)
def test_no_page_writes_the_audit_log(path: Path) -> None:
    writers = [f"{m}.{n}" for m, n in _imports(path) if (m, n) in AUDIT_WRITERS or m == "arbo.audit.log"]
    assert writers == [], "a page reads through its app's query function, which audits the read"


@pytest.mark.parametrize("path", PAGES, ids=_module_name)
def test_no_page_imports_a_personal_data_model_beyond_the_known_debt(path: Path) -> None:
    personal = _personal_model_labels()
    module = _module_name(path)
    # A model named only in type hints (``if TYPE_CHECKING:``) is not queried by the page.
    imported = {personal[i] for i in _imports(path, runtime_only=True) if i in personal}

    assert imported == KNOWN_MODEL_IMPORTS.get(module, set())
