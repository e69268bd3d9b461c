#!/usr/bin/env python3
"""Seized-media scan throughput beside plain `sha256sum`, in one run.

Generates a tree of JPEGs (the conformance JPEGs, each made unique by bytes
appended after its end marker) and non-image files of mixed sizes, loads a
hash list of --list-size random PDQ hashes plus the SHA-256 of some files,
then times (best of --repeat): `sha256sum` over every file (one process),
and `safeguard scan --json` with -j 1 and -j 2. Prints a Markdown table of
MB/s, files/s and the ratio to sha256sum; ratios matter, absolute times drift.
"""
import argparse
import os
import random
import shutil
import subprocess
import tempfile
import time


def best_time(cmd, repeat, **kw):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best


def make_tree(root, shared, images, others, rng):
    jpegs = []
    for d, _, fs in os.walk(os.path.join(shared, "pdq", "images")):
        jpegs += [os.path.join(d, f) for f in fs if f.lower().endswith((".jpg", ".jpeg"))]
    jpegs.sort()
    files = []
    for i in range(images):
        path = os.path.join(root, f"dir{i % 10}", f"img{i:04}.jpg")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copy(jpegs[i % len(jpegs)], path)
        with open(path, "ab") as f:
            f.write(i.to_bytes(4, "little"))
        files.append(path)
    for i in range(others):
        path = os.path.join(root, f"dir{i % 10}", f"blob{i:04}.bin")
        size = rng.choice([4 << 10, 64 << 10, 512 << 10, 2 << 20])
        with open(path, "wb") as f:
            f.write(rng.randbytes(size))
        files.append(path)
    return files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--safeguard", default="build-bench/safeguard")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--images", type=int, default=300)
    ap.add_argument("--others", type=int, default=300)
    ap.add_argument("--list-size", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(1)
    tmp = tempfile.mkdtemp(prefix="sg-scan-bench-")
    try:
        tree = os.path.join(tmp, "tree")
        files = make_tree(tree, args.shared, args.images, args.others, rng)
        total = sum(os.path.getsize(f) for f in files)
        data = os.path.join(tmp, "data")
        pdq_list = os.path.join(tmp, "pdq.txt")
        with open(pdq_list, "w") as f:
            for _ in range(args.list_size):
                f.write("%064x\n" % rng.getrandbits(256))
        sha_list = os.path.join(tmp, "sha.txt")
        out = subprocess.run(["sha256sum", *files[::50]], check=True, capture_output=True, text=True).stdout
        with open(sha_list, "w") as f:
            f.write("".join(line.split()[0] + "\n" for line in out.splitlines()))
        t0 = time.perf_counter()
        for name, fmt, path in (("random-pdq", "hex", pdq_list), ("sha", "sha256", sha_list)):
            subprocess.run([args.safeguard, "lists", "import", "--data", data, "--name", name, "--format", fmt, path],
                           check=True, stdout=subprocess.DEVNULL)
        import_s = time.perf_counter() - t0

        sha = best_time(["sha256sum", *files], args.repeat)
        rows = [("sha256sum (baseline)", sha)]
        for jobs in (1, 2):
            t = best_time([args.safeguard, "scan", "--json", "--data", data, "-j", str(jobs), tree], args.repeat)
            rows.append((f"safeguard scan -j {jobs}", t))
        mb = total / 1e6
        print(f"\nScan: {len(files)} files ({args.images} JPEGs, {args.others} other), {mb:.0f} MB; "
              f"lists: {args.list_size} PDQ + {len(files[::50])} SHA-256 (import {import_s:.1f} s)\n")
        print("| command | seconds | MB/s | files/s | time vs sha256sum |")
        print("|---|---:|---:|---:|---:|")
        for name, t in rows:
            print(f"| {name} | {t:.2f} | {mb / t:.0f} | {len(files) / t:.0f} | {t / sha:.2f}x |")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
