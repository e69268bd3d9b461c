#!/usr/bin/env python3
"""End-to-end tests of linking: `safeguard import` links each report as it is
stored, `safeguard persons --json` lists the people, `safeguard link` rebuilds
them from all reports (the same people), and an analyst's merge and split
through `safeguard persons merge|split` survive a rebuild. All data are
synthetic: example.com emails, UK drama numbers, documentation IPs."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")


def run(*args, data):
    return subprocess.run([BIN, *args, "--data", data], capture_output=True, text=True, timeout=300)


def report(n, reported=(), victims=(), platform="instagram"):
    return {"source": "industry", "incident_type": "online_enticement", "platform": platform,
            "summary": f"synthetic report {n}", "reported_people": list(reported), "victims": list(victims)}


# Offender one under four spellings across three reports; offender two
# elsewhere; two victims, one of them in two reports.
REPORTS = [
    report(1, [{"emails": ["Sam.Jones+kik@GoogleMail.com"], "phones": ["07700 900123"]}],
           [{"screen_names": ["@Child_One"]}]),
    report(2, [{"phones": ["+44 (0)7700-900-123"], "screen_names": ["@Sam_J"]}],
           [{"screen_names": ["child_one"]}]),
    report(3, [{"screen_names": ["SAM_J"], "display_names": ["Sam"]}], [{"display_names": ["Child Two"]}]),
    report(4, [{"emails": ["other.person@example.org"],
                "ip_events": [{"ip": "192.0.2.44", "port": 5555, "time": "2026-11-01T10:00:00Z"}]}]),
    report(5, [{"device_ids": ["49-015420-323751-8"], "emails": ["other.person@example.org"]}]),
]


class LinkCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-link-")
        self.data = os.path.join(self.tmp, "data")
        path = os.path.join(self.tmp, "reports.ndjson")
        with open(path, "w") as f:
            for r in REPORTS:
                f.write(json.dumps(r) + "\n")
        out = run("import", path, data=self.data)
        self.assertEqual(out.returncode, 0, out.stderr)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def persons(self):
        out = run("persons", "--json", data=self.data)
        self.assertEqual(out.returncode, 0, out.stderr)
        people = [json.loads(line) for line in out.stdout.splitlines()]
        for p in people:
            self.assertEqual(set(p), {"id", "identifiers", "report_ids", "roles"})
        return people

    def shape(self, people):
        """People as (report_ids, roles, identifiers), independent of ids."""
        return sorted((tuple(p["report_ids"]), tuple(p["roles"]), tuple(p["identifiers"])) for p in people)

    def holder(self, people, identifier):
        found = [p for p in people if identifier in p["identifiers"]]
        self.assertEqual(len(found), 1, f"{identifier} in {found}")
        return found[0]

    def test_import_links_and_persons_lists_people(self):
        people = self.persons()
        sam = self.holder(people, "email:samjones@gmail.com")
        self.assertEqual(sam["report_ids"], [1, 2, 3])
        self.assertEqual(sam["roles"], ["reported"])
        for ident in ("phone:+447700900123", "screen_name:instagram:sam_j", "display_name:sam"):
            self.assertIn(ident, sam["identifiers"])
        other = self.holder(people, "device_id:imei:490154203237518")
        self.assertEqual(other["report_ids"], [4, 5])
        self.assertIn("ip:192.0.2.44", other["identifiers"])
        child = self.holder(people, "screen_name:instagram:child_one")
        self.assertEqual((child["report_ids"], child["roles"]), ([1, 2], ["victim"]))
        self.assertEqual(len(people), 4)  # Sam, the other offender, two children
        table = run("persons", data=self.data)
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("IDENTIFIERS", table.stdout)
        self.assertIn("email:samjones@gmail.com", table.stdout)

    def test_rebuild_gives_the_same_people(self):
        before = self.persons()
        out = run("link", data=self.data)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("linked 5 reports", out.stdout)
        after = self.persons()
        self.assertEqual(self.shape(after), self.shape(before))
        self.assertEqual(sorted(p["id"] for p in after), sorted(p["id"] for p in before))  # ids kept

    def test_merge_and_split_survive_a_rebuild(self):
        people = self.persons()
        sam = self.holder(people, "email:samjones@gmail.com")
        other = self.holder(people, "email:other.person@example.org")
        out = run("persons", "merge", str(sam["id"]), str(other["id"]), data=self.data)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(run("link", data=self.data).returncode, 0)
        merged = self.holder(self.persons(), "email:samjones@gmail.com")
        self.assertEqual(merged["report_ids"], [1, 2, 3, 4, 5])

        out = run("persons", "split", str(merged["id"]), "--identifier", "device_id:49015420323751",
                  "--identifier", "email:Other.Person@example.org", data=self.data)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(run("link", data=self.data).returncode, 0)
        people = self.persons()
        self.assertEqual(self.holder(people, "email:samjones@gmail.com")["report_ids"], [1, 2, 3])
        self.assertEqual(self.holder(people, "device_id:imei:490154203237518")["report_ids"], [4, 5])

        bad = run("persons", "merge", "999", str(merged["id"]), data=self.data)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("no person 999", bad.stderr)


if __name__ == "__main__":
    unittest.main()
