#!/usr/bin/env python3
"""Synthetic intake reports with planted people and planted networks.

    gen_reports.py --reports N --out DIR [--seed S] [--network-share F]

Writes into DIR:
  reports.ndjson         one report per line, the format `safeguard import` takes
                         (src/intake/report.h)
  list.csv               a hash list (md5,category,series) holding the known
                         material the networks share: import it first with
                         `safeguard lists import --name gen --format csv --scheme uk`
  truth_reports.ndjson   per report line: {"line", "reported": [person labels],
                         "victims": [person labels], "reported_strong", "victims_strong":
                         per person, the kinds of strong identifier shown (email, screen,
                         phone, url, device)} in the report's order
  truth_persons.ndjson   per person: {"person", "network" (label or null), "role"}

Two mentions of one person can be linked by strong identifiers only if a chain
of mentions sharing a kind joins them (one shows only an email, another only a
screen name, and no third shows both: nothing says they are one person). The
eval scores people against both the full truth and this linkable truth.

Everything is streamed: memory does not grow with N (one unit of reports at a
time), so 10M reports need the same memory as 100k.

People. Each person has identifiers, and each report shows a few of them in a
spelling that varies as in real reports: emails in any case, with a "+tag"; phones as 07700 900123, +44 7700 900123, +44 (0)7700-900-123,
0044 7700 900123; screen names with or without "@", in any case; profile URLs
with or without www, http(s), a trailing slash or tracking parameters. Every
mention carries at least one strong identifier (email, screen name on the
report's platform, phone, profile URL, device id), so strong-identifier
resolution can find every person; weak ones (display names, IP events) come
on top. Only generated names, example.com emails, 07700 900xxx phones (1,000
exist, so at most 1,000 persons get one), documentation IP ranges.

Networks. A planted network is 2..5 offenders and 2..6 victims on one
platform: each offender targets 1..3 of the victims (so offenders share
victims), there are direct-contact reports naming two offenders, some
reports carry a file of the network's known-material series (in list.csv),
some name the network's group ("Group: ..." in additional_info). Noise: lone
offenders with one victim (a network of two) and reports naming only a
reported person (no network). Text is non-explicit.
"""
import argparse
import datetime
import hashlib
import json
import os
import random

FIRST = ["alex", "sam", "jordan", "casey", "riley", "morgan", "taylor", "jamie", "robin", "quinn",
         "drew", "avery", "rowan", "sage", "river", "ellis", "harper", "logan", "reese", "skyler"]
LAST = ["stone", "brook", "field", "marsh", "hill", "wood", "ford", "dale", "lane", "moor",
        "vale", "glen", "shaw", "wells", "cross", "banks", "grove", "heath", "leigh", "wade"]
PLATFORMS = ["ExampleChat", "ExamplePhotoShare", "ExampleGameHub", "ExampleVideoApp"]
SUMMARIES = [
    "An adult account asked the child their age and school, then suggested moving to a private app.",
    "The account offered game currency as a gift and asked the child to keep the chat secret.",
    "The user asked whether the child's parents were home and proposed meeting at the weekend.",
    "Repeated requests to turn on the camera and to send a pic, after compliments and gifts.",
]
CONTACT_SUMMARIES = [
    "Two accounts were seen messaging each other and arranging to share contacts of children.",
    "A private group chat between the reported accounts discussed which children were online.",
]


def b36(n):
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + s
        if n == 0:
            return s


def luhn_digit(digits):
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


class Person:
    __slots__ = ("label", "n", "first", "last", "platform", "phone", "imei", "age", "victim")

    def __init__(self, n, rng, platform, victim, phone):
        self.label = f"p{n}"
        self.n = n
        self.first = rng.choice(FIRST)
        self.last = rng.choice(LAST)
        self.platform = platform
        self.phone = phone  # 0..999 or None
        body = f"35{n:012d}"[-14:]
        self.imei = body + luhn_digit(body)
        self.victim = victim
        self.age = rng.randint(7, 15) if victim else rng.randint(19, 60)

    def email(self, rng):
        local = f"{self.first}.{self.last}.{b36(self.n)}"
        style = rng.random()
        if style < 0.3:
            local = local.upper() if rng.random() < 0.5 else local.capitalize()
        elif style < 0.5:
            local += "+" + rng.choice(["news", "shop", "x1"])
        domain = rng.choice(["example.com", "Example.com", "EXAMPLE.COM"])
        # No spaces: intake refuses an email with one (field_checks.cc).
        return f"{local}@{domain}"

    def phone_text(self, rng):
        d = f"{self.phone:03d}"
        return rng.choice([f"07700 900{d}", f"+44 7700 900{d}", f"+44 (0)7700-900-{d}",
                           f"0044 7700 900{d}", f"07700900{d}", f"+447700 900 {d}"])

    def screen_name(self, rng):
        name = f"{self.first}_{self.last}_{b36(self.n)}"
        if rng.random() < 0.3:
            name = name.upper() if rng.random() < 0.5 else name.title()
        return ("@" + name) if rng.random() < 0.4 else name

    def profile_url(self, rng):
        host = "www.example.com" if rng.random() < 0.5 else "example.com"
        scheme = "https" if rng.random() < 0.8 else "http"
        url = f"{scheme}://{host}/u/{self.first}{self.last}{b36(self.n)}"
        r = rng.random()
        if r < 0.25:
            url += "/"
        elif r < 0.5:
            url += "?utm_source=share&utm_medium=app"
        return url

    def ip_event(self, rng):
        """A login from the person's own address and source port (stable per
        person, spread over both documentation ranges and all ports, as
        behind carrier-grade NAT) on the person's active day, at any hour:
        two captures of one person fall within an hour now and then; two
        people share an address, port and hour only by rare chance."""
        h = int(hashlib.sha256(f"ip:{self.n}".encode()).hexdigest()[:12], 16)
        net = "198.51.100" if h & 1 else "203.0.113"
        ip = f"{net}.{(h >> 1) % 254 + 1}"
        port = 1024 + (h >> 9) % 64000
        day = 1 + (h >> 25) % 28
        return {"ip": ip, "port": port, "time": f"2026-10-{day:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
                "event": "login"}

    def display_name(self):
        return f"{self.first.capitalize()} {self.last.capitalize()}"

    def mention(self, rng, platform):
        """The person as one report names them: a few identifiers, at least one strong."""
        m = {}
        strong = []
        if rng.random() < 0.6:
            strong.append("email")
        if platform == self.platform and rng.random() < 0.7:
            strong.append("screen")
        if self.phone is not None and rng.random() < 0.4:
            strong.append("phone")
        if rng.random() < 0.25:
            strong.append("url")
        if not self.victim and rng.random() < 0.2:
            strong.append("device")
        if not strong:
            strong.append("email")
        if "email" in strong:
            m["emails"] = [self.email(rng)]
        if "screen" in strong:
            m["screen_names"] = [self.screen_name(rng)]
        if "phone" in strong:
            m["phones"] = [self.phone_text(rng)]
        if "url" in strong:
            m["profile_urls"] = [self.profile_url(rng)]
        if "device" in strong:
            imei = self.imei if rng.random() < 0.5 else f"IMEI {self.imei[:2]}-{self.imei[2:8]}-{self.imei[8:14]}-{self.imei[14]}"
            m["device_ids"] = [imei]
        if rng.random() < 0.5:
            m["display_names"] = [self.display_name()]
        if rng.random() < 0.2:
            m["ip_events"] = [self.ip_event(rng)]
        if self.victim and rng.random() < 0.8:
            m["approximate_age"] = self.age
        return m, sorted(strong)


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.out = args.out
        self.next_person = 1
        self.next_network = 1
        self.line = 0
        self.phones_left = list(range(1000))
        self.rng.shuffle(self.phones_left)
        self.reports = open(os.path.join(args.out, "reports.ndjson"), "w")
        self.truth_reports = open(os.path.join(args.out, "truth_reports.ndjson"), "w")
        self.truth_persons = open(os.path.join(args.out, "truth_persons.ndjson"), "w")
        self.list = open(os.path.join(args.out, "list.csv"), "w")
        self.list.write("md5,category,series\n")

    def person(self, platform, victim, network, role):
        phone = self.phones_left.pop() if self.phones_left and self.rng.random() < 0.3 else None
        p = Person(self.next_person, self.rng, platform, victim, phone)
        self.next_person += 1
        self.truth_persons.write(json.dumps({"person": p.label, "network": network, "role": role}) + "\n")
        return p

    def _date(self, day):
        # Days after 2025-01-01, as an RFC 3339 instant.
        d = datetime.datetime(2025, 1, 1) + datetime.timedelta(days=day, seconds=self.rng.randint(0, 86399))
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")

    def emit(self, platform, offenders, victims, summary, incident="online_enticement", files=None,
             group=None, danger=False):
        r = {"source": self.rng.choice(["industry", "industry", "public", "police"]),
             "incident_type": incident,
             "incident_time": self._date(self.rng.randint(0, 690)),
             "platform": platform,
             "summary": summary}
        if danger:
            r["immediate_danger"] = True
        reported = [o.mention(self.rng, platform) for o in offenders]
        named = [v.mention(self.rng, platform) for v in victims]
        if offenders:
            r["reported_people"] = [m for m, _ in reported]
        if victims:
            r["victims"] = [m for m, _ in named]
        if files:
            r["files"] = files
        if group:
            r["additional_info"] = f"Reported from a community on the platform.\nGroup: {group}"
        self.line += 1
        self.reports.write(json.dumps(r, separators=(",", ":")) + "\n")
        self.truth_reports.write(json.dumps({"line": self.line, "reported": [o.label for o in offenders],
                                             "victims": [v.label for v in victims],
                                             "reported_strong": [k for _, k in reported],
                                             "victims_strong": [k for _, k in named]}) + "\n")

    def network(self):
        rng = self.rng
        label = f"n{self.next_network}"
        self.next_network += 1
        platform = rng.choice(PLATFORMS)
        offenders = [self.person(platform, False, label, "reported") for _ in range(rng.randint(2, 5))]
        victims = [self.person(platform, True, label, "victim") for _ in range(rng.randint(2, 6))]
        series = f"series-{label}"
        md5s = [hashlib.md5(f"{label}-file-{k}".encode()).hexdigest() for k in range(2)]
        for m in md5s:
            self.list.write(f"{m},A,{series}\n")
        group = f"{rng.choice(FIRST)} {rng.choice(LAST)} club {label}" if rng.random() < 0.3 else None
        danger = rng.random() < 0.05
        # Each victim is targeted by at least one offender; each offender by
        # 1..3 victims: the shared victims tie the offenders together.
        targets = {id(o): set() for o in offenders}
        for v in victims:
            targets[id(rng.choice(offenders))].add(v.n)
        for o in offenders:
            for v in rng.sample(victims, min(len(victims), rng.randint(1, 3))):
                targets[id(o)].add(v.n)
        # Consecutive offenders are tied for sure, so the planted network is
        # one component of the data: half the time by a victim they share,
        # else by a direct-contact report below.
        contact = []
        for a, b in zip(offenders, offenders[1:]):
            if rng.random() < 0.5:
                shared = rng.choice(sorted(targets[id(a)]))
                targets[id(b)].add(shared)
            else:
                contact.append((a, b))
        by_n = {v.n: v for v in victims}
        for o in offenders:
            for vn in sorted(targets[id(o)]):
                for _ in range(rng.randint(1, 2)):
                    files = None
                    if rng.random() < 0.3:
                        files = [{"md5": rng.choice(md5s), "industry_classification": "A2"}]
                    self.emit(platform, [o], [by_n[vn]], rng.choice(SUMMARIES), files=files,
                              group=group if rng.random() < 0.5 else None, danger=danger and rng.random() < 0.3)
        for a, b in contact:
            self.emit(platform, [a, b], [], rng.choice(CONTACT_SUMMARIES), incident="other")
        # Known material of the series, reported without a victim.
        for o in offenders:
            if rng.random() < 0.4:
                self.emit(platform, [o], [], "Uploads matched the platform's hash list.", incident="csam",
                          files=[{"md5": rng.choice(md5s), "industry_classification": "A1"}])

    def noise_pair(self):
        platform = self.rng.choice(PLATFORMS)
        label = f"x{self.next_network}"
        self.next_network += 1
        o = self.person(platform, False, label, "reported")
        v = self.person(platform, True, label, "victim")
        for _ in range(self.rng.randint(1, 3)):
            self.emit(platform, [o], [v], self.rng.choice(SUMMARIES))

    def noise_alone(self):
        platform = self.rng.choice(PLATFORMS)
        o = self.person(platform, False, None, "reported")
        for _ in range(self.rng.randint(1, 2)):
            self.emit(platform, [o], [], "Unsolicited messages to several accounts; no victim named.",
                      incident="other")

    def run(self, n, network_share):
        while self.line < n:
            r = self.rng.random()
            if r < network_share / 8:  # a network gives ~8x the reports of a noise unit
                self.network()
            elif r < 0.6:
                self.noise_pair()
            else:
                self.noise_alone()
        for f in (self.reports, self.truth_reports, self.truth_persons, self.list):
            f.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--network-share", type=float, default=0.4,
                    help="about this share of the reports come from planted networks")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    Generator(args).run(args.reports, args.network_share)


if __name__ == "__main__":
    main()
