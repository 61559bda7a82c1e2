"""Roster import: an employer's employee list from a CSV or XLSX file.

:mod:`.parsing` reads the file into a :class:`ParsedRoster` (every cell as text, as typed);
:mod:`.validation` checks each row against the rest of the file and the database and says what
committing would do with it; :mod:`.committing` writes everything in one transaction, or nothing at
all when any row has a problem, and keeps the parsed rows (encrypted, they hold BSNs) in a
:class:`RosterImport` between the preview and the commit. Bulk writes go through
:mod:`arbo.lib.pgcopy` (COPY on PostgreSQL).

Import the public names from here (``from arbo.registry import roster``).
"""

from arbo.registry.roster.committing import (
    CommitResult,
    RosterHasProblems,
    RosterNotPending,
    commit,
    commit_import,
    queue_commit,
    run_queued_commit,
    store_upload,
)
from arbo.registry.roster.parsing import (
    ALIASES,
    COLUMNS,
    MAX_ROWS,
    REQUIRED,
    ParsedRoster,
    Progress,
    RosterFileError,
    dump_payload,
    load_payload,
    parse_csv,
    parse_file,
    parse_xlsx,
)
from arbo.registry.roster.validation import (
    ATTACH,
    BATCH_SIZE,
    CONTRACTS,
    CREATE,
    EMPLOYEE_COLUMNS,
    EMPLOYMENT_COLUMNS,
    GENDERS,
    INVALID,
    LOOKUP_CHUNK,
    MAX_LENGTHS,
    UNCHANGED,
    UPDATE,
    RowCheck,
    Validation,
    validate,
)

__all__ = [
    "ALIASES",
    "ATTACH",
    "BATCH_SIZE",
    "COLUMNS",
    "CONTRACTS",
    "CREATE",
    "EMPLOYEE_COLUMNS",
    "EMPLOYMENT_COLUMNS",
    "GENDERS",
    "INVALID",
    "LOOKUP_CHUNK",
    "MAX_LENGTHS",
    "MAX_ROWS",
    "REQUIRED",
    "UNCHANGED",
    "UPDATE",
    "CommitResult",
    "ParsedRoster",
    "Progress",
    "RosterFileError",
    "RosterHasProblems",
    "RosterNotPending",
    "RowCheck",
    "Validation",
    "commit",
    "commit_import",
    "dump_payload",
    "load_payload",
    "parse_csv",
    "parse_file",
    "parse_xlsx",
    "queue_commit",
    "run_queued_commit",
    "store_upload",
    "validate",
]
