"""Past saturation the server sheds requests that waited too long in its queue (issue 12).

The gunicorn worker (``config.gunicorn_worker.QueueStampingWorker``) stamps each request when it
joins the queue; ``LoadSheddingMiddleware`` answers 503 before any session or database work when
the stamp is older than ``REQUEST_QUEUE_DEADLINE``. The load test in ``bench/load_test.py`` shows
the effect on the served rate; these tests show the mechanism, with a real gunicorn.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arbo.lib.middleware import QUEUED_AT
from tests.operations.machines import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_request_queued_past_the_deadline_is_answered_503_without_touching_the_database(client, settings):
    settings.REQUEST_QUEUE_DEADLINE = 1.0
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/login/", **{QUEUED_AT: time.monotonic() - 1.5})
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "erg druk" in response.content.decode()
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_request_within_the_deadline_and_the_health_endpoints_are_served(client, settings):
    settings.REQUEST_QUEUE_DEADLINE = 1.0
    assert client.get("/accounts/login/", **{QUEUED_AT: time.monotonic() - 0.2}).status_code == 200
    assert client.get("/accounts/login/").status_code == 200  # no stamp (another server): never shed
    assert client.get("/healthz", **{QUEUED_AT: time.monotonic() - 60}).status_code == 200


def _answers(port: int) -> bool:
    try:
        return _status(_send(port, b"GET /healthz HTTP/1.0\r\n\r\n")) == 200
    except OSError:
        return False


def _send(port: int, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(data)
    return sock


def _status(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    sock.close()
    return int(head.split(b" ", 2)[1])


def test_gunicorn_sheds_what_waited_behind_a_busy_thread_and_serves_what_did_not(tmp_path):
    """One worker with one thread. A slow client holds the thread for 1.5 s while it sends its
    request; a second request queued behind it waited past the 0.5 s deadline and is shed; a
    third, sent when the thread is free, is served."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",  # no request here reads it
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REQUEST_QUEUE_DEADLINE_MS": "500",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "1",
        "-k", "config.gunicorn_worker.QueueStampingWorker", "--no-control-socket",
    ]  # fmt: skip
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_for("gunicorn", lambda: _answers(port), timeout=60)
        slow = _send(port, b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n")  # headers not finished
        time.sleep(0.3)  # the only thread now waits for the rest of the slow client's request
        queued = _send(port, b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        time.sleep(1.2)
        slow.sendall(b"\r\n")
        assert _status(slow) == 200
        assert _status(queued) == 503
        assert _status(_send(port, b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")) == 302  # to the login page
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert '"queued_ms"' in (tmp_path / "gunicorn.log").read_text()
