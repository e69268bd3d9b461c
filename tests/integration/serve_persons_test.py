#!/usr/bin/env python3
"""End-to-end tests of the persons API of `safeguard serve` (SQLite): reports
posted through the API are linked at once; GET /api/v1/persons/{id} and GET
/api/v1/identifiers?value=... answer analysts and refuse reporters; merge,
split and candidate decisions. Synthetic data only."""
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_test import Server, token  # noqa: E402


def report(n, person):
    return {"source": "industry", "incident_type": "online_enticement", "platform": "ExampleChat",
            "summary": f"synthetic report {n}", "reported_people": [person]}


class ServePersonsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-serve-persons-")
        self.data = os.path.join(self.tmp, "data")
        self.server = None

    def tearDown(self):
        if self.server and self.server.proc.poll() is None:
            self.server.kill()
        shutil.rmtree(self.tmp)

    def test_persons_and_identifier_search(self):
        reporter = token(self.data, "reporter", "acme")
        analyst = token(self.data, "analyst", "desk")
        s = self.server = Server(self.data)
        people = [{"emails": ["Pat.Lee@Example.com"], "phones": ["07700 900555"]},
                  {"phones": ["+44 7700 900555"], "display_names": ["Pat"],
                   "ip_events": [{"ip": "203.0.113.5", "port": 4000, "time": "2026-11-01T09:00:00Z"}]},
                  {"emails": ["someone.else@example.org"], "display_names": ["PAT"],
                   "ip_events": [{"ip": "203.0.113.5", "port": 4000, "time": "2026-11-01T09:05:00Z"}]}]
        ids = []
        for n, p in enumerate(people):
            status, body = s.request("POST", "/api/v1/reports", report(n, p), token=reporter)
            self.assertEqual(status, 201, body)
            ids.append(body["id"])

        status, found = s.request("GET", "/api/v1/identifiers?value=pat.lee%40example.com", token=analyst)
        self.assertEqual(status, 200, found)
        self.assertEqual(len(found["persons"]), 1)
        pat = found["persons"][0]
        self.assertEqual(pat["report_ids"], ids[:2])
        self.assertEqual(pat["roles"], ["reported"])
        status, same = s.request("GET", "/api/v1/identifiers?value=phone:%2B447700900555", token=analyst)
        self.assertEqual((status, [p["id"] for p in same["persons"]]), (200, [pat["id"]]))
        self.assertEqual(s.request("GET", "/api/v1/identifiers?value=", token=analyst)[0], 400)

        status, detail = s.request("GET", f"/api/v1/persons/{pat['id']}", token=analyst)
        self.assertEqual(status, 200, detail)
        links = {l["identifier"]: l["report_ids"] for l in detail["links"]}
        self.assertEqual(links, {"phone:+447700900555": ids[:2]})
        kinds = sorted(c["kind"] for c in detail["candidates"])
        self.assertEqual(kinds, ["display_name", "ip"])  # weak evidence proposes, never links

        self.assertEqual(s.request("GET", f"/api/v1/persons/{pat['id']}", token=reporter)[0], 403)
        self.assertEqual(s.request("GET", "/api/v1/identifiers?value=pat", token=reporter)[0], 403)
        self.assertEqual(s.request("GET", f"/api/v1/persons/{pat['id']}")[0], 401)
        self.assertEqual(s.request("GET", "/api/v1/persons/999999", token=analyst)[0], 404)

        ip = [c for c in detail["candidates"] if c["kind"] == "ip"][0]
        status, body = s.request("POST", f"/api/v1/candidates/{ip['id']}/confirm", token=analyst)
        self.assertEqual(status, 200, body)
        self.assertEqual(s.request("POST", f"/api/v1/candidates/{ip['id']}/reject", token=analyst)[0], 400)
        status, merged = s.request("GET", f"/api/v1/persons/{pat['id']}", token=analyst)
        self.assertEqual(merged["report_ids"], ids)

        status, body = s.request("POST", f"/api/v1/persons/{merged['id']}/split",
                                 {"identifiers": ["email:someone.else@example.org"]}, token=analyst)
        self.assertEqual(status, 201, body)
        status, after = s.request("GET", f"/api/v1/persons/{body['new_person_id']}", token=analyst)
        self.assertEqual(after["report_ids"], ids[2:])
        self.assertEqual(s.request("POST", f"/api/v1/persons/{merged['id']}/merge", {"with": "x"},
                                   token=analyst)[0], 400)
        self.assertEqual(s.request("POST", f"/api/v1/persons/{merged['id']}/merge", {"with": body["new_person_id"]},
                                   token=reporter)[0], 403)
        status, again = s.request("POST", f"/api/v1/persons/{merged['id']}/merge", {"with": body["new_person_id"]},
                                  token=analyst)
        self.assertEqual(status, 200, again)
        code, _ = s.stop()
        self.assertEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
