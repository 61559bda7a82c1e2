"""Issue 10: pages and domain modules ask ``access.policy`` who a user is; they do not compare
``user.kind`` themselves.

The kinds of user (staff, employer, employee, supplier, API client) decide which pages and forms a
user gets at all, so the comparison is a predicate like every other access rule: one name in
:mod:`arbo.access.policy` (``is_staff_user``, ``may_file_rights_request``, ...), one place to
change, one place to test. Filtering a query by kind (``User.objects.filter(kind=...)``) is a
query, not a check, and stays allowed.

The same holds for every other module (domain, queries, jobs, middleware, template tags): the
decision of who may do or see something is a predicate of the policy. The few places below the
policy's layer, or that are the policy's own ground, are listed in :data:`MAY_COMPARE_KINDS` with
their reason; the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_layers import ARBO, PAGES, ROOT, _module_name

#: Modules that may compare a user's kind themselves, with the reason. A path ending in "/" is a
#: whole package.
MAY_COMPARE_KINDS = {
    "arbo/access/policy.py": "the predicates themselves (is_staff_user, acts_for_employers, ...)",
    "arbo/identity/": "identity's own model facts, below the policy's layer: the User's kind "
    "properties, staff functions only for staff with a declaration (the ground the policy stands "
    "on), which kind of account a function or a declaration may be given to",
    "arbo/registry/domain.py": "below the policy's layer: which kind of account may be linked to an "
    "employee, act for an employer or join a team (the account's integrity, not who may see what)",
    "arbo/audit/log.py": "the actor's description in the audit record (its kind or functions)",
    "arbo/api/auth.py": "token authentication: a token authenticates an API client only",
    "arbo/demo/": "demo seeding: what to create for each persona (development only)",
}


def _is_kind_enum(node: ast.AST) -> bool:
    """``User.Kind``, ``user.Kind``, ``request.user.Kind`` (the enum of a user's kinds; not the
    kinds of a document or a request)."""
    if not (isinstance(node, ast.Attribute) and node.attr == "Kind"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id in {"User", "user"}) or (
        isinstance(owner, ast.Attribute) and owner.attr == "user"
    )


def _is_user_kind(node: ast.AST) -> bool:
    """``<something>.kind`` compared with a ``User.Kind`` member, or ``user.kind`` /
    ``request.user.kind`` / ``self.client.kind`` (whatever it is compared with)."""
    if not (isinstance(node, ast.Attribute) and node.attr == "kind"):
        return False
    owner = node.value
    name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
    return name in {"user", "viewer", "account", "client", "by", "actor", "person"}


def _mentions_kind_enum(node: ast.AST) -> bool:
    return any(_is_kind_enum(n) for n in ast.walk(node))


def kind_comparisons(source: str, filename: str = "<source>") -> list[int]:
    """Lines of comparisons of a user's kind: ``user.kind == ...`` or ``x.kind in (User.Kind...)``."""
    lines = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        if any(_is_user_kind(o) for o in operands) or (
            any(isinstance(o, ast.Attribute) and o.attr == "kind" for o in operands)
            and any(_mentions_kind_enum(o) for o in operands)
        ):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_the_comparisons_it_is_for() -> None:
    """The scan is not blind: each way a view used to spell the check is found."""
    source = "\n".join(
        [
            "a = request.user.kind == User.Kind.STAFF",
            "b = user.kind != User.Kind.EMPLOYEE",
            "c = request.user.kind in (User.Kind.STAFF, User.Kind.EMPLOYEE)",
            "d = request.user.kind == request.user.Kind.STAFF",
            "e = account.kind == User.Kind.STAFF",
            "f = User.objects.filter(kind=User.Kind.STAFF)",  # a query: allowed
            "g = document.kind in DOCTOR_KINDS",  # not a user: allowed
            "h = rights_request.kind == domain.Kind.ERASURE",  # not a user: allowed
            "i = staff.kind == User.Kind.STAFF",
        ]
    )
    assert kind_comparisons(source) == [1, 2, 3, 4, 5, 9]


@pytest.mark.parametrize("path", PAGES, ids=_module_name)
def test_no_page_compares_a_users_kind(path: Path) -> None:
    found = kind_comparisons(path.read_text(), str(path))
    assert found == [], f"ask a named predicate of arbo.access.policy instead (lines {found})"


def _may_compare(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(
        relative == allowed or (allowed.endswith("/") and relative.startswith(allowed))
        for allowed in MAY_COMPARE_KINDS
    )


OTHER_MODULES = [
    p
    for p in sorted(ARBO.rglob("*.py"))
    if "migrations" not in p.parts and p not in PAGES and not _may_compare(p)
]


def test_the_other_modules_are_found() -> None:
    names = {_module_name(p) for p in OTHER_MODULES}
    assert {"arbo.absence.documents.queries", "arbo.reporting.dashboard", "arbo.api.domain"} <= names


@pytest.mark.parametrize("path", OTHER_MODULES, ids=_module_name)
def test_no_domain_or_query_module_compares_a_users_kind(path: Path) -> None:
    found = kind_comparisons(path.read_text(), str(path))
    assert found == [], f"ask a named predicate of arbo.access.policy instead (lines {found})"


def test_every_exception_still_exists() -> None:
    """An exception whose module is gone (or no longer compares) leaves the list."""
    for allowed in MAY_COMPARE_KINDS:
        paths = sorted((ROOT / allowed).rglob("*.py")) if allowed.endswith("/") else [ROOT / allowed]
        assert any(p.exists() and kind_comparisons(p.read_text(), str(p)) for p in paths), allowed
