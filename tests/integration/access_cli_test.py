#!/usr/bin/env python3
"""End-to-end tests of `safeguard users`, `safeguard tokens` and `safeguard audit verify`.

Each case runs on SQLite (the data directory) and, when SG_TEST_POSTGRES_URL is set
(scripts/with-postgres), again on PostgreSQL through --db, in a schema of its own.
"""
import os
import pty
import pwd
import random
import re
import select
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")
PG_URL = os.environ.get("SG_TEST_POSTGRES_URL", "")
# Generated for these tests.
PASSWORD = "river-lamp-orbit-73"
CLI_ACTOR = "cli:" + pwd.getpwuid(os.geteuid()).pw_name
TOKEN_RE = re.compile(r"^sgt_[A-Za-z0-9_-]{43}$")


class Backend:
    """Where a test's store lives, and raw SQL against it (what an attacker would do)."""

    def __init__(self, tmp, postgres):
        self.data = os.path.join(tmp, "data")
        self.postgres = postgres
        self.schema = None
        if postgres:
            self.schema = f"sgcli_{os.getpid()}_{random.getrandbits(32):08x}"
            self.psql(f"CREATE SCHEMA {self.schema}", search_path=False)
            sep = "&" if "?" in PG_URL else "?"
            self.url = PG_URL + sep + "options=" + urllib.parse.quote(f"-c search_path={self.schema}")

    def args(self):
        return ["--data", self.data] + (["--db", self.url] if self.postgres else [])

    def psql(self, sql, search_path=True):
        url = self.url if search_path else PG_URL
        r = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        return r.stdout

    def sql(self, statement):
        """Runs one statement; returns the rows as lists of strings."""
        if self.postgres:
            out = self.psql(statement)
            return [line.split("|") for line in out.splitlines() if line]
        con = sqlite3.connect(os.path.join(self.data, "safeguard.db"))
        try:
            rows = [[str(v) for v in row] for row in con.execute(statement)]
            con.commit()
            return rows
        finally:
            con.close()

    def drop_audit_guards(self):
        if self.postgres:
            self.sql("DROP TRIGGER audit_log_no_change ON audit_log")
        else:
            self.sql("DROP TRIGGER audit_log_no_update")
            self.sql("DROP TRIGGER audit_log_no_delete")

    def close(self):
        if self.schema:
            self.psql(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE", search_path=False)


class AccessCliTests:
    """Mixed into one TestCase per backend below."""
    POSTGRES = False

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-access-")
        self.db = Backend(self.tmp, self.POSTGRES)

    def tearDown(self):
        self.db.close()
        shutil.rmtree(self.tmp)

    def run_sg(self, *args, stdin=None):
        return subprocess.run([BIN, *args, *self.db.args()], capture_output=True, text=True,
                              input=stdin, timeout=120)

    def add_user(self, name, role="analyst", password=PASSWORD):
        return self.run_sg("users", "add", "--role", role, "--password-stdin", name, stdin=password + "\n")

    def user_count(self):
        """Users in the store; 0 if the command never created it (nothing was written)."""
        if not self.POSTGRES and not os.path.exists(os.path.join(self.db.data, "safeguard.db")):
            return 0
        self.assertEqual(self.verify().returncode, 0)  # creates and migrates an untouched store
        return int(self.db.sql("SELECT count(*) FROM users")[0][0])

    def verify(self):
        return self.run_sg("audit", "verify")

    # users add

    def test_add_user_from_stdin_is_audited(self):
        r = self.add_user("alice")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "user alice (analyst) added\n")
        rows = self.db.sql("SELECT name, role, password_hash FROM users")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][:2], ["alice", "analyst"])
        self.assertTrue(rows[0][2].startswith("$argon2id$v=19$m=65536,t=2,p=1$"), rows[0][2])
        audit = self.db.sql("SELECT actor, action, object_type, address FROM audit_log")
        self.assertEqual(audit, [[CLI_ACTOR, "user.create", "user", ""]])
        v = self.verify()
        self.assertEqual((v.returncode, v.stdout), (0, "audit log OK: 1 entries\n"), v.stderr)

    def test_password_is_stored_nowhere_in_clear(self):
        self.assertEqual(self.add_user("alice").returncode, 0)
        for table in ("users", "audit_log", "security_state"):
            for row in self.db.sql(f"SELECT * FROM {table}"):
                self.assertNotIn(PASSWORD, "|".join(row))
        if not self.POSTGRES:
            for name in os.listdir(self.db.data):
                with open(os.path.join(self.db.data, name), "rb") as f:
                    self.assertNotIn(PASSWORD.encode(), f.read(), name)

    def test_short_password_is_refused(self):
        r = self.add_user("alice", password="elevenchars")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "safeguard users add: the password is too short: at least 12 characters\n")
        self.assertEqual(r.stdout, "")
        self.assertEqual(self.add_user("alice", password="twelve-chars").returncode, 0)

    def test_empty_stdin_is_refused(self):
        r = self.run_sg("users", "add", "--role", "admin", "--password-stdin", "alice", stdin="")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no password on stdin", r.stderr)

    def test_duplicate_user_is_refused(self):
        self.assertEqual(self.add_user("alice").returncode, 0)
        r = self.add_user("alice", role="admin")
        self.assertEqual(r.returncode, 1)
        self.assertIn("user 'alice' already exists", r.stderr)
        self.assertEqual(self.db.sql("SELECT role FROM users"), [["analyst"]])

    def test_bad_role_or_name_is_a_usage_error(self):
        r = self.add_user("alice", role="root")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--role", r.stderr)
        for name in ("Alice", ".x", "a b", "x" * 65):
            r = self.add_user(name)
            self.assertEqual(r.returncode, 2, name)
            self.assertIn("user name", r.stderr)

    def test_without_a_terminal_asks_for_password_stdin(self):
        r = self.run_sg("users", "add", "--role", "analyst", "alice", stdin=PASSWORD + "\n")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--password-stdin", r.stderr)
        self.assertEqual(self.user_count(), 0)

    def run_on_tty(self, args, answers):
        """Runs safeguard on a pseudo-terminal, typing each answer after each prompt."""
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(BIN, [BIN, *args, *self.db.args()])
        out = b""
        pending = list(answers)
        answered_at = 0  # answer each prompt once: only output after the last answer counts
        deadline = time.time() + 60
        while time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if pending and out[answered_at:].rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
                answered_at = len(out)
        if time.time() >= deadline:
            os.kill(pid, 9)  # a hang is a failure, not a stuck test run
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        return os.waitstatus_to_exitcode(status), out.decode(errors="replace")

    def test_prompts_twice_without_echo_on_a_terminal(self):
        code, out = self.run_on_tty(["users", "add", "--role", "admin", "carol"], [PASSWORD, PASSWORD])
        self.assertEqual(code, 0, out)
        self.assertIn("Password for carol:", out)
        self.assertIn("Again:", out)
        self.assertNotIn(PASSWORD, out)  # never echoed
        self.assertIn("user carol (admin) added", out)
        self.assertEqual(self.db.sql("SELECT name, role FROM users"), [["carol", "admin"]])

    def test_different_passwords_on_a_terminal_change_nothing(self):
        code, out = self.run_on_tty(["users", "add", "--role", "admin", "carol"], [PASSWORD, PASSWORD + "x"])
        self.assertEqual(code, 1, out)
        self.assertIn("the two passwords differ", out)
        self.assertEqual(self.user_count(), 0)

    # tokens

    def test_token_create_prints_the_token_alone_on_the_last_line(self):
        r = self.run_sg("tokens", "create", "--role", "reporter", "--name", "acme-api")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertGreaterEqual(len(lines), 1)
        token = lines[-1]
        self.assertRegex(token, TOKEN_RE)
        self.assertEqual(r.stdout.count(token), 1)
        rows = self.db.sql("SELECT name, role, token_hash, revoked_at FROM api_tokens")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][:2], ["acme-api", "reporter"])
        import hashlib
        self.assertEqual(rows[0][2], hashlib.sha256(token.encode()).hexdigest())
        audit = self.db.sql("SELECT actor, action, object_type, details FROM audit_log")
        self.assertEqual(audit, [[CLI_ACTOR, "token.create", "token", '{"name":"acme-api","role":"reporter"}']])
        self.assertNotIn(token[4:], "|".join(audit[0]))

        again = self.run_sg("tokens", "create", "--role", "reporter", "--name", "acme-api")
        self.assertEqual(again.returncode, 1)
        self.assertIn("already exists", again.stderr)
        self.assertNotRegex(again.stdout, r"sgt_")

    def test_token_revoke_and_ls(self):
        for role, name in (("reporter", "acme-api"), ("analyst", "unit-script")):
            self.assertEqual(self.run_sg("tokens", "create", "--role", role, "--name", name).returncode, 0)
        r = self.run_sg("tokens", "revoke", "--name", "acme-api")
        self.assertEqual((r.returncode, r.stdout), (0, "token acme-api revoked\n"), r.stderr)
        r = self.run_sg("tokens", "revoke", "--name", "acme-api")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no live token named 'acme-api'", r.stderr)
        ls = self.run_sg("tokens", "ls")
        self.assertEqual(ls.returncode, 0, ls.stderr)
        lines = ls.stdout.splitlines()
        self.assertEqual(len(lines), 3)
        self.assertRegex(lines[1], r"^1\s+acme-api\s+reporter\s+\S+Z\s+\S+Z$")
        self.assertRegex(lines[2], r"^2\s+unit-script\s+analyst\s+\S+Z\s+-$")
        self.assertNotIn("sgt_", ls.stdout)
        v = self.verify()
        self.assertEqual(v.stdout, "audit log OK: 3 entries\n")

    def test_token_needs_a_known_role(self):
        r = self.run_sg("tokens", "create", "--role", "superuser", "--name", "x")
        self.assertEqual(r.returncode, 2)
        r = self.run_sg("tokens", "create", "--role", "reporter", "--name", "Bad Name")
        self.assertEqual(r.returncode, 1)
        self.assertIn("token name", r.stderr)

    # audit verify

    def make_entries(self):
        for name in ("alice", "bob", "carol"):
            self.assertEqual(self.add_user(name).returncode, 0)
        self.assertEqual(self.run_sg("tokens", "create", "--role", "reporter", "--name", "acme-api").returncode, 0)

    def test_verify_an_empty_log(self):
        v = self.verify()
        self.assertEqual((v.returncode, v.stdout), (0, "audit log OK: 0 entries\n"), v.stderr)

    def test_verify_names_an_altered_entry(self):
        self.make_entries()
        self.assertEqual(self.verify().stdout, "audit log OK: 4 entries\n")
        # The table refuses changes...
        with self.assertRaises((RuntimeError, sqlite3.DatabaseError)):
            self.db.sql("UPDATE audit_log SET actor = 'cli:someone' WHERE id = 2")
        # ...until its guards are dropped; then the chain names the entry.
        self.db.drop_audit_guards()
        self.db.sql("UPDATE audit_log SET actor = 'cli:someone' WHERE id = 2")
        time_2 = self.db.sql("SELECT time FROM audit_log WHERE id = 2")[0][0]
        v = self.verify()
        self.assertEqual(v.returncode, 1, v.stderr)
        self.assertEqual(v.stdout, f"audit log TAMPERED: first bad entry 2 ({time_2}, user.create by cli:someone): "
                                   "altered: its stored hash does not match its content\n")

    def test_verify_names_a_deleted_entry(self):
        self.make_entries()
        self.db.drop_audit_guards()
        self.db.sql("DELETE FROM audit_log WHERE id = 3")
        v = self.verify()
        self.assertEqual(v.returncode, 1)
        self.assertEqual(v.stdout, "audit log TAMPERED: first bad entry 3 (not in the log): "
                                   "missing: the ids jump from 2 to 4 (deleted)\n")


class SqliteAccessCliTest(AccessCliTests, unittest.TestCase):
    POSTGRES = False


@unittest.skipUnless(PG_URL, "SG_TEST_POSTGRES_URL is not set (scripts/with-postgres provides a server)")
class PostgresAccessCliTest(AccessCliTests, unittest.TestCase):
    POSTGRES = True


if __name__ == "__main__":
    unittest.main()
