#!/usr/bin/env python3
"""End-to-end tests of `safeguard lists`, `safeguard match` and `safeguard scan`."""
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")
SHARED = os.environ.get("SG_SHARED_DIR", "../shared")
PDQ_ROOT = os.path.join(SHARED, "pdq", "images")
HASHLISTS = os.path.join(SHARED, "pdq", "hashlists")


def run(*args, data=None, stdin=None, env=None):
    cmd = [BIN, *args]
    if data is not None:
        cmd += ["--data", data]
    return subprocess.run(cmd, capture_output=True, text=True, input=stdin, timeout=300,
                          env={**os.environ, **(env or {})})


def flip(hex_hash, bits, seed=0):
    """Returns hex_hash with `bits` distinct bits flipped."""
    value = int(hex_hash, 16)
    for k in random.Random(seed).sample(range(256), bits):
        value ^= 1 << k
    return f"{value:064x}"


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class ListsTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-lists-")
        self.data = os.path.join(self.tmp, "data")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def read(self, path):
        with open(path) as f:
            return f.read()

    def ls(self):
        r = run("lists", "ls", "--json", data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        return {o["name"]: o for o in json_lines(r.stdout)}

    def import_list(self, name, fmt, path, *extra, ok=True):
        r = run("lists", "import", "--name", name, "--format", fmt, *extra, path, data=self.data)
        if ok:
            self.assertEqual(r.returncode, 0, r.stderr)
        return r


class ListsTest(ListsTestCase):
    MD5 = "0123456789abcdef0123456789abcdef"
    SHA1 = "0123456789abcdef0123456789abcdef01234567"
    PDQ = "f" * 64

    def test_every_import_format(self):
        files = {
            "vics13": ("vics", json.dumps({"odata.metadata": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/1.3.xml#Media",
                                           "value": [{"MediaID": 1, "Category": 1, "MD5": self.MD5.upper(), "SHA1": self.SHA1,
                                                      "Series": "S", "VictimIdentified": False}]})),
            "vics20": ("vics", json.dumps({"@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/CUSTOM/$metadata#Media",
                                           "value": [{"MediaID": 1, "Category": 2, "MD5": self.MD5}]}, indent=2)),
            "csv": ("csv", f"pdq,category,md5\n{self.PDQ},A,\n,B,{self.MD5}\n"),
            "te": ("te", f"pdq {self.PDQ}\n"),
            "hex": ("hex", f"{self.PDQ},some label\n"),
            "md5": ("md5", f"{self.MD5}\n"),
            "sha1": ("sha1", f"{self.SHA1}\n"),
            "sha256": ("sha256", f"{'a' * 64},x\n"),
        }
        for name, (fmt, text) in files.items():
            self.import_list(name, fmt, self.write(name + ".txt", text))
        lists = self.ls()
        self.assertEqual(set(lists), set(files))
        self.assertEqual(lists["vics13"]["scheme"], "vics")
        self.assertEqual(lists["csv"]["entries"], 2)
        self.assertEqual(lists["csv"]["pdq_entries"], 1)
        for key in ("name", "source", "scheme", "enabled", "entries", "removed", "pdq_entries", "created_at", "updated_at"):
            self.assertIn(key, lists["md5"])

    def test_malformed_input_names_file_and_line_and_adds_nothing(self):
        self.import_list("l", "md5", self.write("good.txt", f"{self.MD5}\n"))
        bad = self.write("bad.txt", f"{'1' * 32}\n{'2' * 32}\n\n{'3' * 31}\n")
        r = self.import_list("l", "md5", bad, ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{bad}:4: ", r.stderr)
        self.assertEqual(self.ls()["l"]["entries"], 1)
        r = self.import_list("new", "csv", self.write("bad.csv", f"md5,category\n{self.MD5},Z\n"), "--scheme", "uk", ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"bad\.csv:2: category 'Z'")
        self.assertNotIn("new", self.ls())
        r = self.import_list("v", "vics", self.write("bad.json", '{"value": [\n {"MD5": "nothex"}\n]}\n'), ok=False)
        self.assertRegex(r.stderr, r"bad\.json:2: value\[0\]\.MD5")
        r = self.import_list("v", "vics", os.path.join(self.tmp, "missing.json"), ok=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("missing.json", r.stderr)

    def test_reimport_adds_no_duplicates(self):
        path = self.write("l.csv", f"md5,pdq\n{self.MD5},\n,{self.PDQ}\n{self.MD5},\n")
        self.import_list("l", "csv", path)
        self.import_list("l", "csv", path)
        self.assertEqual(self.ls()["l"]["entries"], 2)

    def test_export_round_trips(self):
        self.import_list("src", "vics", self.write("v.json", json.dumps({"@odata.context": "x", "value": [
            {"MD5": self.MD5, "Category": 3, "Series": "S9", "VictimIdentified": True},
            {"SHA1": self.SHA1, "PDQ": self.PDQ, "Category": 1}]})))
        for fmt in ("vics", "csv"):
            r = run("lists", "export", "--name", "src", "--format", fmt, data=self.data)
            self.assertEqual(r.returncode, 0, r.stderr)
            if fmt == "vics":
                doc = json.loads(r.stdout)
                self.assertEqual(len(doc["value"]), 2)
                self.assertEqual(doc["value"][0]["Category"], 3)
            path = self.write("export." + fmt, r.stdout)
            self.import_list("copy-" + fmt, fmt, path, "--scheme", "vics")
            self.assertEqual(self.ls()["copy-" + fmt]["entries"], 2)
        out = os.path.join(self.tmp, "out.csv")
        r = run("lists", "export", "--name", "src", "--format", "csv", "-o", out, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.read(out).startswith("md5,sha1,sha256,pdq,category"))
        r = run("lists", "export", "--name", "nope", "--format", "csv", data=self.data)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nope", r.stderr)

    def test_remove_entries_disable_and_remove_list(self):
        near = flip(self.PDQ, 3)
        self.import_list("l", "hex", self.write("l.txt", f"{self.PDQ}\n{'0' * 64}\n"))
        self.assertEqual(len(json_lines(run("match", "--json", "--pdq", near, data=self.data).stdout)[0]["matches"]), 1)
        r = run("lists", "rm", "--name", "l", "--hash", self.PDQ, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.ls()["l"]["removed"], 1)
        self.assertEqual(json_lines(run("match", "--json", "--pdq", near, data=self.data).stdout)[0]["matches"], [])
        self.assertEqual(run("lists", "disable", "--name", "l", data=self.data).returncode, 0)
        self.assertFalse(self.ls()["l"]["enabled"])
        self.assertEqual(json_lines(run("match", "--json", "--pdq", "0" * 64, data=self.data).stdout)[0]["matches"], [])
        self.assertEqual(run("lists", "enable", "--name", "l", data=self.data).returncode, 0)
        self.assertEqual(len(json_lines(run("match", "--json", "--pdq", "0" * 64, data=self.data).stdout)[0]["matches"]), 1)
        self.assertEqual(run("lists", "rm", "--name", "l", data=self.data).returncode, 0)
        self.assertEqual(self.ls(), {})
        self.assertEqual(run("lists", "rm", "--name", "l", data=self.data).returncode, 1)

    def test_data_dir_from_environment(self):
        env_dir = os.path.join(self.tmp, "from-env")
        r = run("lists", "import", "--name", "e", "--format", "md5", self.write("e.txt", self.MD5 + "\n"),
                env={"SAFEGUARD_DATA": env_dir})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(os.path.join(env_dir, "safeguard.db")))

    def test_usage_errors(self):
        for args in (["lists"], ["lists", "import", "--name", "x", "--format", "xml", "f"],
                     ["lists", "import", "--format", "md5", "f"], ["match"], ["match", "--radius", "65", "--pdq", self.PDQ],
                     ["match", "--pdq", self.PDQ, "--stdin"]):
            r = run(*args, data=self.data)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertTrue(r.stderr.startswith("safeguard: "), r.stderr)


class MatchTest(ListsTestCase):
    def test_radius_order_and_recall(self):
        base = "%064x" % random.Random(5).getrandbits(256)
        lines = [f"{flip(base, d, seed=d)},d{d}" for d in range(0, 34)]
        self.import_list("planted", "hex", self.write("p.txt", "\n".join(lines) + "\n"))
        other = "%064x" % random.Random(6).getrandbits(256)
        r = run("match", "--json", "--pdq", base, "--pdq", other, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json_lines(r.stdout)
        self.assertEqual([o["query"] for o in out], [base, other])
        self.assertEqual([m["distance"] for m in out[0]["matches"]], list(range(0, 32)))
        self.assertTrue(all(m["list"] == "planted" for m in out[0]["matches"]))
        self.assertEqual(out[1]["matches"], [])
        r = run("match", "--json", "--radius", "10", "--stdin", data=self.data, stdin=f"{base}\n\n{flip(base, 2, 99)}\n")
        out = json_lines(r.stdout)
        self.assertEqual(len(out), 2)
        self.assertEqual(len(out[0]["matches"]), 11)
        self.assertEqual(set(out[0]["matches"][0]), {"list", "kind", "hash", "distance", "variant", "category", "series",
                                                     "victim_identified", "label"})

    def test_low_quality_is_reported_not_matched_and_bad_lines_exit_1(self):
        h = "ab" * 32
        self.import_list("l", "hex", self.write("l.txt", h + "\n"))
        r = run("match", "--json", "--stdin", data=self.data, stdin=f"{h},20\n{h} 90\nnot-a-hash\n")
        self.assertEqual(r.returncode, 1)
        out = json_lines(r.stdout)
        self.assertEqual(out[0]["matches"], [])
        self.assertIn("skipped", out[0])
        self.assertEqual(len(out[1]["matches"]), 1)
        self.assertIn("<stdin>:3:", out[2]["error"])
        r = run("match", "--json", "--min-quality", "10", "--pdq", f"{h},20", data=self.data)
        self.assertEqual(len(json_lines(r.stdout)[0]["matches"]), 1)


    def test_reference_haystack_and_needles_against_brute_force(self):
        haystack = os.path.join(HASHLISTS, "haystack.txt")
        self.import_list("haystack", "hex", haystack)
        with open(haystack) as f:
            hay = [line.strip() for line in f if line.strip()]
        with open(os.path.join(HASHLISTS, "needles.txt")) as f:
            needles = [line.strip() for line in f if line.strip()]
        distinct = sorted(set(hay))
        self.assertEqual(self.ls()["haystack"]["entries"], len(distinct))
        for radius in (31, 47):
            r = run("match", "--json", "--radius", str(radius), "--stdin", data=self.data, stdin="\n".join(needles) + "\n")
            self.assertEqual(r.returncode, 0, r.stderr)
            out = json_lines(r.stdout)
            self.assertEqual([o["query"] for o in out], needles)
            for needle, o in zip(needles, out):
                want = sorted((bin(int(needle, 16) ^ int(h, 16)).count("1"), h) for h in distinct)
                want = [(d, h) for d, h in want if d <= radius]
                got = [(m["distance"], m["hash"]) for m in o["matches"]]
                self.assertEqual(sorted(got), want, needle)
                self.assertEqual([d for d, _ in got], sorted(d for d, _ in got))


class ScanTest(ListsTestCase):
    def hash_json(self, path):
        r = run("hash", "--json", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json_lines(r.stdout)[0]

    def test_scan_matches_summarises_and_reports(self):
        # Four unrelated photographs (the bridge-mods are near-copies of each other).
        images = [os.path.join(PDQ_ROOT, p) for p in ("bridge-mods/aaa-orig.jpg", "extra/q0003.jpg",
                                                      "extra/q0746.jpg", "extra/exif-rotn-1.jpg")]
        tree = os.path.join(self.tmp, "seized")
        os.makedirs(os.path.join(tree, "sub"))
        for i, name in enumerate(images):
            shutil.copy(name, os.path.join(tree, "sub" if i % 2 else "", f"img{i}.jpg"))
        with open(os.path.join(tree, "notes.txt"), "w") as f:
            f.write("just text\n")
        with open(os.path.join(tree, "broken.jpg"), "wb") as f:
            f.write(b"\xff\xd8\xff\xe0 truncated")
        outside = os.path.join(self.tmp, "outside.jpg")
        shutil.copy(images[0], outside)
        os.symlink(outside, os.path.join(tree, "link.jpg"))

        h0 = self.hash_json(os.path.join(tree, "img0.jpg"))
        h1 = self.hash_json(os.path.join(tree, "sub", "img1.jpg"))
        notes = self.hash_json(os.path.join(tree, "notes.txt"))
        self.import_list("pdq-list", "csv", self.write("p.csv", f"pdq,category\n{flip(h0['pdq'], 5)},A\n"), "--scheme", "uk")
        self.import_list("sha-list", "sha256", self.write("s.txt", f"{h1['sha256']}\n{notes['sha256']}\n"))

        report = os.path.join(self.tmp, "report.html")
        r = run("scan", "--json", "-j", "2", "--report", report, tree, data=self.data)
        self.assertEqual(r.returncode, 1, "the broken image is an error")
        out = json_lines(r.stdout)
        files, summary = out[:-1], out[-1]["summary"]
        paths = [f["path"] for f in files]
        self.assertEqual(paths, sorted(paths))
        self.assertFalse(any(p.endswith("link.jpg") for p in paths), "symbolic links are not followed")
        by_name = {os.path.basename(f["path"]): f for f in files}
        self.assertEqual(by_name["img0.jpg"]["matches"][0]["list"], "pdq-list")
        self.assertEqual(by_name["img0.jpg"]["matches"][0]["distance"], 5)
        self.assertEqual(by_name["img0.jpg"]["matches"][0]["category"], "A")
        self.assertEqual(by_name["img1.jpg"]["matches"][0]["kind"], "sha256")
        self.assertEqual(by_name["notes.txt"]["matches"][0]["list"], "sha-list")
        self.assertIsNone(by_name["notes.txt"]["pdq"])
        self.assertIn("error", by_name["broken.jpg"])
        for key in ("path", "pdq", "quality", "md5", "sha1", "sha256", "matches"):
            self.assertIn(key, by_name["img2.jpg"])
        self.assertEqual(summary["files"], 6)
        self.assertEqual(summary["images"], 4)
        self.assertEqual(summary["errors"], 1)
        self.assertEqual(summary["matched_files"], 3)
        self.assertEqual(summary["matched_by_list"], {"pdq-list": 1, "sha-list": 2})
        self.assertEqual(summary["matched_by_category"], {"A": 1, "uncategorised": 2})
        self.assertEqual(summary["bytes"], sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree)
                                               for f in fs if not os.path.islink(os.path.join(d, f))))
        html = self.read(report)
        self.assertIn("img0.jpg", html)
        self.assertIn("pdq-list", html)
        self.assertNotIn("<img", html.lower())
        self.assertNotIn("<script", html.lower())

        r = run("scan", os.path.join(tree, "sub"), data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "path,pdq,quality,md5,sha1,sha256,matches")
        self.assertIn("sha-list::sha256:0", r.stdout)
        self.assertIn("matched", r.stderr)

    def test_html_report_escapes_paths(self):
        tree = os.path.join(self.tmp, "t")
        os.makedirs(tree)
        name = os.path.join(tree, "<b>x&y.txt")
        with open(name, "w") as f:
            f.write("hello")
        sha = self.hash_json(name)["sha256"]
        self.import_list("s", "sha256", self.write("s.txt", sha + "\n"))
        report = os.path.join(self.tmp, "r.html")
        r = run("scan", "--report", report, tree, data=self.data)
        self.assertEqual(r.returncode, 0, r.stderr)
        html = self.read(report)
        self.assertIn("&lt;b&gt;x&amp;y.txt", html)
        self.assertNotIn("<b>x", html)


if __name__ == "__main__":
    unittest.main()
