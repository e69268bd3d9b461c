#!/usr/bin/env python3
"""Hashing throughput beside the libjpeg-turbo decode floor, in one run.

Builds a corpus of >= 200 JPEGs by copying the conformance JPEGs of
shared/pdq, then times (best of --repeat runs, to tame noisy machines):
  - the floor: libjpeg-turbo decoding every file in one process;
  - `safeguard hash -j 1` (exact), `--fast -j 1`, and `-j 2`;
and measures the peak memory of hashing one 4032x3024 JPEG. Prints a
Markdown table of ratios; ratios matter, absolute times drift.

Each run records wall time and CPU time (user + system, from the child's
rusage). The targets are on wall time; on a machine shared with other
work, wall time also counts waiting for a core, so the CPU-time ratios
are printed beside them (single-threaded runs only: -j 2 is about wall
time by nature).
"""
import argparse
import datetime
import os
import platform
import resource
import shutil
import subprocess
import tempfile
import time


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def best_time(cmd, repeat):
    """Best wall and best CPU seconds of `repeat` runs."""
    wall = cpu = None
    for _ in range(repeat):
        c0 = children_cpu()
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        dt = time.perf_counter() - t0
        dc = children_cpu() - c0
        wall = dt if wall is None else min(wall, dt)
        cpu = dc if cpu is None else min(cpu, dc)
    return wall, cpu


def floor_time(floor, files, repeat):
    """Best wall (as the floor measures it, decoding only) and CPU seconds, and megapixels."""
    wall = cpu = None
    for _ in range(repeat):
        c0 = children_cpu()
        out = subprocess.run([floor, *files], check=True, capture_output=True, text=True).stdout.split()
        dc = children_cpu() - c0
        wall = float(out[2]) if wall is None else min(wall, float(out[2]))
        cpu = dc if cpu is None else min(cpu, dc)
    return wall, cpu, float(out[1])


def peak_rss_mb(cmd):
    # A child of its own, so ru_maxrss is its peak alone.
    code = ("import resource,subprocess,sys;subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,check=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run(["python3", "-c", code, *cmd], check=True, capture_output=True, text=True).stdout
    return int(out.strip()) / 1024.0


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--safeguard", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--min-files", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    images = os.path.join(args.shared, "pdq", "images")
    jpegs = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(images) for f in fs
                   if f.lower().endswith((".jpg", ".jpeg")))
    if not jpegs:
        raise SystemExit(f"no conformance JPEGs under {images}")
    corpus = tempfile.mkdtemp(prefix="sg-hash-bench-")
    try:
        files = []
        copy = 0
        while len(files) < args.min_files:
            for src in jpegs:
                dst = os.path.join(corpus, f"{copy:02d}-{os.path.basename(src)}")
                shutil.copy(src, dst)
                files.append(dst)
            copy += 1
        files.sort()
        n = len(files)
        mb = sum(os.path.getsize(f) for f in files) / 1e6

        floor_s, floor_cpu, megapixels = floor_time(args.floor, files, args.repeat)
        sg = args.safeguard
        exact_s, exact_cpu = best_time([sg, "hash", "-j", "1", "-r", corpus], args.repeat)
        fast_s, fast_cpu = best_time([sg, "hash", "--fast", "-j", "1", "-r", corpus], args.repeat)
        par_s, _ = best_time([sg, "hash", "-j", "2", "-r", corpus], args.repeat)

        big = os.path.join(images, "extra", "exif-rotn-1.jpg")
        rss = peak_rss_mb([sg, "hash", "-j", "1", big])
        rgb_mb = 4032 * 3024 * 3 / 2**20

        print(f"## PDQ hashing throughput ({datetime.date.today()}, {cpu_name()}, {os.cpu_count()} cores)")
        print()
        print(f"Corpus: {n} JPEGs ({mb:.0f} MB, {megapixels:.0f} megapixels) copied from the conformance set; "
              f"best of {args.repeat} runs.")
        print()
        print("| run | seconds | images/s | ratio | target | CPU seconds | CPU ratio |")
        print("|---|---:|---:|---:|---|---:|---:|")
        print(f"| libjpeg-turbo decode only (floor, one process) | {floor_s:.2f} | {n/floor_s:.0f} | 1.00 | "
              f"| {floor_cpu:.2f} | 1.00 |")
        print(f"| `safeguard hash -j 1` (exact) | {exact_s:.2f} | {n/exact_s:.0f} | {exact_s/floor_s:.2f} x floor "
              f"| <= 1.2 | {exact_cpu:.2f} | {exact_cpu/floor_cpu:.2f} |")
        print(f"| `safeguard hash --fast -j 1` | {fast_s:.2f} | {n/fast_s:.0f} | {fast_s/floor_s:.2f} x floor "
              f"| <= 0.6 | {fast_cpu:.2f} | {fast_cpu/floor_cpu:.2f} |")
        print(f"| `safeguard hash -j 2` | {par_s:.2f} | {n/par_s:.0f} | {exact_s/par_s:.2f} x single-thread rate "
              f"| >= 1.8 | | |")
        print()
        print(f"Peak memory hashing one 4032x3024 JPEG: {rss:.0f} MB = {rss/rgb_mb:.2f} x its decoded RGB size "
              f"({rgb_mb:.0f} MB); target <= 4.")
        print("(`safeguard hash` also computes MD5, SHA-1 and SHA-256 of every file; the floor does not.)")
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
