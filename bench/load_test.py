"""Load test: an open-loop generator of the realistic mix against a running server (issue 12).

Logs the demo personas in through the real login pages (password, then the TOTP code from the
demo's public secrets, ``arbo/demo/cast.py``), then for each rate in ``--rates`` sends requests at
that rate for ``--seconds`` — open loop: a request is sent on schedule whether or not earlier ones
have answered, so a slow server cannot slow the generator down — and prints per rate the served
rate (answers 200), p50/p95/p99 of their latency, the requests shed (503 at once, "busy") and the
errors (timeouts after ``--timeout`` s and any other status count as errors).

The mix (weights): employee list 3, employee search 2, employee page 2, case list 2, case page 1,
caseload 2 (the casemanager's and the doctor's), the HR user's employee list 1 — as casemanager
carla.cm, doctor bram.arts and HR hanna.hr. ``--mix floor`` sends only a page without personal
data (the term calculator: the session, the user's rights, the base template and a small form;
no audit record), to show what the machine serves when a page does next to nothing.

    # a PostgreSQL database with the demo data, gunicorn with production settings:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/arbo_i12_load DEBUG=1 .venv/bin/python manage.py migrate
    DATABASE_URL=... DEBUG=1 .venv/bin/python manage.py seed_demo
    DATABASE_URL=... DEBUG=0 SECRET_KEY=load ALLOW_DERIVED_KEYS=1 ALLOWED_HOSTS=127.0.0.1 \\
      SESSION_COOKIE_SECURE=0 .venv/bin/gunicorn config.wsgi -b 127.0.0.1:8012 -w 2 --threads 4 \\
      -k config.gunicorn_worker.QueueStampingWorker &
    .venv/bin/python bench/load_test.py --url http://127.0.0.1:8012 --rates 10,25,50,100,150 --seconds 30
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Arbo-demo-2026!"  # noqa: S105 -- the demo's published password
PERSONAS = ("carla.cm", "bram.arts", "hanna.hr")
MIX = [
    ("carla.cm", "/registry/employees/", 3),
    ("carla.cm", "/registry/employees/?q=jan", 2),
    ("carla.cm", "employee", 2),
    ("carla.cm", "/absence/", 2),
    ("carla.cm", "case", 1),
    ("bram.arts", "/absence/caseload/", 1),
    ("carla.cm", "/absence/caseload/", 1),
    ("hanna.hr", "/registry/employees/", 1),
]
#: The floor: a logged-in page with next to nothing on it, for every persona.
FLOOR = [(who, "/absence/calculator/", 1) for who in PERSONAS]
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _PlainSession(requests.Session):
    """Production settings mark the cookies Secure; over plain http to a local server a client would
    not send them back, so the harness clears the flag (it never leaves this machine)."""

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def log_in(url: str, username: str) -> requests.Session:
    from arbo.demo.cast import totp_secret

    session = _PlainSession()
    page = session.get(f"{url}/accounts/login/", timeout=30)
    token = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    data = {"csrfmiddlewaretoken": token, "login": username, "password": PASSWORD}
    # No automatic redirects: the Secure flag is cleared between the steps (see _PlainSession).
    step = session.post(f"{url}/accounts/login/", data=data, timeout=30, allow_redirects=False)
    mfa = session.get(url + step.headers.get("Location", "/accounts/login/"), timeout=30)
    token = _CSRF.search(mfa.text).group(1)  # type: ignore[union-attr]
    code = pyotp.TOTP(totp_secret(username)).now()
    data = {"csrfmiddlewaretoken": token, "code": code}
    done = session.post(f"{url}/accounts/2fa/authenticate/", data=data, timeout=30, allow_redirects=False)
    if done.status_code != 302 or done.headers.get("Location", "").startswith("/accounts/"):
        sys.exit(f"{username}: login failed ({done.status_code} {done.headers.get('Location')})")
    return session


def _links(session: requests.Session, url: str, pattern: str, path: str) -> list[str]:
    found = re.findall(pattern, session.get(url + path, timeout=30).text)
    return sorted(set(found)) or [path]


def run_rate(url: str, sessions: dict[str, requests.Session], targets: dict[str, list[str]], rate: float,
             seconds: float, timeout: float, mix: list[tuple[str, str, int]]) -> dict[str, float]:  # fmt: skip
    weighted = [(who, path) for who, path, weight in mix for _ in range(weight)]
    rng = random.Random(12)  # noqa: S311 -- load mix, not secrets
    latencies: list[float] = []
    errors = [0]
    shed = [0]
    lock = threading.Lock()

    def one(who: str, path: str) -> None:
        if path in targets:
            path = rng.choice(targets[path])
        started = time.perf_counter()
        try:
            response = sessions[who].get(url + path, timeout=timeout, allow_redirects=False)
            status = response.status_code
        except requests.RequestException:
            status = 0
        with lock:
            if status == 200:
                latencies.append(time.perf_counter() - started)
            elif status == 503:
                shed[0] += (
                    1  # answered at once: "busy, try again" (arbo.lib.middleware.LoadSheddingMiddleware)
                )
            else:
                errors[0] += 1

    total = int(rate * seconds)
    machine_before, own_before = _machine_cpu_seconds(), time.process_time()
    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=256) as pool:
        for n in range(total):
            delay = begin + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, *rng.choice(weighted))
    elapsed = time.perf_counter() - begin
    machine, own = _machine_cpu_seconds() - machine_before, time.process_time() - own_before
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
        )

    return {"rate": rate, "served": len(latencies) / elapsed, "p50": pct(0.5), "p95": pct(0.95),
            "p99": pct(0.99), "errors": errors[0], "shed": shed[0], "sent": total,
            "cpu_ms": machine * 1000 / total, "generator_ms": own * 1000 / total}  # fmt: skip


def _machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (every core, every process: the server, PostgreSQL,
    this generator and anything else running), from ``/proc/stat``; 0 where there is none."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8012")
    parser.add_argument("--rates", default="5,10,25,50,100,150")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=5)
    parser.add_argument("--mix", choices=("realistic", "floor"), default="realistic")
    options = parser.parse_args()
    url = options.url.rstrip("/")
    sessions = {who: log_in(url, who) for who in PERSONAS}
    targets = {
        "employee": _links(
            sessions["carla.cm"], url, r'href="(/registry/employees/\d+/)"', "/registry/employees/"
        ),
        "case": _links(sessions["carla.cm"], url, r'href="(/absence/cases/\d+/)"', "/absence/"),
    }
    # "cpu ms/req": busy CPU of the whole machine per request sent; "gen": this generator's share.
    print(f"{'rate':>6} {'served':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'shed':>6} {'errors':>9} "
          f"{'cpu ms/req':>10} {'gen':>5}")  # fmt: skip
    for rate in (float(r) for r in options.rates.split(",")):
        mix = FLOOR if options.mix == "floor" else MIX
        r = run_rate(url, sessions, targets, rate, options.seconds, options.timeout, mix)
        print(f"{r['rate']:6.0f} {r['served']:7.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
              f"{r['shed']:6d} {r['errors']:4d}/{r['sent']} {r['cpu_ms']:10.1f} {r['generator_ms']:5.1f}",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
