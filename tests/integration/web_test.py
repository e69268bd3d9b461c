#!/usr/bin/env python3
"""End-to-end tests of the server's pages for people: the public report form
(no JavaScript, CSRF double submit, "call 999", rate limit, the same
validation as the API) and analyst sign-in (session cookies, the one-time
admin password, sign-out, audit). Run on SQLite and on PostgreSQL as
serve_test.py is (SG_SERVE_BACKEND)."""
import html
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_test  # noqa: E402
from serve_test import Server, cli, token  # noqa: E402


class Browser:
    """Keeps cookies as a browser would (by name; Max-Age=0 deletes)."""

    def __init__(self, port, address="127.0.0.1"):
        self.port, self.cookies, self.set_cookie_headers = port, {}, []

    def request(self, method, path, form=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        text = r.read().decode()
        self.set_cookie_headers = r.headers.get_all("Set-Cookie") or []
        for c in self.set_cookie_headers:
            name, _, rest = c.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        headers = dict(r.getheaders())
        conn.close()
        return r.status, headers, text


def csrf_of(page):
    m = re.search(r'name=csrf value="([^"]+)"', page)
    assert m, page[:500]
    return html.unescape(m.group(1))


GOOD = {"danger": "no", "what": "online_enticement",
        "description": "An adult keeps asking a child in my class which school she goes to and to keep it secret.",
        "when_date": "2026-11-20", "when_time": "18:30", "platform": "ExampleChat", "child_username": "@kid_example",
        "child_age": "12", "person_username": "@adult_example", "person_profile": "https://chat.example.com/u/adult",
        "person_email": "adult@example.com", "person_phone": "07700 900123",
        "person_details": "Says they are 14 but talks like an adult.", "contact_name": "Sam Example",
        "contact_email": "sam@example.com", "contact_phone": ""}


class WebTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-web-")
        self.data = os.path.join(self.tmp, "data")
        self.server = None
        self.db = ""
        if serve_test.BACKEND == "postgres":
            if not serve_test.PG_URL:
                self.skipTest("SG_TEST_POSTGRES_URL is not set (scripts/with-postgres sets it)")
            self.db = serve_test.fresh_database("web_" + self.id().split(".")[-1])

    def tearDown(self):
        if self.server and self.server.proc.poll() is None:
            self.server.kill()
        shutil.rmtree(self.tmp)

    def start(self, *extra):
        self.server = Server(self.data, self.db, extra)
        return self.server

    def report_json(self, rid):
        analyst = token(self.data, "analyst", "reader", self.db)
        status, body = self.server.request("GET", f"/api/v1/reports/{rid}", token=analyst)
        self.assertEqual(status, 200, body)
        return body

    def test_public_form_stores_a_report_with_a_reference(self):
        s = self.start()
        b = Browser(s.port)
        status, headers, page = b.request("GET", "/report")
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers["Content-Type"])
        # No script can run on the page; forms post only here.
        self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
        self.assertIn("form-action 'self'", headers["Content-Security-Policy"])
        self.assertNotIn("<script", page.lower())
        # "Call 999" comes before the form itself.
        self.assertLess(page.index("Call 999"), page.index("<form"))
        for field in ("danger", "what", "description", "when_date", "platform", "child_age", "person_username",
                      "contact_email"):
            self.assertIn(f"name={field}", page)
        cookie = [c for c in b.set_cookie_headers if c.startswith("sg_form=")]
        self.assertTrue(cookie and "HttpOnly" in cookie[0] and "SameSite=Strict" in cookie[0], b.set_cookie_headers)

        status, _, page = b.request("POST", "/report", dict(GOOD, csrf=csrf_of(page)))
        self.assertEqual(status, 201, page)
        ref = int(re.search(r"id=reference>(\d+)<", page).group(1))
        self.assertNotIn("Call 999", page)  # not in danger: the answer leads with the reference
        r = self.report_json(ref)
        self.assertEqual((r["channel"], r["source"], r["priority"]), ("public_form", "public", "normal"))
        self.assertEqual(r["incident_type"], "online_enticement")
        self.assertEqual(r["incident_time"], "2026-11-20T18:30:00.000Z")
        self.assertEqual(r["platform"], "ExampleChat")
        self.assertEqual(r["victims"], [{"screen_names": ["@kid_example"], "approximate_age": 12}])
        p = r["reported_people"][0]
        self.assertEqual((p["screen_names"], p["emails"], p["phones"]), (["@adult_example"], ["adult@example.com"], ["07700 900123"]))
        self.assertIn("Sam Example", r["additional_info"])
        self.assertIn("talks like an adult", r["additional_info"])

    def test_immediate_danger_shows_999_first_and_is_top_priority(self):
        s = self.start()
        b = Browser(s.port)
        _, _, page = b.request("GET", "/report")
        status, _, page = b.request("POST", "/report", dict(GOOD, danger="yes", csrf=csrf_of(page)))
        self.assertEqual(status, 201, page)
        main = page[page.index("<main>"):]
        self.assertLess(main.index("Call 999"), main.index("reference number"))
        ref = int(re.search(r"id=reference>(\d+)<", page).group(1))
        self.assertEqual(self.report_json(ref)["priority"], "top")

    def test_cross_site_posts_are_refused_and_nothing_is_stored(self):
        s = self.start()
        b = Browser(s.port)
        _, _, page = b.request("GET", "/report")
        token_value = csrf_of(page)
        # Another site can make the browser post, but without the cookie
        # (SameSite=Strict) and cannot know a token for a nonce it cannot read.
        other = Browser(s.port)
        status, _, page = other.request("POST", "/report", dict(GOOD, csrf=token_value))
        self.assertEqual(status, 403)
        self.assertIn("ExampleChat", page)  # the answers are kept for the person to resend
        status, _, _ = b.request("POST", "/report", dict(GOOD, csrf=token_value[:-2] + "xx"))
        self.assertEqual(status, 403)
        status, _, _ = b.request("POST", "/report", dict(GOOD))
        self.assertEqual(status, 403)
        analyst = token(self.data, "analyst", "reader", self.db)
        self.assertEqual(s.request("GET", "/api/v1/reports", token=analyst)[1]["reports"], [])

    def test_bad_answers_name_the_field_keep_the_answers_and_store_nothing(self):
        s = self.start()
        b = Browser(s.port)
        _, _, page = b.request("GET", "/report")
        t = csrf_of(page)
        cases = [({"danger": ""}, "danger"), ({"what": "bogus"}, "what"), ({"description": "  "}, "description"),
                 ({"when_date": "2026-13-45"}, "when_date"), ({"child_age": "twelve"}, "child_age"),
                 ({"when_date": "", "when_time": "10:00"}, "when_date"), ({"platform": "x" * 1001}, "platform")]
        for change, field in cases:
            status, _, page = b.request("POST", "/report", dict(GOOD, csrf=t, **change))
            self.assertEqual(status, 400, (change, page[-800:]))
            self.assertIn(f'id="{field}-error"', page, change)
            self.assertIn("adult@example.com", page)  # what was typed is still there
        status, _, page = b.request("POST", "/report", dict(GOOD, csrf=t, extra="1"))
        self.assertEqual(status, 400)
        self.assertIn("unknown form field", page)
        # Markup typed into the form comes back escaped, never as markup.
        status, _, page = b.request("POST", "/report", dict(GOOD, csrf=t, what="", platform='<b id="x">'))
        self.assertEqual(status, 400)
        self.assertNotIn('<b id="x">', page)
        self.assertIn("&lt;b id=&quot;x&quot;&gt;", page)
        analyst = token(self.data, "analyst", "reader", self.db)
        self.assertEqual(s.request("GET", "/api/v1/reports", token=analyst)[1]["reports"], [])

    def test_rate_limit_per_address(self):
        s = self.start("--form-limit", "2")
        b = Browser(s.port)
        _, _, page = b.request("GET", "/report")
        t = csrf_of(page)
        self.assertEqual(b.request("POST", "/report", dict(GOOD, csrf=t))[0], 201)
        self.assertEqual(b.request("POST", "/report", dict(GOOD, csrf=t))[0], 201)
        status, headers, page = b.request("POST", "/report", dict(GOOD, csrf=t))
        self.assertEqual(status, 429)
        self.assertGreater(int(headers["Retry-After"]), 0)
        self.assertIn("999", page)
        analyst = token(self.data, "analyst", "reader", self.db)
        self.assertEqual(len(s.request("GET", "/api/v1/reports", token=analyst)[1]["reports"]), 2)

    def test_admin_signs_in_changes_the_one_time_password_and_signs_out(self):
        s = self.start()
        line = next(l for l in s.banner + [s.proc.stdout.readline()] if "one-time password" in l)
        one_time = line.split()[-1]
        b = Browser(s.port)
        self.assertEqual(b.request("GET", "/")[0], 303)
        _, _, page = b.request("GET", "/login")
        status, _, page = b.request("POST", "/login", {"csrf": csrf_of(page), "name": "admin", "password": "wrong-password-1"})
        self.assertEqual(status, 401)
        self.assertIn("Wrong name or password", page)
        self.assertNotIn("sg_session", b.cookies)
        status, headers, _ = b.request("POST", "/login", {"csrf": csrf_of(page), "name": "admin", "password": one_time})
        self.assertEqual((status, headers["Location"]), (303, "/account/password"))
        session_cookie = [c for c in b.set_cookie_headers if c.startswith("sg_session=")][0]
        for attr in ("HttpOnly", "SameSite=Strict", "Path=/"):
            self.assertIn(attr, session_cookie)
        self.assertNotIn("Secure", session_cookie)  # plain HTTP here; Secure under TLS
        # Until the one-time password is changed, the session opens nothing.
        status, _, body = b.request("GET", "/api/v1/reports")
        self.assertEqual(status, 403, body)
        self.assertEqual(b.request("GET", "/")[1].get("Location"), "/account/password")
        _, _, page = b.request("GET", "/account/password")
        status, _, page2 = b.request("POST", "/account/password", {"csrf": csrf_of(page), "current": one_time,
                                                                   "new_password": "short", "confirm": "short"})
        self.assertEqual(status, 400)
        status, headers, _ = b.request("POST", "/account/password", {"csrf": csrf_of(page), "current": one_time,
                                                                     "new_password": "a-long-new-password",
                                                                     "confirm": "a-long-new-password"})
        self.assertEqual((status, headers["Location"]), (303, "/"))
        status, _, body = b.request("GET", "/api/v1/reports")
        self.assertEqual(status, 200, body)
        status, _, page = b.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertIn("id=user>admin<", page)
        # Sign out: the session ends in the database, not just in the browser.
        old_session = b.cookies["sg_session"]
        status, headers, _ = b.request("POST", "/logout", {"csrf": csrf_of(page)})
        self.assertEqual((status, headers["Location"]), (303, "/login"))
        self.assertNotIn("sg_session", b.cookies)
        replay = Browser(s.port)
        replay.cookies["sg_session"] = old_session
        self.assertEqual(replay.request("GET", "/api/v1/reports")[0], 401)
        # The one-time password no longer works.
        _, _, page = b.request("GET", "/login")
        self.assertEqual(b.request("POST", "/login", {"csrf": csrf_of(page), "name": "admin", "password": one_time})[0], 401)
        s.stop()
        log = cli("audit", "verify", data=self.data, db=self.db)
        self.assertEqual(log.returncode, 0, log.stdout + log.stderr)

    def test_json_sign_in_for_api_clients(self):
        s = self.start()
        import subprocess
        cmd = [serve_test.BIN, "users", "add", "--role", "analyst", "--password-stdin", "ana2", "--data", self.data]
        if self.db:
            cmd += ["--db", self.db]
        r = subprocess.run(cmd, input="analyst-password-1\n", capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        b = Browser(s.port)
        # A cross-site form cannot send JSON: anything else is refused.
        status, _, _ = b.request("POST", "/api/v1/session", {"name": "ana2", "password": "analyst-password-1"})
        self.assertEqual(status, 415)
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("POST", "/api/v1/session", body=json.dumps({"name": "ana2", "password": "analyst-password-1"}),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        body = json.loads(resp.read())
        self.assertEqual(resp.status, 200, body)
        self.assertEqual(body, {"user": "ana2", "role": "analyst", "must_change_password": False})
        cookie = resp.getheader("Set-Cookie").split(";")[0]
        conn.request("GET", "/api/v1/reports", headers={"Cookie": cookie})
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 200)
        conn.request("POST", "/api/v1/session", body=json.dumps({"name": "ana2", "password": "nope-nope-nope"}),
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 401)
        conn.request("DELETE", "/api/v1/session", headers={"Cookie": cookie})
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 204)
        conn.request("GET", "/api/v1/reports", headers={"Cookie": cookie})
        resp = conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 401)
        conn.close()


if __name__ == "__main__":
    unittest.main()
