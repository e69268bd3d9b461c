#!/usr/bin/env python3
"""Precision, recall and F0.5 of `safeguard chat analyze` on generated splits.

Generates each split with gen_conversations.py (fixed seeds; the test split
uses held-out phrase templates), runs the analyzer, and prints per split:
conversation-level (flagged vs labelled grooming) and author-level (the
predators among authors with a positive score that contacted a child or were
flagged) precision, recall and F0.5 (precision weighted twice as much as recall, as
in PAN-2012).

usage: eval.py [--bin build/safeguard] [--conversations 2000] [--split tune|test|both]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def prf(tp, fp, fn, beta=0.5):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    b2 = beta * beta
    f = (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0
    return p, r, f


def evaluate(binary, split, n, workdir):
    data = os.path.join(workdir, f"{split}.jsonl")
    labels_path = os.path.join(workdir, f"{split}.labels")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_conversations.py"), "--split", split,
                    "--conversations", str(n), "--out", data, "--labels", labels_path], check=True)
    labels = {}
    predators = set()
    for line in open(labels_path):
        l = json.loads(line)
        labels[l["conversation"]] = l
        if l["predator"]:
            predators.add(l["predator"])
    run = subprocess.run([binary, "chat", "analyze", "--json", data], capture_output=True, text=True, check=True)
    flagged = set()
    flagged_authors = set()
    for line in run.stdout.splitlines():
        o = json.loads(line)
        if o["type"] == "conversation" and o["flagged"]:
            flagged.add(o["conversation"])
        elif o["type"] == "author" and o["flagged_conversations"] > 0 and (o["estimated_age"] is None or o["estimated_age"] >= 18):
            flagged_authors.add(o["author"])
    positives = {c for c, l in labels.items() if l["label"] == 1}
    tp = len(flagged & positives)
    fp = len(flagged - positives)
    fn = len(positives - flagged)
    conv = prf(tp, fp, fn)
    atp = len(flagged_authors & predators)
    afp = len(flagged_authors - predators)
    afn = len(predators - flagged_authors)
    auth = prf(atp, afp, afn)
    by_kind = {}
    for c, l in labels.items():
        if l["label"] == 0 and c in flagged:
            by_kind[l["kind"]] = by_kind.get(l["kind"], 0) + 1
    return conv, auth, (tp, fp, fn), by_kind


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("SAFEGUARD_BIN", "build/safeguard"))
    ap.add_argument("--conversations", type=int, default=2000)
    ap.add_argument("--split", choices=["tune", "test", "both"], default="both")
    args = ap.parse_args()
    splits = ["tune", "test"] if args.split == "both" else [args.split]
    print("| split | level | precision | recall | F0.5 | tp/fp/fn |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for split in splits:
            conv, auth, counts, by_kind = evaluate(args.bin, split, args.conversations, tmp)
            print(f"| {split} | conversation | {conv[0]:.3f} | {conv[1]:.3f} | {conv[2]:.3f} | {counts[0]}/{counts[1]}/{counts[2]} |")
            print(f"| {split} | author | {auth[0]:.3f} | {auth[1]:.3f} | {auth[2]:.3f} | |")
            if by_kind:
                print(f"<!-- {split} false positives by kind: {by_kind} -->")


if __name__ == "__main__":
    main()
