#!/usr/bin/env python3
"""End-to-end tests of `safeguard chat analyze`: the output keys, redaction
and --reveal, malformed files (FILE:LINE, nothing of that file printed,
exit 1), the compiled-lexicon cache, and precision/recall on the generator's
held-out split. All conversations are synthetic and non-explicit
(tests/data/chat/analysis, bench/chat/gen_conversations.py)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = os.environ.get("SAFEGUARD_BIN", "build/safeguard")
SOURCE = os.environ.get("SG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(SOURCE, "tests", "data", "chat", "analysis")
GEN = os.path.join(SOURCE, "bench", "chat", "gen_conversations.py")


class ChatAnalyzeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sg-chat-")
        self.env = dict(os.environ, XDG_CACHE_HOME=os.path.join(self.tmp, "cache"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_cli(self, *args):
        return subprocess.run([BIN, "chat", "analyze", *args], capture_output=True, text=True, timeout=600,
                              env=self.env)

    def lines(self, out):
        return [json.loads(l) for l in out.splitlines()]

    def test_json_lines_keys_and_order(self):
        r = self.run_cli("--json", os.path.join(FIXTURES, "grooming.jsonl"), os.path.join(FIXTURES, "peers.jsonl"))
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = self.lines(r.stdout)
        types = [o["type"] for o in rows]
        self.assertEqual(types[:2], ["conversation", "conversation"])
        self.assertEqual(types[-1], "summary")
        self.assertTrue(all(t == "author" for t in types[2:-1]))
        g = rows[0]
        for key in ("conversation", "score", "flagged", "authors", "indicators", "ages"):
            self.assertIn(key, g)
        self.assertEqual(g["conversation"], "g1")
        self.assertTrue(g["flagged"])
        self.assertFalse(rows[1]["flagged"])
        self.assertEqual(set(g["authors"]), {"dan_example", "kid_example"})
        for ind in g["indicators"]:
            self.assertEqual(set(ind), {"category", "line", "rule"})  # redacted: no text
        self.assertIn({"category": "secrecy", "line": 11, "rule": "se01"}, g["indicators"])
        self.assertAlmostEqual(sum(t["contribution"] for t in g["terms"]), g["score"], delta=0.05)
        kid = [a for a in g["ages"] if a["author"] == "kid_example"][0]
        self.assertEqual((kid["low"], kid["line"]), (13, 4))
        authors = {o["author"]: o for o in rows if o["type"] == "author"}
        dan = authors["dan_example"]
        for key in ("author", "score", "minors_contacted", "estimated_age"):
            self.assertIn(key, dan)
        self.assertEqual(dan["minors_contacted"], 1)
        self.assertEqual(dan["estimated_age"], 27)
        self.assertEqual(authors["kid_example"]["estimated_age"], 13)
        # Ranked by risk: the adult in contact with a child first.
        self.assertEqual(rows[2]["author"], "dan_example")
        s = rows[-1]
        self.assertEqual((s["files"], s["conversations"], s["flagged"]), (2, 2, 1))
        self.assertEqual(s["adults_contacting_minors"], 1)
        self.assertNotIn("secret", r.stdout)  # no message text anywhere by default

    def test_reveal_includes_the_matched_text(self):
        r = self.run_cli("--json", "--reveal", os.path.join(FIXTURES, "grooming.jsonl"))
        self.assertEqual(r.returncode, 0, r.stderr)
        g = self.lines(r.stdout)[0]
        se = [i for i in g["indicators"] if i["rule"] == "se01"][0]
        self.assertEqual(se["text"], "dont tell anyone")

    def test_malformed_file_prints_nothing_of_it(self):
        bad = os.path.join(self.tmp, "bad.jsonl")
        with open(os.path.join(FIXTURES, "grooming.jsonl")) as f:
            good_lines = f.read()
        with open(bad, "w") as f:
            f.write(good_lines.replace('"conversation": "g1"', '"conversation": "b1"'))
            f.write('{"conversation": "b2", "author": "x", "text": \n')
        r = self.run_cli("--json", bad, os.path.join(FIXTURES, "peers.jsonl"))
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr, r"bad\.jsonl:15: ")
        rows = self.lines(r.stdout)
        convs = [o["conversation"] for o in rows if o["type"] == "conversation"]
        self.assertEqual(convs, ["t1"])  # nothing of bad.jsonl, though b1 was well formed
        self.assertEqual(rows[-1]["failed_files"], 1)

    def test_text_output_and_cache(self):
        r = self.run_cli(os.path.join(FIXTURES, "grooming.jsonl"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("conversation g1", r.stdout)
        self.assertIn("FLAGGED", r.stdout)
        self.assertIn("(se01)", r.stdout)
        self.assertNotIn("dont tell", r.stdout)
        self.assertEqual(r.stderr, "")  # no progress bar when stderr is not a terminal
        cached = os.listdir(os.path.join(self.tmp, "cache", "safeguard"))
        self.assertEqual(len(cached), 1)
        self.assertTrue(cached[0].startswith("chat-lexicon-"))

    def test_every_input_format(self):
        chat = os.path.join(SOURCE, "tests", "data", "chat")
        for name, fmt in (("pan12_small.xml", "pan12"), ("jsonl_small.jsonl", "jsonl"), ("csv_small.csv", "csv"),
                          ("whatsapp_android.txt", "whatsapp")):
            r = self.run_cli("--json", "--format", fmt, os.path.join(chat, name))
            self.assertEqual(r.returncode, 0, f"{name}: {r.stderr}")
            rows = self.lines(r.stdout)
            self.assertGreaterEqual(sum(1 for o in rows if o["type"] == "conversation"), 1, name)
            self.assertEqual(rows[-1]["type"], "summary")
            self.assertEqual(rows[-1]["failed_files"], 0)
        wrong = self.run_cli("--format", "pan12", os.path.join(chat, "jsonl_small.jsonl"))
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("jsonl_small.jsonl:", wrong.stderr)

    def test_bad_lexicon_names_file_and_line(self):
        data = os.path.join(self.tmp, "chatdata")
        os.makedirs(data)
        shutil.copy(os.path.join(SOURCE, "data", "chat", "scorecard.tsv"), data)
        with open(os.path.join(data, "lexicon.tsv"), "w") as f:
            f.write("# lexicon-version: 1\nid\tcategory\tstage\tweight\tspeaker\tpattern\nx1\tnope\trisk\t0.5\tany\tx\n")
        r = self.run_cli("--chat-data", data, os.path.join(FIXTURES, "grooming.jsonl"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("lexicon.tsv:3: unknown category 'nope'", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_held_out_split_precision_and_recall(self):
        """The generator's test split: held-out phrase templates and seed, never
        used for tuning. Floors: see src/chat/README.md (measured values minus
        a margin, so a regression fails; they are not tuning targets)."""
        data = os.path.join(self.tmp, "test.jsonl")
        labels = os.path.join(self.tmp, "test.labels")
        subprocess.run([sys.executable, GEN, "--split", "test", "--conversations", "600", "--out", data,
                        "--labels", labels], check=True)
        r = self.run_cli("--json", data)
        self.assertEqual(r.returncode, 0, r.stderr)
        truth = {}
        for line in open(labels):
            l = json.loads(line)
            truth[l["conversation"]] = l["label"]
        flagged = {o["conversation"] for o in self.lines(r.stdout) if o["type"] == "conversation" and o["flagged"]}
        tp = sum(1 for c in flagged if truth[c] == 1)
        positives = sum(truth.values())
        precision = tp / len(flagged) if flagged else 0
        recall = tp / positives
        print(f"held-out: precision {precision:.3f} recall {recall:.3f} ({tp}/{len(flagged)} flagged, "
              f"{positives} positives)", file=sys.stderr)
        self.assertGreaterEqual(precision, 0.85)
        self.assertGreaterEqual(recall, 0.60)


if __name__ == "__main__":
    unittest.main()
