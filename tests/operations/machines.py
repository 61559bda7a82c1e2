"""Processes of several "machines" against one database, for tests and benchmarks: app servers
(gunicorn), workers and schedulers (``manage.py``), and a logged-in browser's requests to any of
them. Used by ``tests/operations/test_multi_machine.py`` and ``bench/roster_e2e.py``."""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import requests
from django.conf import settings
from django.test import Client

from arbo.identity.models import User

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def roster_csv(rows: int) -> bytes:
    """The benchmark's realistic roster (bench/roster_import.py), ``rows`` people."""
    spec = importlib.util.spec_from_file_location("roster_bench", ROOT / "bench" / "roster_import.py")
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.roster_csv(rows)  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 90.0, every: float = 0.1) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


class Machines:
    """The processes of the two machines; all of them are ended when the test ends."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "tests.operations.machine_settings",
            "ALLOWED_HOSTS": "127.0.0.1",
            "PROGRESS_CACHE_DIR": str(settings.CACHES["progress"]["LOCATION"]),
            "PYTHONUNBUFFERED": "1",
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def manage(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        return self.start(name, sys.executable, "manage.py", *args)

    def app_server(self, name: str) -> str:
        """Start gunicorn on a free port; :meth:`wait_until_answering` waits for it."""
        port = free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        # A loaded CI machine may take longer than gunicorn's default 30 s for an upload.
        options = ("--workers", "1", "--timeout", "120", "--no-control-socket")
        self.start(name, gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", *options)
        return f"http://127.0.0.1:{port}"

    def wait_until_answering(self, *urls: str) -> None:
        for url in urls:
            wait_for(f"{url} to answer", lambda u=url: self._answers(u), timeout=120, every=0.5)  # type: ignore[misc]

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            return requests.get(f"{url}/healthz", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-3000:]

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Browser:
    """A logged-in user's requests to any of the app servers (one session, as behind a balancer)."""

    def __init__(self, user: User) -> None:
        client = Client()
        client.force_login(user)  # a session row in the shared database
        self.csrf = secrets.token_hex(16)  # the unmasked 32-character form of a CSRF secret
        self.cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": self.csrf}

    def get(self, url: str, **headers: str) -> requests.Response:
        return requests.get(url, cookies=self.cookies, headers=headers, allow_redirects=False, timeout=60)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> requests.Response:
        data = {**(data or {}), "csrfmiddlewaretoken": self.csrf}
        return requests.post(
            url, data=data, cookies=self.cookies, allow_redirects=False, timeout=120, **kwargs
        )
