#!/usr/bin/env python3
"""End-to-end tests of `safeguard hash` and the tool's command-line contract."""
import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")
SHARED = os.environ.get("SG_SHARED_DIR", "../shared")
SOURCE = os.environ.get("SG_SOURCE_DIR", ".")
PDQ = os.path.join(SHARED, "pdq")


def run(*args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def expected_rows():
    with open(os.path.join(PDQ, "expected.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return rows


class CommandLineContract(unittest.TestCase):
    def test_help_and_version(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("hash", r.stdout)
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^safeguard \d+\.\d+\.\d+")
        r = run("help", "hash")
        self.assertEqual(r.returncode, 0)
        for flag in ("--json", "--fast", "--dihedral", "-r", "-j"):
            self.assertIn(flag, r.stdout)
        self.assertEqual(run("hash", "--help").returncode, 0)

    def test_usage_errors_exit_2_with_one_line_and_hint(self):
        for args in (["frobnicate"], ["hash", "--no-such-flag", "x"], ["hash"], ["--bogus"],
                     ["help", "nope"], ["hash", "-j", "0", "x"]):
            r = run(*args)
            self.assertEqual(r.returncode, 2, args)
            lines = r.stderr.strip().splitlines()
            self.assertEqual(len(lines), 2, (args, r.stderr))
            self.assertTrue(lines[0].startswith("safeguard: "), lines[0])
            self.assertIn("help", lines[1])
            self.assertEqual(r.stdout, "")


class HashOutput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = [r for r in expected_rows() if r["rule"] == "exact"]

    def test_csv_matches_conformance_vectors(self):
        paths = [r["path"] for r in self.rows]
        r = run("hash", *paths, cwd=PDQ)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = list(csv.DictReader(io.StringIO(r.stdout)))
        self.assertEqual(r.stdout.splitlines()[0], "path,pdq,quality,md5,sha1,sha256")
        self.assertEqual([o["path"] for o in out], paths)  # command-line order
        for want, got in zip(self.rows, out):
            self.assertEqual(got["pdq"], want["pdq"], want["path"])
            self.assertEqual(got["quality"], want["quality"], want["path"])
            self.assertRegex(got["md5"], "^[0-9a-f]{32}$")
            self.assertRegex(got["sha1"], "^[0-9a-f]{40}$")
            self.assertRegex(got["sha256"], "^[0-9a-f]{64}$")

    def test_json_keys_nulls_and_dihedral(self):
        with tempfile.TemporaryDirectory() as d:
            text = os.path.join(d, "note.txt")
            with open(text, "w") as f:
                f.write("abc")
            img = os.path.join(PDQ, "images/dih/bridge-1-original.jpg")
            r = run("hash", "--json", "--dihedral", text, img)
            self.assertEqual(r.returncode, 0, r.stderr)
            lines = [json.loads(l) for l in r.stdout.splitlines()]
            self.assertEqual(len(lines), 2)
            self.assertIsNone(lines[0]["pdq"])
            self.assertIsNone(lines[0]["quality"])
            self.assertEqual(lines[0]["md5"], "900150983cd24fb0d6963f7d28e17f72")
            for k in ("path", "pdq", "quality", "md5", "sha1", "sha256", "pdq_dihedral"):
                self.assertIn(k, lines[1])
            dih = lines[1]["pdq_dihedral"]
            self.assertEqual(len(dih), 8)
            self.assertEqual(dih[0], lines[1]["pdq"])
            self.assertEqual(lines[1]["quality"], 100)

    def test_errors_are_reported_and_the_run_goes_on(self):
        with tempfile.TemporaryDirectory() as d:
            good = os.path.join(d, "good.jpg")
            shutil.copy(os.path.join(PDQ, "images/misc/wee.jpg"), good)
            bad = os.path.join(d, "bad.jpg")
            with open(good, "rb") as f, open(bad, "wb") as g:
                g.write(f.read()[:500])
            missing = os.path.join(d, "missing.png")
            r = run("hash", "--json", bad, missing, good)
            self.assertEqual(r.returncode, 1)
            lines = [json.loads(l) for l in r.stdout.splitlines()]
            self.assertEqual([l["path"] for l in lines], [bad, missing, good])
            self.assertIn("truncated", lines[0]["error"])
            self.assertIsNotNone(lines[0]["md5"])  # bytes were read: exact hashes still useful
            self.assertIn("no such file", lines[1]["error"])
            self.assertNotIn("error", lines[2])
            # CSV: failures go to stderr, naming the path and the reason.
            r = run("hash", bad, good)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(len(r.stdout.splitlines()), 2)
            self.assertIn(bad, r.stderr)
            self.assertIn("truncated", r.stderr)
            self.assertEqual(run("hash", good).returncode, 0)

    def test_recursive_walk_sorted_no_symlinks_and_parallel_same_output(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "b"))
            os.makedirs(os.path.join(d, "a"))
            names = ["b/z.jpg", "a/y.png", "a/x.jpg", "top.txt"]
            srcs = ["images/misc/wee.jpg", "images/misc/modes/L.png", "images/extra/q0746.jpg", None]
            for n, s in zip(names, srcs):
                if s:
                    shutil.copy(os.path.join(PDQ, s), os.path.join(d, n))
                else:
                    with open(os.path.join(d, n), "w") as f:
                        f.write("text")
            os.symlink(os.path.join(d, "a/x.jpg"), os.path.join(d, "link.jpg"))
            r1 = run("hash", "-r", "-j", "1", d)
            self.assertEqual(r1.returncode, 0, r1.stderr)
            got = [row["path"] for row in csv.DictReader(io.StringIO(r1.stdout))]
            self.assertEqual(got, [os.path.join(d, n) for n in sorted(names)])
            r4 = run("hash", "-r", "-j", "4", d)
            self.assertEqual(r4.stdout, r1.stdout)
            # Without -r a directory is an error, not a walk.
            r = run("hash", d)
            self.assertEqual(r.returncode, 1)
            self.assertIn("-r", r.stderr)

    def test_fast_mode_close_to_exact(self):
        img = os.path.join(PDQ, "images/extra/exif-rotn-1.jpg")
        exact = json.loads(run("hash", "--json", img).stdout)
        fast = json.loads(run("hash", "--json", "--fast", img).stdout)
        dist = bin(int(exact["pdq"], 16) ^ int(fast["pdq"], 16)).count("1")
        self.assertLessEqual(dist, 8)
        self.assertEqual(fast["md5"], exact["md5"])

    def test_samples_of_every_format_hash(self):
        samples = os.path.join(SOURCE, "data/samples")
        r = run("hash", "--json", "-r", samples)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.splitlines()]
        kinds = {os.path.splitext(l["path"])[1]: l for l in lines}
        for ext in (".jpg", ".png", ".gif", ".bmp", ".webp", ".heic"):
            self.assertIn(ext, kinds)
            self.assertRegex(kinds[ext]["pdq"] or "", "^[0-9a-f]{64}$", ext)
        self.assertIsNone(kinds[".txt"]["pdq"])


if __name__ == "__main__":
    unittest.main()
