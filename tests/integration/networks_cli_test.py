#!/usr/bin/env python3
"""End-to-end tests of `safeguard networks`: reports imported, persons
resolved by `safeguard link`, networks listed and exported. A hand-made set
with known networks (exact assertions), and a small generated set
(bench/linking/gen_reports.py) whose planted networks must come back whole.
All data synthetic: example.com emails, made-up screen names."""
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")
SOURCE = os.environ.get("SG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
GEN = os.path.join(SOURCE, "bench", "linking", "gen_reports.py")
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_test import Server, token  # noqa: E402  (the serve tests' server and token helpers)


def run(*args, data=None):
    cmd = [BIN, *args]
    if data is not None:
        cmd += ["--data", data]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def person(name, age=None):
    p = {"emails": [f"{name}@example.com"], "screen_names": [name]}
    if age is not None:
        p["approximate_age"] = age
    return p


def report(reported, victims=(), **extra):
    r = {"source": "industry", "incident_type": "online_enticement", "platform": "ExampleChat",
         "incident_time": "2026-11-01T10:00:00Z", "summary": "synthetic report",
         "reported_people": list(reported), **extra}
    if victims:
        r["victims"] = list(victims)
    return r


class NetworksCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-networks-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def load(self, reports):
        path = os.path.join(self.tmp, "reports.ndjson")
        with open(path, "w") as f:
            for r in reports:
                f.write(json.dumps(r) + "\n")
        r = run("import", path, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("link", data=self.data)  # a full rebuild, after intake linked each report
        self.assertEqual(r.returncode, 0, r.stderr)

    def person_of(self, report_id, role, index):
        with sqlite3.connect(os.path.join(self.data, "safeguard.db")) as c:
            return c.execute("SELECT person_id FROM report_persons WHERE report_id = ? AND role = ? "
                             "AND person_index = ?", (report_id, role, index)).fetchone()[0]

    def networks(self, *extra):
        r = run("networks", "--json", "--now", "2026-11-29T00:00:00Z", *extra, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [json.loads(l) for l in r.stdout.splitlines()]

    def test_known_networks_ranked_with_reasons_and_exports(self):
        self.load([
            report([person("alder_one")], [person("child_a", 9)]),                        # 1
            report([person("birch_two")], [person("child_a")], immediate_danger=True),    # 2: shares child_a
            report([person("Alder_One")], [person("child_b", 12)]),                       # 3: alder again
            report([person("cedar_three")], [person("child_c", 15)]),                     # 4: a pair of its own
            report([person("dogwood_alone")]),                                            # 5: nobody else
            report([person("elm_five"), person("fir_six")]),                              # 6: two in contact
        ])
        alder, birch, child_a = self.person_of(1, "reported", 0), self.person_of(2, "reported", 0), \
            self.person_of(1, "victim", 0)
        self.assertEqual(self.person_of(3, "reported", 0), alder, "one person under two spellings")
        child_b, cedar, child_c = self.person_of(3, "victim", 0), self.person_of(4, "reported", 0), \
            self.person_of(4, "victim", 0)
        elm, fir = self.person_of(6, "reported", 0), self.person_of(6, "reported", 1)

        nets = self.networks()
        for n in nets:
            for key in ("id", "person_ids", "risk", "reasons"):
                self.assertIn(key, n)
            self.assertEqual(sum(r["points"] for r in n["reasons"]), n["risk"])
            self.assertEqual(n["id"], min(n["person_ids"]))
        by_members = {tuple(n["person_ids"]): n for n in nets}
        self.assertEqual(set(by_members), {tuple(sorted([alder, birch, child_a, child_b])),
                                           tuple(sorted([cedar, child_c])), tuple(sorted([elm, fir]))})
        self.assertEqual([n["risk"] for n in nets], sorted((n["risk"] for n in nets), reverse=True))
        top = nets[0]
        self.assertEqual(top["person_ids"], sorted([alder, birch, child_a, child_b]))
        reasons = {r["key"]: r for r in top["reasons"]}
        self.assertEqual(reasons["child_victims"]["value"], 2)
        self.assertEqual(reasons["youngest_victim_age"]["value"], 9)
        self.assertEqual(reasons["immediate_danger"]["points"], 60)
        self.assertEqual(reasons["recency"]["value"], 27)  # 27.6 days, whole days counted

        # One network: its GraphML parses and holds its persons and evidence.
        graphml = os.path.join(self.tmp, "top.graphml")
        csv_dir = os.path.join(self.tmp, "csv")
        one = self.networks("--network", str(top["id"]), "--graphml", graphml, "--csv", csv_dir)
        self.assertEqual([n["id"] for n in one], [top["id"]])
        root = ET.parse(graphml).getroot()
        nodes = {n.get("id") for n in root.iter(GRAPHML + "node")}
        self.assertEqual(nodes, {f"p{i}" for i in top["person_ids"]})
        kinds = {}
        for e in root.iter(GRAPHML + "edge"):
            data = {d.get("key"): d.text for d in e.iter(GRAPHML + "data")}
            kinds[(e.get("source"), e.get("target"), data["kind"])] = data
        shared = kinds[(f"p{min(alder, birch)}", f"p{max(alder, birch)}", "shared_victim")]
        self.assertEqual(shared["via"], str(child_a))
        self.assertEqual(shared["report_ids"], "1 2")
        with open(os.path.join(csv_dir, "edges.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertIn({"Source": str(min(alder, child_b)), "Target": str(max(alder, child_b)),
                       "Kind": "offender_victim", "ReportIds": "3"},
                      [{k: r[k] for k in ("Source", "Target", "Kind", "ReportIds")} for r in rows])
        with open(os.path.join(csv_dir, "nodes.csv"), newline="") as f:
            self.assertEqual(sorted(int(r["Id"]) for r in csv.DictReader(f)), top["person_ids"])

        r = run("networks", "--network", "999999", data=self.data)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no such network", r.stderr)
        with sqlite3.connect(os.path.join(self.data, "safeguard.db")) as c:
            actions = [a for (a,) in c.execute("SELECT action FROM audit_log WHERE object_type = 'network'")]
        self.assertIn("network.read", actions)
        self.assertIn("network.export", actions)

    def test_http_api_lists_shows_and_exports_for_analysts_only(self):
        self.load([
            report([person("alder_one")], [person("child_a", 9)]),
            report([person("birch_two")], [person("child_a")]),
            report([person("cedar_three")], [person("child_c", 15)], immediate_danger=True),
        ])
        cli_nets = self.networks()
        self.server = s = Server(self.data)
        try:
            analyst, reporter = token(self.data, "analyst", "desk"), token(self.data, "reporter", "acme")
            self.assertEqual(s.request("GET", "/api/v1/networks")[0], 401)
            self.assertEqual(s.request("GET", "/api/v1/networks", token=reporter)[0], 403)
            self.assertEqual(s.request("GET", f"/api/v1/networks/{cli_nets[0]['id']}", token=reporter)[0], 403)
            status, body = s.request("GET", "/api/v1/networks", token=analyst)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["total"], 2)
            self.assertEqual([n["person_ids"] for n in body["networks"]], [n["person_ids"] for n in cli_nets])
            self.assertEqual(s.request("GET", "/api/v1/networks?limit=1&offset=1", token=analyst)[1]["networks"][0]["id"],
                             cli_nets[1]["id"])
            self.assertEqual(s.request("GET", "/api/v1/networks?limit=0", token=analyst)[0], 400)

            big = next(n for n in cli_nets if len(n["person_ids"]) == 3)
            status, detail = s.request("GET", f"/api/v1/networks/{big['id']}", token=analyst)
            self.assertEqual(status, 200, detail)
            self.assertEqual(sorted(n["id"] for n in detail["nodes"]), big["person_ids"])
            kinds = sorted(e["kind"] for e in detail["edges"])
            self.assertEqual(kinds, ["offender_victim", "offender_victim", "shared_victim"])
            for e in detail["edges"]:
                self.assertTrue(e["report_ids"], e)

            status, text = s.request("GET", f"/api/v1/networks/{big['id']}.graphml", token=analyst)
            self.assertEqual(status, 200)
            root = ET.fromstring(text)
            self.assertEqual(len(list(root.iter(GRAPHML + "edge"))), 3)
            status, text = s.request("GET", f"/api/v1/networks/{big['id']}?format=edges.csv", token=analyst)
            self.assertEqual(status, 200)
            self.assertEqual(len(list(csv.DictReader(text.splitlines()))), 3)
            self.assertEqual(s.request("GET", f"/api/v1/networks/{big['id']}?format=pdf", token=analyst)[0], 400)
            self.assertEqual(s.request("GET", "/api/v1/networks/999999", token=analyst)[0], 404)
        finally:
            s.stop()
        with sqlite3.connect(os.path.join(self.data, "safeguard.db")) as c:
            reads = c.execute("SELECT actor, object_id FROM audit_log WHERE action = 'network.read' "
                              "AND actor = 'token:desk'").fetchall()
        self.assertIn(("token:desk", "*"), reads)
        self.assertIn(("token:desk", str(big["id"])), reads)
        self.assertFalse(any(a == "token:acme" for a, _ in reads))

    def test_chat_edges_in_the_cli_and_the_api(self):
        """A report's chat[] between an adult and a child on a known platform links
        them (offender_victim with the chat as evidence), in `networks` and in the
        API; the same chat on a report with no platform (an any_platform lead)
        links nobody."""
        def chat(adult, child):
            return [{"time": "2026-11-01T20:00:00Z", "author": adult, "text": "how old are you?"},
                    {"time": "2026-11-01T20:01:00Z", "author": child, "text": "im 13"},
                    {"time": "2026-11-01T20:02:00Z", "author": adult, "text": "dont tell anyone we talk ok"},
                    {"time": "2026-11-01T20:03:00Z", "author": adult, "text": "add me on another app, its private"}]
        no_platform = report([person("elm_ten")], chat=chat("elm_ten", "pine_kid"))
        del no_platform["platform"]
        self.load([
            report([person("oak_eight")], [person("pine_kid")]),         # 1: pine_kid, a victim of no known age
            report([person("maple_seven")], chat=chat("maple_seven", "pine_kid")),  # 2: names only maple
            no_platform,                                                 # 3
        ])
        oak, pine, maple, elm = (self.person_of(1, "reported", 0), self.person_of(1, "victim", 0),
                                 self.person_of(2, "reported", 0), self.person_of(3, "reported", 0))
        with sqlite3.connect(os.path.join(self.data, "safeguard.db")) as c:
            (log_id,) = c.execute("SELECT id FROM chat_logs WHERE report_id = 2").fetchone()
        nets = self.networks()
        self.assertEqual([n["person_ids"] for n in nets], [sorted([oak, pine, maple])])
        self.assertNotIn(elm, nets[0]["person_ids"])
        top = nets[0]
        self.assertEqual({r["key"]: r["value"] for r in top["reasons"]}["youngest_victim_age"], 13)

        csv_dir = os.path.join(self.tmp, "csv")
        self.networks("--csv", csv_dir)
        with open(os.path.join(csv_dir, "edges.csv"), newline="") as f:
            edges = {(int(r["Source"]), int(r["Target"]), r["Kind"]): r for r in csv.DictReader(f)}
        ov = edges[(min(maple, pine), max(maple, pine), "offender_victim")]
        self.assertEqual((ov["Offender"], ov["ReportIds"], ov["ReportCount"], ov["ChatCount"]), (str(maple), "", "0", "1"))
        evidence = json.loads(ov["ChatEvidence"])
        self.assertEqual(len(evidence), 1)
        self.assertEqual((evidence[0]["chat_log_id"], evidence[0]["conversation"]), (log_id, "chat"))
        self.assertIn(2, evidence[0]["lines"])  # "im 13"
        self.assertEqual(edges[(min(oak, maple), max(oak, maple), "shared_victim")]["ChatCount"], "1")
        self.assertEqual(edges[(min(oak, pine), max(oak, pine), "offender_victim")]["ChatEvidence"], "")

        self.server = s = Server(self.data)
        try:
            analyst = token(self.data, "analyst", "desk")
            status, detail = s.request("GET", f"/api/v1/networks/{top['id']}", token=analyst)
            self.assertEqual(status, 200, detail)
            edge = next(e for e in detail["edges"] if e["kind"] == "offender_victim" and e["offender"] == maple)
            self.assertEqual((edge["report_ids"], edge["chat_count"]), ([], 1))
            self.assertEqual(edge["chat_evidence"], evidence)
            for e in detail["edges"]:
                self.assertTrue(e["report_ids"] or e["chat_evidence"], e)
            status, text = s.request("GET", f"/api/v1/networks/{top['id']}.graphml", token=analyst)
            self.assertEqual(status, 200)
            chat_edges = [e for e in ET.fromstring(text).iter(GRAPHML + "edge")
                          if any(d.get("key") == "chat_evidence" for d in e.iter(GRAPHML + "data"))]
            self.assertEqual(len(chat_edges), 2)  # maple-pine and the shared victim
        finally:
            s.stop()

    def test_generated_networks_come_back_whole(self):
        gen = os.path.join(self.tmp, "gen")
        subprocess.run([sys.executable, GEN, "--reports", "400", "--out", gen, "--seed", "5"], check=True)
        r = run("lists", "import", "--name", "gen", "--format", "csv", "--scheme", "uk",
                os.path.join(gen, "list.csv"), data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(gen, "reports.ndjson")) as f:
            self.load([json.loads(l) for l in f])
        truth = {}
        with open(os.path.join(gen, "truth_persons.ndjson")) as f:
            for l in f:
                o = json.loads(l)
                truth[o["person"]] = o["network"]
        planted = {}  # truth network -> system persons
        with open(os.path.join(gen, "truth_reports.ndjson")) as f:
            for l in f:
                o = json.loads(l)
                for role, key in (("reported", "reported"), ("victim", "victims")):
                    for i, p in enumerate(o[key]):
                        if truth[p] and truth[p].startswith("n"):
                            planted.setdefault(truth[p], set()).add(self.person_of(o["line"], role, i))
        nets = self.networks()
        network_of = {p: n["id"] for n in nets for p in n["person_ids"]}
        self.assertGreater(len(planted), 3)
        for label, members in planted.items():
            self.assertEqual(len({network_of.get(p) for p in members}), 1, f"planted network {label} split")
        # Planted networks share a known-material series and category A files.
        keys = {r["key"]: r for n in nets for r in n["reasons"] if r["points"] > 0}
        self.assertIn("category_a", keys)


if __name__ == "__main__":
    unittest.main()
