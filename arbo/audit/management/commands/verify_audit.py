"""``manage.py verify_audit``: check the audit log's hash chain; exit 1 naming the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from arbo.audit.chain import sequence_pending
from arbo.audit.verify import verify_chain, verify_incremental

SHOWN_PROBLEMS = 20


def head_argument(value: str) -> tuple[int, bytes]:
    """``SEQ:HEX`` as printed by ``record_audit_head``."""
    seq, _, digest = value.partition(":")
    try:
        return int(seq), bytes.fromhex(digest)
    except ValueError as error:
        raise CommandError(f"--head wants SEQ:HASH (hex), got {value!r}") from error


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: every row's HMAC, every link, no gaps, the recorded heads and "
        "the end of the chain. Exits 1 and names the first broken link when anything was changed, inserted, "
        "deleted or truncated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="a head kept outside the database (as printed by record_audit_head); repeatable",
        )
        parser.add_argument(
            "--jobs", type=int, default=None, help="database connections in parallel (PostgreSQL)"
        )
        parser.add_argument("--python", action="store_true", help="verify in Python, also on PostgreSQL")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="verify only the rows appended since the last checkpoint (as the nightly job does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        heads = [head_argument(value) for value in options["head"]]
        chained = sequence_pending()  # a bulk writer's rows its own process did not get to chain
        if chained:
            self.stdout.write(f"chained {chained:,} pending rows first")
        if options["incremental"]:
            report = verify_incremental(python=options["python"], jobs=options["jobs"])
        else:
            report = verify_chain(python=options["python"], jobs=options["jobs"], external_heads=heads)
        if not report.ok:
            problems = sorted(report.problems)
            for problem in problems[1:SHOWN_PROBLEMS]:
                self.stderr.write(f"also broken: {problem}")
            raise CommandError(f"first broken link at {problems[0]}", returncode=1)
        span = f"seq {report.first_seq}..{report.last_seq}" if report.rows else "empty log"
        self.stdout.write(
            f"audit chain intact: {report.rows:,} rows ({span}), {report.heads} heads checked, "
            f"{report.seconds:.2f} s, {report.rate:,.0f} rows/s ({report.method})"
        )
