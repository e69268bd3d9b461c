#!/usr/bin/env python3
"""Writes the benign demo data set that `make run` loads into ./var:

  OUT/known-list.csv   a "known material" hash list made of the hashes of the
                       benign sample images in data/samples (so matching can
                       be seen working without any real list), with UK
                       categories and series names that say they are demo data;
  OUT/reports.ndjson   N synthetic reports in the intake format
                       (src/intake/report.h): generated names, example.com
                       emails, UK drama phone numbers (07700 900xxx),
                       documentation IP addresses, non-explicit text. Some
                       people recur across reports under differently written
                       identifiers, in six offender rings that each target
                       their own children and share their own known series
                       (so the networks view shows separate networks), and
                       some files carry the sample hashes.

Deterministic (a fixed seed), so every `make run` shows the same data.
Usage: demo-data.py SAFEGUARD_BIN OUT_DIR [N]
"""
import json
import os
import random
import subprocess
import sys

FIRST = ["Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Jamie", "Taylor", "Robin", "Charlie", "Drew", "Elliot"]
LAST = ["Example", "Sample", "Testwood", "Placeholder", "Demoson", "Fakeley", "Mockford", "Specimen"]
PLATFORMS = ["ExampleChat", "DemoGram", "SampleGames", "PretendTube", "MockMessenger"]
INCIDENTS = ["online_enticement"] * 5 + ["sextortion"] * 2 + ["csam"] * 2 + ["unsolicited_obscene_material", "other"]
SUMMARIES = [
    "An adult account repeatedly asked a child which school they attend and told them to keep the chat secret.",
    "A user offered game currency to a child in exchange for moving the conversation to a private app.",
    "An account asked a child if their parents check their phone and proposed meeting at a shopping centre.",
    "A child reported being pressured to turn on their webcam by someone claiming to be the same age.",
    "Files matching known hashes were uploaded to a private group; the uploader's account is attached.",
    "A user sent gift cards to several young accounts and asked them not to tell anyone.",
    "A parent found messages from an unknown adult asking their child to delete their chat history.",
]
CHAT = [
    ("adult", "hey how old are you?"),
    ("child", "13, why"),
    ("adult", "you seem really mature for your age"),
    ("adult", "are your parents around right now?"),
    ("adult", "let's keep this just between us ok"),
    ("adult", "add me on another app, it's more private"),
]


def sample_hashes(binary):
    """The hashes of data/samples, as `safeguard hash --json` prints them."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "samples")
    out = subprocess.run([binary, "hash", "--json", "-r", root], capture_output=True, text=True, check=False)
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    return [r for r in rows if "error" not in r]


def spell_email(rng, user, domain):
    """The same address as different reports write it."""
    forms = [f"{user}@{domain}", f"{user.upper()}@{domain}", f"{user}@{domain.upper()}", f"{user}+games@{domain}"]
    return rng.choice(forms)


def spell_phone(rng, digits):
    forms = [f"07700 900{digits}", f"+44 7700 900{digits}", f"(0)7700-900-{digits}", f"00447700900{digits}"]
    return rng.choice(forms)


def person(rng, pid, as_victim=False):
    first, last = FIRST[pid % len(FIRST)], LAST[(pid // len(FIRST)) % len(LAST)]
    user = f"{first.lower()}.{last.lower()}{pid}"
    p = {"screen_names": [rng.choice([f"@{user}", user, user.upper()])],
         "display_names": [f"{first} {last}"]}
    if not as_victim:
        p["emails"] = [spell_email(rng, user, "example.com")]
        p["phones"] = [spell_phone(rng, f"{pid % 1000:03d}")]
        p["ip_events"] = [{"ip": f"203.0.113.{pid % 250 + 1}", "port": 40000 + pid % 1000,
                           "time": f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
                           "event": rng.choice(["login", "upload", "registration"])}]
        p["approximate_age"] = rng.randint(25, 55)
    else:
        p["approximate_age"] = rng.randint(9, 15)
    p["estimated_location"] = {"country": "GB", "city": rng.choice(["Exampleton", "Sampleford", "Demoport"])}
    return p


RINGS = 6  # offender rings: separate networks in the demo


def report(rng, n, samples):
    offender = rng.randint(0, 39)  # 40 offenders recurring over the reports, in RINGS rings
    ring = offender % RINGS
    victim = 100 + ring * 14 + rng.randint(0, 13)  # each ring targets its own children
    files = []
    for _ in range(rng.choice([0, 0, 1, 2])):
        if samples and rng.random() < 0.5:
            s = samples[ring % len(samples)]  # each ring shares its own known series
            files.append({"file_name": f"upload_{n}.jpg", "md5": s["md5"], "sha1": s["sha1"], "sha256": s["sha256"],
                          **({"pdq": s["pdq"]} if s.get("pdq") else {}),
                          "industry_classification": rng.choice(["A1", "A2", "B1", "B2"]), "viewed_by_platform": True})
        else:
            files.append({"file_name": f"file_{n}.png", "md5": "%032x" % rng.getrandbits(128),
                          "viewed_by_platform": False})
    r = {"source": rng.choice(["industry", "industry", "industry", "public", "police"]),
         "incident_type": rng.choice(INCIDENTS),
         "incident_time": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:"
                          f"{rng.randint(0, 59):02d}:00Z",
         "platform": rng.choice(PLATFORMS),
         "immediate_danger": rng.random() < 0.05,
         "summary": rng.choice(SUMMARIES),
         "reported_people": [person(rng, offender)],
         "victims": [person(rng, victim, as_victim=True)],
         "files": files,
         "additional_info": "Synthetic demo report generated by scripts/demo-data.py."}
    if rng.random() < 0.4:
        names = {"adult": r["reported_people"][0]["screen_names"][0], "child": r["victims"][0]["screen_names"][0]}
        r["chat"] = [{"time": f"2026-11-01T20:{i:02d}:00Z", "author": names[who], "text": text}
                     for i, (who, text) in enumerate(CHAT[:rng.randint(2, len(CHAT))])]
    return r


def main():
    binary, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    rng = random.Random(20261129)
    os.makedirs(out, exist_ok=True)
    samples = [s for s in sample_hashes(binary) if s.get("md5")]
    with open(os.path.join(out, "known-list.csv"), "w") as f:
        f.write("md5,sha1,sha256,pdq,category,series\n")
        for i, s in enumerate(samples):
            f.write(f"{s['md5']},{s['sha1']},{s['sha256']},{s.get('pdq') or ''},{'ABC'[i % 3]},demo-series-{i + 1}\n")
    with open(os.path.join(out, "reports.ndjson"), "w") as f:
        for i in range(n):
            f.write(json.dumps(report(rng, i, samples)) + "\n")
    print(f"demo data: {len(samples)} known hashes, {n} reports in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
