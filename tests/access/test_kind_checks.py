"""Issue 10: pages ask ``access.policy`` who a user is; no view compares ``user.kind`` itself.

The kinds of user (staff, employer, employee, supplier, API client) decide which pages and forms a
user gets at all, so the comparison is a predicate like every other access rule: one name in
:mod:`arbo.access.policy` (``is_staff_user``, ``may_file_rights_request``, ...), one place to
change, one place to test. Filtering a query by kind (``User.objects.filter(kind=...)``) is a
query, not a check, and stays allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_layers import PAGES, _module_name


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
