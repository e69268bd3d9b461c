#!/usr/bin/env python3
"""Quality and speed of linking and networks on a generated set.

    eval.py --safeguard build/safeguard --baseline build/bench/components_baseline \
            --reports 100000 [--work DIR] [--keep]

Steps, each timed, with peak memory (/usr/bin/time -v, the maximum resident
set size of that process):
  1. gen_reports.py (or --gen-dir with a set made before)
  2. safeguard lists import (the set's known-material list), safeguard import  (--reuse-import: a store imported before)
  3. safeguard link           the full rebuild of persons
  4. safeguard persons --json
  5. safeguard networks --json --csv DIR   (networks and their edge list)
  6. components_baseline DIR/edges.csv     igraph's connected components on the
                                           same edges, in the same run
Then pairwise precision and recall against the generator's ground truth:
  people    units are mentions (one person of one report); a pair is in the
            same person. The mention -> person map is read from the store's
            report_persons table (SQLite), since `persons --json` lists a
            person's reports but not which person of a report it is.
  networks  units are the generator's persons (each mapped to the person its
            first mention resolved to); a pair is in the same network.
            Persons in no network are alone on that side.
Prints a Markdown table (for README.md's bench:linking block) and a JSON line.
"""
import argparse
import collections
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, stdout=None, env=None):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak MiB)."""
    t = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env)
    secs = time.monotonic() - t
    if p.returncode != 0:
        sys.exit(f"eval: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return secs, (int(m.group(1)) / 1024 if m else float("nan"))


def pairs(n):
    return n * (n - 1) // 2


def pairwise(system, truth):
    """system, truth: unit -> cluster (None: alone). Precision, recall, pair counts."""
    cells, sys_sizes, truth_sizes = collections.Counter(), collections.Counter(), collections.Counter()
    for unit, t in truth.items():
        s = system.get(unit)
        if s is not None:
            sys_sizes[s] += 1
        if t is not None:
            truth_sizes[t] += 1
        if s is not None and t is not None:
            cells[(s, t)] += 1
    tp = sum(pairs(n) for n in cells.values())
    sp = sum(pairs(n) for n in sys_sizes.values())
    tpairs = sum(pairs(n) for n in truth_sizes.values())
    return (tp / sp if sp else 1.0), (tp / tpairs if tpairs else 1.0), sp, tpairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--safeguard", required=True)
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--reports", type=int, default=100000)
    ap.add_argument("--gen-dir", help="use a generated set from before")
    ap.add_argument("--work", help="working directory (default: a temporary one)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--reuse-import", action="store_true",
                    help="WORK/data and WORK/ids.ndjson are an import of --gen-dir made before: start at `link`")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="sg-linking-eval-")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    if not args.reuse_import:
        shutil.rmtree(data, ignore_errors=True)
    timings = {}

    gen = args.gen_dir or os.path.join(work, "gen")
    if not args.gen_dir:
        timings["generate"] = run([sys.executable, os.path.join(HERE, "gen_reports.py"), "--reports",
                                   str(args.reports), "--out", gen, "--seed", str(args.seed)])
    sg = [args.safeguard]
    ids_path = os.path.join(work, "ids.ndjson")
    if args.reuse_import:
        print(f"eval: reusing the store in {data} and {ids_path} (no import timed)", file=sys.stderr)
    else:
        timings["lists import"] = run(sg + ["lists", "import", "--data", data, "--name", "gen", "--format", "csv",
                                            "--scheme", "uk", os.path.join(gen, "list.csv")],
                                      stdout=subprocess.DEVNULL)
        with open(ids_path, "w") as ids_out:
            timings["import"] = run(sg + ["import", "--data", data, "--json", os.path.join(gen, "reports.ndjson")],
                                    stdout=ids_out)
    # import links each report as it stores it (incremental resolution);
    # `link` then rebuilds every person from scratch, as a full rebuild.
    has = lambda c: subprocess.run(sg + [c, "--help"], capture_output=True).returncode == 0
    persons_path = os.path.join(work, "persons.ndjson")
    if has("link"):
        timings["link (rebuild)"] = run(sg + ["link", "--data", data], stdout=subprocess.DEVNULL)
    else:
        print("eval: this binary has no `link` command: persons as intake linked them", file=sys.stderr)
    if has("persons"):
        with open(persons_path, "w") as out:
            timings["persons --json"] = run(sg + ["persons", "--data", data, "--json"], stdout=out)
    else:
        open(persons_path, "w").close()
    networks_path = os.path.join(work, "networks.ndjson")
    csv_dir = os.path.join(work, "csv")
    with open(networks_path, "w") as out:
        timings["networks --json --csv"] = run(sg + ["networks", "--data", data, "--json", "--csv", csv_dir],
                                               stdout=out)
    base_t = time.monotonic()
    base = subprocess.run([args.baseline, os.path.join(csv_dir, "edges.csv")], capture_output=True, text=True)
    if base.returncode != 0:
        sys.exit(f"eval: components_baseline failed:\n{base.stdout}{base.stderr}")
    baseline = json.loads(base.stdout)
    baseline["wall_s"] = time.monotonic() - base_t

    # Ground truth, by store id.
    line_to_id = {}
    with open(ids_path) as f:
        for l in f:
            o = json.loads(l)
            line_to_id[o["line"]] = o["id"]
    truth_mention = {}  # (report_id, role, index) -> truth person
    # Linkable truth: mentions of one person joined only through a chain of
    # mentions that share a kind of strong identifier (gen_reports.py).
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with open(os.path.join(gen, "truth_reports.ndjson")) as f:
        for l in f:
            o = json.loads(l)
            rid = line_to_id[o["line"]]
            for role, key in (("reported", "reported"), ("victim", "victims")):
                for i, p in enumerate(o[key]):
                    m = (rid, role, i)
                    truth_mention[m] = p
                    for kind in o[key + "_strong"][i]:
                        a, b = find(m), find((p, kind))
                        if a != b:
                            parent[a] = b
    linkable_mention = {m: find(m) for m in truth_mention}
    truth_network = {}
    with open(os.path.join(gen, "truth_persons.ndjson")) as f:
        for l in f:
            o = json.loads(l)
            truth_network[o["person"]] = o["network"]

    db = sqlite3.connect(os.path.join(data, "safeguard.db"))
    system_mention = {(r, role, i): p for r, role, i, p in
                      db.execute("SELECT report_id, role, person_index, person_id FROM report_persons")}
    missing = sum(1 for m in truth_mention if m not in system_mention)
    p_prec, p_rec, p_sys, p_truth = pairwise(system_mention, truth_mention)
    l_prec, l_rec, _, l_truth = pairwise(system_mention, linkable_mention)

    person_network = {}
    n_networks = 0
    with open(networks_path) as f:
        for l in f:
            o = json.loads(l)
            n_networks += 1
            for pid in o["person_ids"]:
                person_network[pid] = o["id"]
    first_person = {}
    for m, tp in sorted(truth_mention.items()):
        first_person.setdefault(tp, system_mention.get(m))
    system_net = {tp: person_network.get(sp) for tp, sp in first_person.items()}
    truth_net = {tp: truth_network.get(tp) for tp in first_person}
    n_prec, n_rec, n_sys, n_truth = pairwise(system_net, truth_net)
    n_persons = len(set(system_mention.values()))

    reports = len(line_to_id)
    print(f"\nreports {reports}, mentions {len(truth_mention)} (unresolved {missing}), persons {n_persons}, "
          f"networks {n_networks}, truth networks {len({v for v in truth_network.values() if v})}\n")
    print("| measure | value |\n|---|---|")
    print(f"| people: pairwise precision / recall | {p_prec:.4f} / {p_rec:.4f} ({p_sys} / {p_truth} pairs) |")
    print(f"| people, linkable by strong identifiers: precision / recall | {l_prec:.4f} / {l_rec:.4f} "
          f"({l_truth} pairs) |")
    print(f"| networks: pairwise precision / recall | {n_prec:.4f} / {n_rec:.4f} ({n_sys} / {n_truth} pairs) |")
    print("\n| step | seconds | peak RSS MiB |\n|---|---:|---:|")
    for k, (s, mib) in timings.items():
        print(f"| {k} | {s:.1f} | {mib:.0f} |")
    print(f"\nbaseline on the same edge list ({baseline['persons']} persons, {baseline['edges']} edges, "
          f"{baseline['components']} components, same partition: {baseline['same_partition']}):")
    print("| pass | seconds |\n|---|---:|")
    for k in ("igraph_components_s", "union_find_s", "find_networks_s"):
        print(f"| {k[:-2]} | {baseline[k]:.3f} |")
    print(json.dumps({"reports": reports, "people": [p_prec, p_rec], "people_linkable": [l_prec, l_rec], "networks": [n_prec, n_rec],
                      "timings": timings, "baseline": baseline}))
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
