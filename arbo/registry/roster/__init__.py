"""Roster import: an employer's employee list from a CSV or XLSX file.

:mod:`.parsing` reads the file row by row (:class:`StreamedRoster`, every cell as text, as typed);
:mod:`.validation` checks each row against the rest of the file and the database and says what
committing would do with it; :mod:`.checking` keeps the uploaded file (encrypted) and, in a worker,
reads it into runs of rows (encrypted, they hold BSNs) kept with a :class:`RosterImport` between
the preview and the commit, checking them as it goes; :mod:`.committing` writes everything in one
transaction, or nothing at all when any row has a problem. Every step reads and
checks a batch of rows at a time, so an import's memory does not grow with the file (issue 12). Bulk writes go through
:mod:`arbo.lib.pgcopy` (COPY on PostgreSQL).

Import the public names from here (``from arbo.registry import roster``).
"""

from arbo.registry.roster.checking import (
    FILE_CHUNK,
    file_error,
    receive_upload,
    run_queued_check,
    store_upload,
    stored_preview,
)
from arbo.registry.roster.committing import (
    CommitResult,
    RosterHasProblems,
    RosterNotPending,
    commit,
    commit_import,
    queue_commit,
    run_queued_commit,
    stored_records,
    validate_import,
)
from arbo.registry.roster.parsing import (
    ALIASES,
    COLUMNS,
    MAX_ROWS,
    REQUIRED,
    ParsedRoster,
    Progress,
    RosterFileError,
    StreamedRoster,
    check_file,
    dump_payload,
    load_payload,
    parse_csv,
    parse_file,
    parse_xlsx,
    stream_file,
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
    KEEP_ROWS,
    LOOKUP_CHUNK,
    MAX_LENGTHS,
    PREVIEW_ROWS,
    UNCHANGED,
    UPDATE,
    Checker,
    PreviewRow,
    RowCheck,
    Validation,
    validate,
)

__all__ = [
    "ALIASES",
    "ATTACH",
    "BATCH_SIZE",
    "FILE_CHUNK",
    "COLUMNS",
    "CONTRACTS",
    "CREATE",
    "EMPLOYEE_COLUMNS",
    "EMPLOYMENT_COLUMNS",
    "GENDERS",
    "INVALID",
    "KEEP_ROWS",
    "LOOKUP_CHUNK",
    "MAX_LENGTHS",
    "MAX_ROWS",
    "PREVIEW_ROWS",
    "REQUIRED",
    "UNCHANGED",
    "UPDATE",
    "Checker",
    "CommitResult",
    "ParsedRoster",
    "PreviewRow",
    "Progress",
    "RosterFileError",
    "RosterHasProblems",
    "RosterNotPending",
    "RowCheck",
    "StreamedRoster",
    "Validation",
    "check_file",
    "commit",
    "commit_import",
    "dump_payload",
    "file_error",
    "load_payload",
    "parse_csv",
    "parse_file",
    "parse_xlsx",
    "queue_commit",
    "receive_upload",
    "run_queued_check",
    "run_queued_commit",
    "store_upload",
    "stored_preview",
    "stored_records",
    "stream_file",
    "validate",
    "validate_import",
]
