#!/usr/bin/env python3
"""Intake server throughput: durable reports/s through the HTTP API with 1, 8
and 64 concurrent clients, beside the raw IngestBatch rate of the same rows
straight into the storage layer, in one run; SQLite and PostgreSQL.

For each backend and client count N:
  1. a fresh store (a new data directory; for PostgreSQL a new database),
     a reporter token (`safeguard tokens create`), `safeguard serve` on it;
  2. `serve_bench http`: N keep-alive clients POST synthetic reports for
     --warmup + --seconds; reports/s, p50 and p99 latency of the window;
  3. the server is stopped; a second fresh store; `serve_bench raw` writes
     the same bodies through ReportStore::IngestBatch in batches of N (the
     most the server's writer can gather from N clients with one request in
     flight each) for the same time: the raw storage rate.
Then raw rates at batch 1 and 512 for reference. The load generator runs on
the same cores as the server (the raw run has the machine to itself): the
HTTP figures include that cost.

PostgreSQL needs SG_TEST_POSTGRES_URL (run under scripts/with-postgres; with
SG_POSTGRES_DURABLE=1 it keeps fsync and synchronous_commit on, else the
commits are not durable and the table says so).

    bench/serve_bench.py --safeguard build-bench/safeguard --bench build-bench/bench/serve_bench
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    model = "unknown CPU"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"Model name:\s*(.+)", out)
        if m:
            model = m.group(1).strip()
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


class Store:
    """A fresh store: a data directory, and for PostgreSQL an empty database."""
    counter = 0

    def __init__(self, tmp, backend, pg_url):
        Store.counter += 1
        self.data = os.path.join(tmp, f"data{Store.counter}")
        self.db = ""
        if backend == "postgres":
            name = f"sg_serve_bench_{os.getpid()}_{Store.counter}"
            for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
                subprocess.run(["psql", pg_url, "-q", "-c", sql], check=True, capture_output=True)
            self.db = pg_url.rpartition("/")[0] + "/" + name

    def args(self):
        return ["--data", self.data] + (["--db", self.db] if self.db else [])


def run_json(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    lines = [l for l in r.stdout.splitlines() if l.startswith("{")]
    if r.returncode != 0 or not lines:
        sys.exit(f"serve_bench.py: {' '.join(cmd[:2])} failed ({r.returncode}): {r.stdout[-500:]} {r.stderr[-500:]}")
    return json.loads(lines[-1])


def http_run(a, tmp, backend, pg_url, clients):
    store = Store(tmp, backend, pg_url)
    r = subprocess.run([a.safeguard, "tokens", "create", "--role", "reporter", "--name", "bench"] + store.args(),
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"serve_bench.py: tokens create failed: {r.stderr}")
    token = r.stdout.strip().splitlines()[-1]
    port = free_port()
    proc = subprocess.Popen([a.safeguard, "serve", "--listen", f"127.0.0.1:{port}"] + store.args(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                sys.exit("serve_bench.py: serve exited: " + proc.stderr.read())
            if "listening on" in line:
                break
        return run_json([a.bench, "http", "--port", str(port), "--token", token, "--clients", str(clients),
                         "--threads", str(a.client_threads), "--warmup", str(a.warmup), "--seconds", str(a.seconds)])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def raw_run(a, tmp, backend, pg_url, batch):
    store = Store(tmp, backend, pg_url)
    return run_json([a.bench, "raw", "--batch", str(batch), "--warmup", str(min(a.warmup, 1.0)),
                     "--seconds", str(a.seconds)] + store.args())


def pg_settings(pg_url):
    out = {}
    for name in ("fsync", "synchronous_commit"):
        r = subprocess.run(["psql", pg_url, "-tA", "-c", f"SHOW {name}"], capture_output=True, text=True)
        out[name] = r.stdout.strip() or "?"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--safeguard", default="build-bench/safeguard")
    ap.add_argument("--bench", default="build-bench/bench/serve_bench")
    ap.add_argument("--clients", default="1,8,64")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--client-threads", type=int, default=1)
    ap.add_argument("--tmp", default="", help="where the stores go (default: a new directory under /tmp)")
    a = ap.parse_args()
    pg_url = os.environ.get("SG_TEST_POSTGRES_URL", "")
    tmp = tempfile.mkdtemp(prefix="sg-serve-bench-", dir=a.tmp or None)
    load_before = loadavg()
    rows, refs, notes = [], [], []
    try:
        for backend in a.backends.split(","):
            if backend == "postgres":
                if not pg_url:
                    notes.append("PostgreSQL skipped: SG_TEST_POSTGRES_URL is not set (run under scripts/with-postgres).")
                    continue
                s = pg_settings(pg_url)
                notes.append(f"PostgreSQL 15 on 127.0.0.1 (TCP): fsync={s['fsync']}, synchronous_commit="
                             f"{s['synchronous_commit']}" + ("" if s["fsync"] == "on" and s["synchronous_commit"] == "on"
                                                             else " (NOT durable: figures are optimistic)"))
            for n in [int(c) for c in a.clients.split(",")]:
                h = http_run(a, tmp, backend, pg_url, n)
                r = raw_run(a, tmp, backend, pg_url, n)
                rows.append((backend, n, h, r))
                print(f"# {backend} {n} clients: http {h['reports_per_s']:.0f}/s, raw batch {n} "
                      f"{r['reports_per_s']:.0f}/s", file=sys.stderr)
            for b in (1, 512):
                refs.append((backend, b, raw_run(a, tmp, backend, pg_url, b)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load_after = loadavg()

    print(f"Intake server, {datetime.date.today().isoformat()}, {machine()}; load average before {load_before}, "
          f"after {load_after}. {a.warmup:g} s warm-up, {a.seconds:g} s measured per row.")
    print()
    print("| backend | clients | HTTP reports/s | p50 ms | p99 ms | raw IngestBatch reports/s (batch = clients) "
          "| HTTP/raw |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for backend, n, h, r in rows:
        ratio = h["reports_per_s"] / r["reports_per_s"] if r["reports_per_s"] else 0
        print(f"| {backend} | {n} | {h['reports_per_s']:,.0f} | {h['p50_ms']:.2f} | {h['p99_ms']:.2f} "
              f"| {r['reports_per_s']:,.0f} | {ratio:.2f} |")
    print()
    print("Raw IngestBatch for reference: " + "; ".join(
        f"{backend} batch {b}: {r['reports_per_s']:,.0f} reports/s" for backend, b, r in refs) + ".")
    for n in notes:
        print(n)


if __name__ == "__main__":
    main()
