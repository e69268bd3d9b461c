#!/usr/bin/env python3
"""End-to-end tests of `safeguard import FILE.ndjson`: what is stored when some
lines are bad, the output, the errors and the exit status, read back from the
SQLite database itself. All reports are synthetic (tests/data/intake/valid)."""
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")
SOURCE = os.environ.get("SG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
VALID = os.path.join(SOURCE, "tests", "data", "intake", "valid")

LISTED_MD5 = "0123456789abcdef0123456789abcdef"  # made up, as every hash here


def run(*args, data=None):
    cmd = [BIN, *args]
    if data is not None:
        cmd += ["--data", data]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def fixture(name):
    with open(os.path.join(VALID, name + ".json")) as f:
        return json.load(f)


def report(n, **extra):
    """A small synthetic report, told apart by its summary."""
    return {"source": "public", "incident_type": "other", "summary": f"synthetic report {n}", **extra}


class ImportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-import-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, lines, newline="\n"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", newline="") as f:
            for line in lines:
                f.write((line if isinstance(line, str) else json.dumps(line)) + newline)
        return path

    def db(self):
        return sqlite3.connect(os.path.join(self.data, "safeguard.db"))

    def stored(self):
        """id -> (channel, owner, body) of every stored report."""
        with self.db() as c:
            return {row[0]: (row[1], row[2], json.loads(row[3]))
                    for row in c.execute("SELECT id, channel, owner, body FROM reports ORDER BY id")}

    def count(self, table, where=""):
        with self.db() as c:
            return c.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]

    def test_every_valid_line_is_stored_and_bad_lines_are_reported_and_skipped(self):
        lines = [
            report(1),                                   # 1
            "",                                          # 2 blank: ignored
            {"source": "public"},                        # 3 missing incident_type
            fixture("industry_report"),                  # 4
            "{not json",                                 # 5
            report(6, files=[{"md5": "xyz"}]),           # 6 bad hash
            "   \t",                                     # 7 blank
            report(8, immediate_danger=True),            # 8
            report(9, colour="blue"),                    # 9 unknown field
        ]
        path = self.write("mixed.ndjson", lines)
        r = run("import", path, data=self.data)
        self.assertEqual(r.returncode, 1, r.stderr)
        ids = [int(x) for x in r.stdout.split()]
        self.assertEqual(len(ids), 3)
        self.assertEqual(ids, sorted(ids))
        errors = r.stderr.splitlines()
        self.assertEqual(errors, [
            f"{path}:3: incident_type: required field is missing",
            f"{path}:5: (body): invalid JSON at line 1 column 2: syntax error",
            f"{path}:6: files[0].md5: " + errors[2].split("files[0].md5: ", 1)[1],
            f"{path}:9: colour: unknown field",
        ])
        stored = self.stored()
        self.assertEqual(sorted(stored), ids)
        # Each id is the report of its line, in input order, stored whole.
        self.assertEqual(stored[ids[0]][2]["summary"], "synthetic report 1")
        self.assertEqual(stored[ids[1]][2]["platform"], "ExamplePhotoShare")
        self.assertEqual(len(stored[ids[1]][2]["files"]), 3)
        self.assertEqual(stored[ids[2]][2]["summary"], "synthetic report 8")
        for channel, owner, _ in stored.values():
            self.assertEqual((channel, owner), ("import", "cli:import"))
        self.assertEqual(self.count("report_files"), 3)
        with self.db() as c:
            self.assertEqual(c.execute("SELECT priority FROM reports WHERE id = ?", (ids[2],)).fetchone()[0], "top")
            audit = c.execute("SELECT actor, action, object_id FROM audit_log ORDER BY id").fetchall()
        self.assertEqual([(a, o) for _, a, o in audit], [("report.create", str(i)) for i in ids])
        self.assertTrue(all(actor.startswith("cli:") for actor, _, _ in audit))

    def test_json_output_names_the_line_of_each_stored_report(self):
        path = self.write("r.ndjson", [report(1), "[]", "", report(4), report(5)])
        r = run("import", "--json", path, data=self.data)
        self.assertEqual(r.returncode, 1)
        out = [json.loads(x) for x in r.stdout.splitlines()]
        self.assertEqual([o["line"] for o in out], [1, 4, 5])
        self.assertEqual(list(out[0]), ["line", "id"])
        stored = self.stored()
        for o in out:
            self.assertEqual(stored[o["id"]][2]["summary"], f"synthetic report {o['line']}")
        self.assertRegex(r.stderr, r"r\.ndjson:2: \(body\): ")

    def test_a_clean_file_exits_0_and_crlf_and_a_missing_last_newline_are_fine(self):
        path = self.write("ok.ndjson", [report(1), report(2)], newline="\r\n")
        with open(path, "a") as f:
            f.write(json.dumps(report(3)))
        r = run("import", path, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertEqual(len(r.stdout.split()), 3)
        # An empty file stores nothing and is not an error.
        r = run("import", self.write("empty.ndjson", []), data=self.data)
        self.assertEqual((r.returncode, r.stdout), (0, ""))
        self.assertEqual(self.count("reports"), 3)

    def test_files_are_matched_against_the_lists(self):
        lst = self.write("list.csv", ["md5,category", f"{LISTED_MD5},A"])
        r = run("lists", "import", "--name", "uk", "--format", "csv", "--scheme", "uk", lst, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        path = self.write("m.ndjson", [
            report(1, incident_type="csam", files=[{"md5": "9" * 32}, {"md5": LISTED_MD5.upper()}]),
            report(2, incident_type="csam", files=[{"md5": "8" * 32}]),
        ])
        r = run("import", path, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        first, second = (int(x) for x in r.stdout.split())
        with self.db() as c:
            rows = c.execute("SELECT report_id, file_index, list, kind, hash, distance, category FROM report_matches").fetchall()
            priorities = dict(c.execute("SELECT id, priority FROM reports"))
        self.assertEqual(rows, [(first, 1, "uk", "md5", LISTED_MD5, 0, "A")])
        self.assertEqual(priorities, {first: "high", second: "normal"})

    def test_many_batches_keep_input_order(self):
        lines = []
        for n in range(1, 1301):
            lines.append("{}" if n % 97 == 0 else report(n))
        r = run("import", "--json", self.write("big.ndjson", lines), data=self.data)
        self.assertEqual(r.returncode, 1)
        out = [json.loads(x) for x in r.stdout.splitlines()]
        good = [n for n in range(1, 1301) if n % 97 != 0]
        self.assertEqual([o["line"] for o in out], good)
        ids = [o["id"] for o in out]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(r.stderr.splitlines()), 1300 - len(good))
        stored = self.stored()
        self.assertEqual(len(stored), len(good))
        for o in out:
            self.assertEqual(stored[o["id"]][2]["summary"], f"synthetic report {o['line']}")

    def test_a_failed_transaction_leaves_nothing_half_written(self):
        # The first run creates the database; a trigger then refuses one
        # report, so the batch holding it (lines 501-1000) fails as a whole.
        self.assertEqual(run("import", self.write("first.ndjson", [report(0)]), data=self.data).returncode, 0)
        with self.db() as c:
            c.execute("CREATE TRIGGER refuse BEFORE INSERT ON reports WHEN NEW.body LIKE '%refuse me%'"
                      " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        lines = [report(n, files=[{"md5": f"{n:032x}"}]) for n in range(1, 1201)]
        lines[699] = report(700, summary="refuse me")
        path = self.write("t.ndjson", lines)
        r = run("import", "--json", path, data=self.data)
        self.assertEqual(r.returncode, 1)
        out = [json.loads(x) for x in r.stdout.splitlines()]
        self.assertEqual([o["line"] for o in out], list(range(1, 501)))
        self.assertIn(f"{path}: lines 501 to 1000 were not stored", r.stderr)
        self.assertIn("refused by the test", r.stderr)
        # Exactly what was printed is stored: the first batch whole (with
        # its files and audit entries), nothing of the failed batch or after.
        self.assertEqual(self.count("reports"), 501)
        self.assertEqual(self.count("report_files"), 500)
        self.assertEqual(self.count("audit_log", "WHERE action = 'report.create'"), 501)
        self.assertEqual(sorted(self.stored())[1:], [o["id"] for o in out])

    def test_an_oversized_line_is_refused_without_stopping_the_run(self):
        big = report(2, summary="x" * 20000, additional_info="y" * 20000,
                     chat=[{"text": "z" * 20000} for _ in range(60)])
        path = self.write("big.ndjson", [report(1), big, report(3)])
        r = run("import", path, data=self.data)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stdout.split()), 2)
        self.assertEqual(r.stderr, f"{path}:2: (body): more than 1048576 bytes; at most 1048576 allowed\n")

    def test_a_missing_file_or_bad_command_line(self):
        r = run("import", os.path.join(self.tmp, "missing.ndjson"), data=self.data)
        self.assertEqual(r.returncode, 1)
        self.assertIn("missing.ndjson: cannot open", r.stderr)
        self.assertEqual(run("import", data=self.data).returncode, 2)


PG_URL = os.environ.get("SG_TEST_POSTGRES_URL", "")


@unittest.skipUnless(PG_URL and shutil.which("psql"), "needs SG_TEST_POSTGRES_URL (scripts/with-postgres) and psql")
class PostgresImportTest(unittest.TestCase):
    """The same import into PostgreSQL (--db), in a schema of its own."""

    def psql(self, url, sql):
        r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-import-pg-")
        self.schema = f"sg_import_{os.getpid()}"
        self.psql(PG_URL, f"DROP SCHEMA IF EXISTS {self.schema} CASCADE; CREATE SCHEMA {self.schema}")
        sep = "&" if "?" in PG_URL else "?"
        self.url = f"{PG_URL}{sep}options=-c%20search_path%3D{self.schema}"

    def tearDown(self):
        self.psql(PG_URL, f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
        shutil.rmtree(self.tmp)

    def test_mixed_lines_into_postgres(self):
        path = os.path.join(self.tmp, "r.ndjson")
        with open(path, "w") as f:
            for line in [json.dumps(report(1)), "{}", "", json.dumps(fixture("police_report"))]:
                f.write(line + "\n")
        r = run("import", "--json", "--db", self.url, path, data=os.path.join(self.tmp, "data"))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stderr, f"{path}:2: source: required field is missing\n")
        out = [json.loads(x) for x in r.stdout.splitlines()]
        self.assertEqual([o["line"] for o in out], [1, 4])
        rows = self.psql(self.url, "SELECT id, channel, owner FROM reports ORDER BY id").splitlines()
        self.assertEqual(rows, [f"{o['id']}|import|cli:import" for o in out])
        self.assertEqual(self.psql(self.url, "SELECT count(*) FROM audit_log WHERE action = 'report.create'"), "2")


if __name__ == "__main__":
    unittest.main()
