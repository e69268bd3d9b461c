#!/usr/bin/env python3
"""End-to-end tests of `safeguard serve`: the report API, access control,
idempotency, limits, graceful stop, and durability under SIGKILL."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")
# SG_SERVE_BACKEND=postgres runs the same tests on PostgreSQL (make test
# starts one and sets SG_TEST_POSTGRES_URL); each test gets its own database.
BACKEND = os.environ.get("SG_SERVE_BACKEND", "sqlite")
PG_URL = os.environ.get("SG_TEST_POSTGRES_URL", "")

MD5 = "0123456789abcdef0123456789abcdef"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(n=0, md5=None, danger=False):
    files = [{"file_name": f"img{n}.jpg", "md5": md5 or "%032x" % (n + 1), "industry_classification": "B1"}]
    return {"source": "industry", "incident_type": "online_enticement", "incident_time": "2026-11-01T10:00:00Z",
            "platform": "ExampleChat", "immediate_danger": danger, "summary": f"synthetic report {n}",
            "reported_people": [{"screen_names": [f"user{n}"], "emails": [f"user{n}@example.com"]}],
            "files": files}


class Server:
    def __init__(self, data, db="", extra_args=()):
        self.data, self.db, self.port = data, db, free_port()
        args = [BIN, "serve", "--listen", f"127.0.0.1:{self.port}", "--data", data, *extra_args]
        if db:
            args += ["--db", db]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.banner = []
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("serve exited: " + self.proc.stderr.read())
            self.banner.append(line)
            if "listening on" in line:
                break
        # The one-time password line, if any, follows at once.
        time.sleep(0.2)

    def request(self, method, path, body=None, token=None, headers=None, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        text = r.read().decode()
        conn.close()
        return r.status, (json.loads(text) if text and r.getheader("Content-Type", "").startswith("application/json") else text)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, err

    def kill(self):
        self.proc.kill()
        self.proc.communicate(timeout=30)


DB_URL = ""


def fresh_database(name):
    """Creates an empty database beside the test server's and returns its URL."""
    db = "sg_" + re.sub(r"[^a-z0-9_]", "_", name.lower())[:40]
    base, _, _ = PG_URL.rpartition("/")
    for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
        subprocess.run(["psql", PG_URL, "-q", "-c", sql], check=True, capture_output=True)
    return f"{base}/{db}"


def cli(*args, data, db=""):
    cmd = [BIN, *args, "--data", data] + (["--db", db] if db else [])
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def token(data, role, name, db=""):
    r = cli("tokens", "create", "--role", role, "--name", name, data=data, db=db)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


class ServeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-serve-")
        self.data = os.path.join(self.tmp, "data")
        self.server = None
        global DB_URL
        DB_URL = ""
        if BACKEND == "postgres":
            if not PG_URL:
                self.skipTest("SG_TEST_POSTGRES_URL is not set (scripts/with-postgres sets it)")
            DB_URL = fresh_database(self.id().split(".")[-1])

    def tearDown(self):
        if self.server and self.server.proc.poll() is None:
            self.server.kill()
        shutil.rmtree(self.tmp)

    def test_report_api_access_and_idempotency(self):
        lst = os.path.join(self.tmp, "l.txt")
        with open(lst, "w") as f:
            f.write(MD5 + "\n")
        self.assertEqual(cli("lists", "import", "--name", "known", "--format", "md5", lst, data=self.data, db=DB_URL).returncode, 0)
        self.server = s = Server(self.data, DB_URL)
        self.assertTrue(any(re.search(r"user 'admin', one-time password \S{12,}", l) for l in s.banner + [s.proc.stdout.readline()]))
        acme, other = token(self.data, "reporter", "acme", DB_URL), token(self.data, "reporter", "other", DB_URL)
        analyst = token(self.data, "analyst", "desk", DB_URL)

        self.assertEqual(s.request("GET", "/healthz")[0], 200)
        self.assertEqual(s.request("POST", "/api/v1/reports", report())[0], 401)
        self.assertEqual(s.request("POST", "/api/v1/reports", report(), token="sgt_wrong")[0], 401)

        status, body = s.request("POST", "/api/v1/reports", report(1, md5=MD5, danger=True), token=acme,
                                 headers={"Idempotency-Key": "abc-1"})
        self.assertEqual(status, 201, body)
        rid = body["id"]
        status, again = s.request("POST", "/api/v1/reports", report(1, md5=MD5, danger=True), token=acme,
                                  headers={"Idempotency-Key": "abc-1"})
        self.assertEqual(again["id"], rid)
        self.assertIn(status, (200, 201))
        self.assertEqual(s.request("POST", "/api/v1/reports", report(2), token=acme,
                                   headers={"Idempotency-Key": "abc-1"})[0], 409)

        status, got = s.request("GET", f"/api/v1/reports/{rid}", token=acme)
        self.assertEqual(status, 200)
        self.assertEqual(got["summary"], "synthetic report 1")
        self.assertEqual(got["priority"], "top")
        self.assertEqual([(m["list"], m["kind"]) for m in got["matches"]], [("known", "md5")])
        self.assertEqual(s.request("GET", f"/api/v1/reports/{rid}", token=other)[0], 404, "a reporter reads only its own")
        self.assertEqual(s.request("GET", f"/api/v1/reports/{rid}", token=analyst)[0], 200)
        self.assertEqual(s.request("GET", "/api/v1/reports/999999", token=analyst)[0], 404)

        ids = [s.request("POST", "/api/v1/reports", report(10 + i), token=other)[1]["id"] for i in range(3)]
        status, page = s.request("GET", f"/api/v1/reports?after=0&limit=2", token=analyst)
        self.assertEqual(status, 200)
        self.assertEqual([r["id"] for r in page["reports"]], [rid, ids[0]])
        status, page = s.request("GET", f"/api/v1/reports?after={ids[0]}&limit=10", token=analyst)
        self.assertEqual([r["id"] for r in page["reports"]], ids[1:])
        status, own = s.request("GET", "/api/v1/reports?limit=10", token=other)
        self.assertEqual([r["id"] for r in own["reports"]], ids)
        self.assertEqual(s.request("GET", "/api/v1/reports?limit=0", token=analyst)[0], 400)

        audit = cli("audit", "verify", data=self.data, db=DB_URL)
        self.assertEqual(audit.returncode, 0, audit.stderr + audit.stdout)

        code, err = s.stop()
        self.assertEqual(code, 0, err)
        self.assertIn("stopped", err)

    def test_bad_input_is_400_or_413_with_the_field_path_and_nothing_is_stored(self):
        self.server = s = Server(self.data, DB_URL)
        t = token(self.data, "reporter", "acme", DB_URL)
        bad = report()
        bad["files"][0]["pdq"] = "not-hex"
        status, body = s.request("POST", "/api/v1/reports", bad, token=t)
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["path"], "files[0].pdq")
        bad = report()
        bad["incident_type"] = "unknown_kind"
        self.assertEqual(s.request("POST", "/api/v1/reports", bad, token=t)[1]["error"]["path"], "incident_type")
        bad = report()
        bad["reported_people"][0]["ip_events"] = [{"ip": "300.1.2.3", "port": 443, "time": "2026-11-01T10:00:00Z"}]
        self.assertEqual(s.request("POST", "/api/v1/reports", bad, token=t)[1]["error"]["path"],
                         "reported_people[0].ip_events[0].ip")
        self.assertEqual(s.request("POST", "/api/v1/reports", raw="{not json", token=t)[0], 400)
        self.assertEqual(s.request("POST", "/api/v1/reports", raw="x" * (2 << 20), token=t)[0], 413)
        status, listing = s.request("GET", "/api/v1/reports?limit=10", token=t)
        self.assertEqual(listing["reports"], [])

    def test_sigkill_during_concurrent_ingestion_loses_no_acknowledged_report(self):
        self.server = s = Server(self.data, DB_URL)
        t = token(self.data, "reporter", "load", DB_URL)
        acked, lock, stop = {}, threading.Lock(), threading.Event()

        def client(k):
            n = 0
            while not stop.is_set():
                body = report(k * 100000 + n)
                try:
                    status, out = s.request("POST", "/api/v1/reports", body, token=t)
                except (OSError, http.client.HTTPException):
                    return
                if status == 201:
                    with lock:
                        acked[out["id"]] = body["summary"]
                n += 1

        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        for th in threads:
            th.start()
        time.sleep(2.0)
        s.kill()  # SIGKILL: no chance to finish anything
        stop.set()
        for th in threads:
            th.join()
        self.assertGreater(len(acked), 20)
        self.server = s = Server(self.data, DB_URL)
        analyst = token(self.data, "analyst", "check", DB_URL)
        stored, after = {}, 0
        while True:
            status, page = s.request("GET", f"/api/v1/reports?after={after}&limit=1000", token=analyst)
            self.assertEqual(status, 200)
            for r in page["reports"]:
                stored[r["id"]] = r
            if page["next_after"] is None:
                break
            after = page["next_after"]
        for rid, summary in acked.items():
            self.assertIn(rid, stored, "an acknowledged report is missing")
            self.assertEqual(stored[rid]["summary"], summary)
        for r in stored.values():  # none partial
            self.assertEqual(len(r["files"]), 1)
            self.assertEqual(len(r["reported_people"]), 1)
            self.assertTrue(r["summary"].startswith("synthetic report"))


    def test_sigterm_with_requests_in_flight_answers_them_and_exits_0(self):
        # Reports (group commit), reads, networks and chat-log uploads in
        # flight when SIGTERM comes: every request gets an answer or a closed
        # connection, never a 5xx, and serve exits 0 (it once crashed here).
        analyst = token(self.data, "analyst", "desk", DB_URL)
        log = "\n".join(json.dumps(m) for m in [
            {"conversation": "c1", "author": "user1", "time": "2026-11-02T10:00:00Z", "text": "how old are you"},
            {"conversation": "c1", "author": "kid", "time": "2026-11-02T10:01:00Z", "text": "13, dont tell"}]) + "\n"
        for round in range(2):
            self.server = s = Server(self.data, DB_URL)
            stop, lock, statuses = threading.Event(), threading.Lock(), []

            def client(k):
                n = 0
                while not stop.is_set():
                    kind, n = (k + n) % 4, n + 1
                    try:
                        if kind == 0:
                            status, _ = s.request("POST", "/api/v1/reports", report(k * 1000 + n), token=analyst)
                        elif kind == 1:
                            status, _ = s.request("GET", "/api/v1/networks", token=analyst)
                        elif kind == 2:
                            status, _ = s.request("POST", "/api/v1/chat-logs?case=OP-1&format=jsonl", raw=log,
                                                  token=analyst)
                        else:
                            status, _ = s.request("GET", "/api/v1/reports?limit=20", token=analyst)
                    except (OSError, http.client.HTTPException):
                        if s.proc.poll() is not None:
                            return
                        continue
                    with lock:
                        statuses.append(status)

            threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
            for th in threads:
                th.start()
            time.sleep(0.5 + 0.3 * round)
            code, err = s.stop()
            stop.set()
            for th in threads:
                th.join()
            self.assertEqual(code, 0, err)
            self.assertIn("stopped", err)
            self.assertTrue(statuses)
            self.assertEqual([c for c in statuses if c >= 500], [], err)

    def test_two_servers_share_one_postgresql_database(self):
        """Stateless servers: reports, tokens and sessions made through one
        are known to the other, and concurrent writes through both keep every
        acknowledged report, each id once."""
        if BACKEND != "postgres":
            self.skipTest("several serve processes share a PostgreSQL database, not an SQLite file")
        a = self.server = Server(self.data, DB_URL)
        b = Server(os.path.join(self.tmp, "data-b"), DB_URL)
        try:
            t = token(self.data, "reporter", "acme", DB_URL)
            analyst = token(self.data, "analyst", "desk", DB_URL)
            acked, lock = [], threading.Lock()

            def client(server, k):
                for n in range(25):
                    status, out = server.request("POST", "/api/v1/reports", report(k * 1000 + n), token=t)
                    self.assertEqual(status, 201, out)
                    with lock:
                        acked.append((out["id"], f"synthetic report {k * 1000 + n}"))

            threads = [threading.Thread(target=client, args=(srv, k)) for k, srv in enumerate([a, b, a, b])]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            self.assertEqual(len({i for i, _ in acked}), 100, "every report got its own id")
            for rid, summary in acked[::7]:
                for srv in (a, b):
                    status, got = srv.request("GET", f"/api/v1/reports/{rid}", token=analyst)
                    self.assertEqual((status, got["summary"]), (200, summary))
            # An idempotent retry through the other server is the same report.
            status, first = a.request("POST", "/api/v1/reports", report(7), token=t, headers={"Idempotency-Key": "k1"})
            status, again = b.request("POST", "/api/v1/reports", report(7), token=t, headers={"Idempotency-Key": "k1"})
            self.assertEqual(first["id"], again["id"])
            # A session made by one server signs in on the other.
            subprocess.run([BIN, "users", "add", "--role", "analyst", "--password-stdin", "ana", "--data", self.data,
                            "--db", DB_URL], input="a-long-password-1\n", text=True, check=True, capture_output=True)
            conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
            conn.request("POST", "/api/v1/session", body=json.dumps({"name": "ana", "password": "a-long-password-1"}),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
            cookie = resp.getheader("Set-Cookie").split(";")[0]
            status, page = b.request("GET", "/api/v1/reports?limit=1", headers={"Cookie": cookie})
            self.assertEqual(status, 200, page)
            self.assertEqual(cli("audit", "verify", data=self.data, db=DB_URL).returncode, 0)
        finally:
            if b.proc.poll() is None:
                b.kill()

if __name__ == "__main__":
    unittest.main()
