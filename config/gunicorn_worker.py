"""gunicorn's threaded worker, stamping each request with the moment it joined the queue (issue 12).

gunicorn's ``gthread`` worker accepts every connection at once and queues it for its threads.
Past saturation that queue grows without bound: the threads go on serving requests whose clients
gave up long ago, and the rate of useful answers collapses (measured: 40 requests per second
offered at 80). This worker notes when a request joined the queue; ``LoadSheddingMiddleware``
(``arbo.lib.middleware``) answers 503 at once to a request that waited longer than
``REQUEST_QUEUE_DEADLINE``, before it touches the session or the database, so the threads spend
their time on requests that can still be answered in time.

    gunicorn config.wsgi -k config.gunicorn_worker.QueueStampingWorker --workers 4 --threads 4
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from arbo.lib.middleware import QUEUED_AT

_current = threading.local()


class QueueStampingWorker(ThreadWorker):
    def enqueue_req(self, conn: Any) -> None:
        # A keep-alive connection is queued again for each request it carries.
        conn.arbo_queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        # Runs in the pool thread that serves the connection's request.
        _current.queued_at = getattr(conn, "arbo_queued_at", None)
        try:
            return super().handle(conn)
        finally:
            _current.queued_at = None

    def load_wsgi(self) -> None:
        super().load_wsgi()
        application: Callable[..., Iterable[bytes]] = self.wsgi  # type: ignore[has-type]

        def stamped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            queued_at = getattr(_current, "queued_at", None)
            if queued_at is not None:
                environ[QUEUED_AT] = queued_at
            return application(environ, start_response)

        self.wsgi = stamped
