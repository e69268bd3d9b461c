#!/usr/bin/env python3
"""End-to-end tests of the persons API of `safeguard serve` (SQLite): reports
posted through the API are linked at once; GET /api/v1/persons/{id} and GET
/api/v1/identifiers?value=... answer analysts and refuse reporters; merge,
split and candidate decisions; chat logs attached to a report or a case,
their analysis, its authors joined to the linked persons and their
networks, and the chat-log upload limit. Synthetic, non-explicit data
only."""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_test import BIN, Server, token  # noqa: E402


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


    def test_chat_logs_and_their_authors_joined_to_persons(self):
        reporter = token(self.data, "reporter", "acme")
        analyst = token(self.data, "analyst", "desk")
        s = self.server = Server(self.data)
        # A report whose chat[] is between the reported person and the victim.
        body = report(0, {"screen_names": ["@Harbour_Fox"], "emails": ["fox.lane@example.com"]})
        body["victims"] = [{"screen_names": ["sky_walker12"], "approximate_age": 12}]
        body["chat"] = [
            {"time": "2026-11-01T20:00:00Z", "author": "Harbour_Fox", "text": "how old are you?"},
            {"time": "2026-11-01T20:01:00Z", "author": "sky_walker12", "text": "im 12, year 7"},
            {"time": "2026-11-01T20:02:00Z", "author": "Harbour_Fox", "text": "dont tell your parents we talk ok"},
            {"time": "2026-11-01T20:03:00Z", "author": "Harbour_Fox", "text": "add me on another app, its private"},
        ]
        status, made = s.request("POST", "/api/v1/reports", body, token=reporter)
        self.assertEqual(status, 201, made)
        rid = made["id"]
        status, logs = s.request("GET", f"/api/v1/reports/{rid}/chat-logs", token=analyst)
        self.assertEqual(status, 200, logs)
        self.assertEqual(len(logs["chat_logs"]), 1)
        log = logs["chat_logs"][0]
        self.assertEqual((log["report_id"], log["format"], log["messages"]), (rid, "report", 4))
        authors = {a["author"]: a for a in log["analysis"]["authors"]}
        status, fox = s.request("GET", "/api/v1/identifiers?value=fox.lane%40example.com", token=analyst)
        self.assertEqual(status, 200, fox)
        fox_id = fox["persons"][0]["id"]
        # The report's platform is the conversation's: the join is by platform.
        self.assertEqual(authors["Harbour_Fox"]["person_ids"], [fox_id])
        self.assertEqual(authors["Harbour_Fox"]["person_match"], "platform")
        self.assertEqual(len(authors["sky_walker12"]["person_ids"]), 1)
        self.assertNotEqual(authors["sky_walker12"]["person_ids"], [fox_id])
        self.assertEqual(authors["sky_walker12"]["estimated_age"], 12)
        self.assertIn("sky_walker12", authors["Harbour_Fox"]["minors"])
        # Each author's persons' networks, from the networks the API lists.
        sky_id = authors["sky_walker12"]["person_ids"][0]
        status, nets = s.request("GET", "/api/v1/networks", token=analyst)
        self.assertEqual(status, 200, nets)
        self.assertEqual([n["person_ids"] for n in nets["networks"]], [sorted([fox_id, sky_id])])
        fox_net = nets["networks"][0]["id"]
        self.assertEqual(authors["Harbour_Fox"]["network_ids"], [fox_net])
        self.assertEqual(authors["sky_walker12"]["network_ids"], [fox_net])
        # Scores are plain JSON numbers ("2.5"), never Boost's exponent form ("2.5E0").
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("GET", f"/api/v1/chat-logs/{log['id']}", headers={"Authorization": "Bearer " + analyst})
        text = conn.getresponse().read().decode()
        conn.close()
        self.assertRegex(text, r'"score":-?[0-9]')
        self.assertNotRegex(text, r'[0-9]E[-+]?[0-9]')

        # A log uploaded for a case. c1 names its platform: joined by it. c2
        # names none: the name is looked up on every known platform (as
        # /identifiers?value= does) and the answer says so.
        owl = report(1, {"screen_names": ["Night_Owl"]})
        owl["platform"] = "Instagram"
        status, made = s.request("POST", "/api/v1/reports", owl, token=reporter)
        self.assertEqual(status, 201, made)
        status, found = s.request("GET", "/api/v1/identifiers?value=screen_name:instagram:night_owl", token=analyst)
        self.assertEqual(status, 200, found)
        owl_id = found["persons"][0]["id"]
        # A child on Instagram whom a report names as a victim of someone else.
        crow = report(2, {"screen_names": ["Stone_Crow"]})
        crow["platform"] = "Instagram"
        crow["victims"] = [{"screen_names": ["lake_kid"]}]
        status, made = s.request("POST", "/api/v1/reports", crow, token=reporter)
        self.assertEqual(status, 201, made)
        lines = "\n".join(json.dumps(m) for m in [
            {"conversation": "c1", "platform": "ExampleChat", "author": "harbour_fox", "time": "2026-11-02T10:00:00Z",
             "text": "hi, how old are you"},
            {"conversation": "c1", "platform": "ExampleChat", "author": "river_kid", "time": "2026-11-02T10:01:00Z",
             "text": "13"},
            {"conversation": "c2", "author": "night_owl", "time": "2026-11-02T11:00:00Z", "text": "keep this secret"},
            {"conversation": "c2", "author": "river_kid", "time": "2026-11-02T11:01:00Z", "text": "ok"},
            {"conversation": "c3", "platform": "Instagram", "author": "night_owl", "time": "2026-11-02T12:00:00Z",
             "text": "how old are you"},
            {"conversation": "c3", "platform": "Instagram", "author": "lake_kid", "time": "2026-11-02T12:01:00Z",
             "text": "im 13"},
        ]) + "\n"
        status, up = s.request("POST", "/api/v1/chat-logs?case=OP-7&name=seized.jsonl&format=jsonl", raw=lines,
                               token=analyst, headers={"Content-Type": "application/x-ndjson"})
        self.assertEqual(status, 201, up)
        self.assertEqual((up["case_ref"], up["conversations"], up["messages"]), ("OP-7", 3, 6))
        authors = {a["author"]: a for a in up["analysis"]["authors"]}
        self.assertEqual((authors["harbour_fox"]["person_ids"], authors["harbour_fox"]["person_match"]),
                         ([fox_id], "platform"))
        self.assertEqual((authors["night_owl"]["person_ids"], authors["night_owl"]["person_match"]),
                         ([owl_id], "any_platform"))
        self.assertEqual((authors["river_kid"]["person_ids"], authors["river_kid"]["person_match"]),
                         ([], "any_platform"))
        # c3 (Instagram: a platform match) links night_owl to lake_kid, who
        # disclosed 13, and so to Stone_Crow's network; the answer, made after
        # the log is stored, already names it. c2 (no platform) links nobody.
        status, nets = s.request("GET", "/api/v1/networks", token=analyst)
        by_member = {p: n["id"] for n in nets["networks"] for p in n["person_ids"]}
        self.assertIn(owl_id, by_member)
        crow_net = by_member[owl_id]
        lake_id = authors["lake_kid"]["person_ids"][0]
        self.assertEqual(by_member[lake_id], crow_net)
        self.assertEqual(authors["night_owl"]["network_ids"], [crow_net])
        self.assertEqual(authors["lake_kid"]["network_ids"], [crow_net])
        self.assertEqual(authors["harbour_fox"]["network_ids"], [fox_net])
        self.assertEqual(authors["river_kid"]["network_ids"], [])
        self.assertNotIn(crow_net, authors["harbour_fox"]["network_ids"])
        status, detail = s.request("GET", f"/api/v1/networks/{crow_net}", token=analyst)
        edge = next(e for e in detail["edges"] if e["kind"] == "offender_victim" and e["offender"] == owl_id)
        self.assertEqual([(c["chat_log_id"], c["conversation"]) for c in edge["chat_evidence"]], [(up["id"], "c3")])
        status, read = s.request("GET", f"/api/v1/chat-logs/{up['id']}", token=analyst)
        self.assertEqual(status, 200, read)
        self.assertEqual({a["author"]: a["network_ids"] for a in read["analysis"]["authors"]},
                         {a["author"]: a["network_ids"] for a in up["analysis"]["authors"]})
        self.assertNotIn("text", json.dumps(read["analysis"]["conversations"][0]["indicators"]))  # redacted
        status, shown = s.request("GET", f"/api/v1/chat-logs/{up['id']}?reveal=true", token=analyst)
        self.assertEqual(status, 200, shown)
        self.assertIn("text", shown["analysis"]["conversations"][0]["indicators"][0])
        self.assertEqual(s.request("GET", f"/api/v1/chat-logs/{up['id']}", token=reporter)[0], 403)
        self.assertEqual(s.request("GET", f"/api/v1/chat-logs/{up['id']}?reveal=maybe", token=analyst)[0], 400)
        status, bad = s.request("POST", "/api/v1/chat-logs?case=OP-7&format=jsonl", raw="{not json\n",
                                token=analyst)
        self.assertEqual(status, 400, bad)


    def test_chat_log_uploads_may_be_larger_than_other_requests(self):
        analyst = token(self.data, "analyst", "desk")
        reporter = token(self.data, "reporter", "acme")
        # A generated log of everyday chatter between made-up accounts, over 1 MB.
        chatter = ["did you finish the maths homework", "see you at practice tomorrow",
                   "the bus was late again today", "what time does the match start"]
        records = []
        for i in range(16000):
            records.append(json.dumps({"conversation": f"c{i // 40}", "platform": "ExampleChat",
                                       "author": f"user_{i % 2}_{i // 40}", "time": "2026-11-02T10:00:00Z",
                                       "text": chatter[i % 4] + f" ({i})"}))
        big = "\n".join(records) + "\n"
        self.assertGreater(len(big), 1 << 20)
        self.assertLess(len(big), 64 << 20)
        s = self.server = Server(self.data)
        status, up = s.request("POST", "/api/v1/chat-logs?case=OP-9&name=device.jsonl", raw=big, token=analyst,
                               headers={"Content-Type": "application/x-ndjson"})
        self.assertEqual(status, 201, up if status != 201 else "")
        self.assertEqual((up["conversations"], up["messages"]), (400, 16000))
        # Every other route keeps the 1 MiB limit, and so does an upload by
        # anyone who may not attach a log (not signed in, a reporter): they
        # cannot make the server hold 64 MiB.
        self.assertEqual(s.request("POST", "/api/v1/reports", raw=big, token=analyst)[0], 413)
        self.assertEqual(s.request("POST", "/api/v1/chat-logs?case=OP-9", raw=big)[0], 413)
        self.assertEqual(s.request("POST", "/api/v1/chat-logs?case=OP-9", raw=big, token=reporter)[0], 413)
        self.assertEqual(s.request("POST", "/api/v1/chat-logs?case=OP-9", raw="{}\n")[0], 401)
        # Over the chat-log limit (64 MiB by default): 413 and a clear JSON error.
        status, err = s.request("POST", "/api/v1/chat-logs?case=OP-9&name=huge.jsonl", raw="x" * ((64 << 20) + 1),
                                token=analyst)
        self.assertEqual(status, 413)
        self.assertEqual(err["error"]["path"], "(body)")
        self.assertIn("67108864 bytes", err["error"]["message"])
        self.assertIn("--max-chat-log-bytes", err["error"]["message"])
        self.assertEqual(s.stop()[0], 0)

        # The limit is the server's option.
        s = self.server = Server(self.data, extra_args=["--max-chat-log-bytes", str(1 << 20)])
        status, err = s.request("POST", f"/api/v1/reports/1/chat-logs?name=device.jsonl", raw=big, token=analyst)
        self.assertEqual(status, 413, err)
        self.assertIn("1048576 bytes", err["error"]["message"])
        self.assertEqual(s.stop()[0], 0)
        r = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True, timeout=30)
        self.assertIn("--max-chat-log-bytes", r.stdout)


if __name__ == "__main__":
    unittest.main()
