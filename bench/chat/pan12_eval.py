#!/usr/bin/env python3
"""PAN-2012 sexual predator identification (problem 1) with `safeguard chat analyze`.

Reads the corpus from $PAN12_DIR (skipped when unset; nothing from the corpus
is in this repository): the test corpus XML
(pan12-sexual-predator-identification-test-corpus-*.xml, else the training
corpus) and its predator list (*groundtruth-problem1*.txt for the test
corpus, *predators*.txt for training: one author id per line). Runs
`safeguard chat analyze --json --format pan12`, predicts as predators the
adults-or-unknown authors with at least one flagged conversation (or, with
--top K, the K highest-ranked authors), and prints the official measures
(precision, recall, F0.5 over the set of predicted predator ids) beside the
best published result.

usage: PAN12_DIR=/path/to/pan12 bench/chat/pan12_eval.py [--bin build/safeguard] [--top K]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time

BEST = ("Villatoro-Tello et al. 2012 (best of PAN-2012)", 0.9804, 0.7874, 0.9346)


def prf(pred, truth, beta=0.5):
    tp = len(pred & truth)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    b2 = beta * beta
    return p, r, ((1 + b2) * p * r / (b2 * p + r) if p + r else 0.0)


def find(d, *globs):
    for g in globs:
        hits = sorted(glob.glob(os.path.join(d, "**", g), recursive=True))
        if hits:
            return hits[0]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("SAFEGUARD_BIN", "build/safeguard"))
    ap.add_argument("--top", type=int, default=0, help="predict the K highest-ranked authors instead")
    args = ap.parse_args()
    d = os.environ.get("PAN12_DIR")
    if not d:
        print("PAN12_DIR is not set: skipped (the corpus is not part of this repository)")
        return 0
    xml = find(d, "*test-corpus*.xml") or find(d, "*training-corpus*.xml") or find(d, "*.xml")
    truth_file = (find(d, "*groundtruth-problem1*.txt") if xml and "test" in os.path.basename(xml) else None) \
        or find(d, "*predators*.txt")
    if not xml or not truth_file:
        print(f"{d}: no corpus XML or predator list found", file=sys.stderr)
        return 1
    truth = {l.strip() for l in open(truth_file) if l.strip()}
    t0 = time.time()
    run = subprocess.run([args.bin, "chat", "analyze", "--json", "--format", "pan12", xml],
                         capture_output=True, text=True)
    seconds = time.time() - t0
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
        return 1
    authors = []
    summary = {}
    for line in run.stdout.splitlines():
        o = json.loads(line)
        if o["type"] == "author":
            authors.append(o)
        elif o["type"] == "summary":
            summary = o
    if args.top:
        pred = {a["author"] for a in authors[:args.top]}
        rule = f"top {args.top} authors by score"
    else:
        pred = {a["author"] for a in authors if a["flagged_conversations"] > 0 and
                (a["estimated_age"] is None or a["estimated_age"] >= 18)}
        rule = "authors with a flagged conversation, not disclosed minors"
    p, r, f = prf(pred, truth)
    print(f"corpus: {os.path.basename(xml)}; {summary.get('conversations')} conversations, "
          f"{len(authors)} authors, {len(truth)} predators; {seconds:.1f} s")
    print(f"prediction: {rule}: {len(pred)} authors")
    print("| system | precision | recall | F0.5 |")
    print("|---|---|---|---|")
    print(f"| safeguard chat analyze | {p:.3f} | {r:.3f} | {f:.3f} |")
    print(f"| {BEST[0]} | {BEST[1]:.3f} | {BEST[2]:.3f} | {BEST[3]:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
