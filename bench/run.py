"""Run the benchmarks in bench/ (``make bench``), each against a PostgreSQL database of its own.

    make bench                                   # every bench/*.py
    .venv/bin/python bench/run.py audit_bench    # the named ones

Each script gets ``DATABASE_URL=$BENCH_POSTGRES_URL/arbodossier_bench_<script>``; the scripts create
that database themselves and empty it on every run. ``BENCH_POSTGRES_URL`` defaults to
``postgres://postgres@127.0.0.1:5432``. Figures go into docs/benchmarks.md by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> None:
    names = sys.argv[1:] or sorted(path.stem for path in BENCH.glob("*.py") if path.stem != "run")
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    environment = {"DEBUG": "0", "SECRET_KEY": "bench", "ALLOW_DERIVED_KEYS": "1", **os.environ}
    failed = []
    for name in names:
        print(f"=== {name} ===", flush=True)
        environment["DATABASE_URL"] = f"{server}/arbodossier_bench_{name}"
        done = subprocess.run([sys.executable, str(BENCH / f"{name}.py")], env=environment, check=False)  # noqa: S603
        if done.returncode:
            failed.append(name)
        print(flush=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
