#!/usr/bin/env python3
"""Synthetic, NON-EXPLICIT, labelled chat conversations for the chat analysis.

Grooming conversations are built only from the indicator categories (age
probing, compliments, gifts and game currency, risk assessment, secrecy,
isolation, moving to a private app, neutral photo/webcam requests, meeting
proposals, pressure), in O'Connell's stage order, with varied wording and
spelling (u/ur/r, leet digits, stretched letters, emoji, caps). Hard
negatives: parents arranging pick-ups, teenage peers, coaches and teachers,
in-game trading, scams, adults talking about their children's ages; plus
ordinary small talk.

Two splits with DIFFERENT phrase templates as well as different seeds:
  --split tune  the phrases the lexicon and scorecard were tuned on
  --split test  held-out phrasings, never used for tuning
so the test split measures generalisation to unseen wording, not recall of
the tuning sentences.

Output: JSON lines (conversation, author, time, text, platform) on --out,
and labels on --labels: {"conversation", "label": 0|1, "kind",
"predator": author or null} per conversation. Names are generated; no real
personal data.
"""
import argparse
import json
import random
import sys

FIRST = ["alex", "sam", "jo", "max", "ellie", "kai", "ruby", "leo", "mia", "noah", "zara", "finn", "isla",
         "theo", "amara", "ollie", "lily", "jack", "ava", "harry", "evie", "omar", "nina", "ben", "chloe"]
SUFFIX = ["", "_x", "99", "_gamer", "xo", "_11", "_official", "123", "_uk", "_ttv", "_07"]

# Phrase templates per category and split. {n}: a number, {app}: an app.
T = {
 "tune": {
  "compliment": ["ur really talented", "you're so pretty", "ur so funny honestly", "love your pics", "you're amazing at this game",
                 "ur so smart", "you seem really special"],
  "age_probe": ["how old are you?", "asl?", "how old r u", "what year are you in at school?", "whats ur age"],
  "minor_ack": ["ur so mature for ur age", "you're only {age}? you seem older", "age is just a number",
                "you act so much older than you are", "you're wise beyond your years"],
  "personal": ["which school do u go to", "where do you live", "what time does school finish",
               "what town are you in", "do u walk home alone"],
  "risk": ["are your parents home?", "r u home alone", "who else uses your phone", "do your parents check your phone",
           "is anyone else around", "when does ur mum get home"],
  "gifts": ["i'll buy you a new phone", "i got you a present", "i can get u some robux", "want a gift card?",
            "i'll send you some vbucks", "i can top up your phone"],
  "secrecy": ["dont tell anyone about us", "it's our secret ok", "delete this chat after", "keep this between us",
              "nobody needs to know", "just between you and me"],
  "isolation": ["only i understand you", "ur friends don't get you", "you don't need them", "i'm the only one who gets you",
                "your parents treat you like a kid"],
  "platform": ["add me on snap", "lets talk on telegram", "do u have whatsapp", "whats ur snap", "message me on kik",
               "lets move to discord its more private"],
  "photo": ["send me a pic", "turn on your cam", "can i see a selfie", "send me a photo of you", "go on cam"],
  "pressure": ["if u really liked me u would", "dont be shy", "you promised me", "come on pls pls",
               "after everything i've done for you"],
  "meeting": ["we should meet up", "i can pick you up after school", "where can we meet", "lets hang out this weekend",
              "i'll wait for you outside the station", "can u sneak out"],
  "answer_age": ["{age}", "im {age}", "{age} u?", "i'm {age} lol", "{age} f", "im in year {year}"],
  "adult_age": ["im {aage}", "i'm {aage} but age doesnt matter", "{aage} m"],
  "child_reply": ["lol thanks", "ok", "idk", "haha", "maybe", "yeah", "not sure", "thats cool", "why?", "ok i guess"],
  "smalltalk": ["did u see the match last night", "what games do you play", "i love that song", "school was so boring today",
                "whats your fav film", "i got a new skin today", "my cat is being weird", "its raining again"],
  "opening": ["hey! saw your video, you're really talented", "hi there, love your profile, you seem cool",
              "hey, nice build in that game, wanna play sometime"],
 },
 "test": {
  "compliment": ["honestly you're the coolest person on here", "your drawings are incredible", "you've got such a nice smile",
                 "you're really clever for real", "you're gorgeous tbh"],
  "age_probe": ["how old r u anyway", "so what age are you", "what grade are you in", "a/s/l", "when's ur birthday? how old will u be"],
  "minor_ack": ["you seem so grown up for a 13 year old", "you're just {age}, wow", "you're really mature for your age",
                "i don't care about your age", "you're not like other kids your age"],
  "personal": ["what school are you at?", "which area do you live in", "when do you get out of school",
               "what's your address, just curious", "which bus do you take home"],
  "risk": ["is ur mum around?", "are you alone right now", "can anyone see your screen", "does your dad read your messages",
           "are you in your room", "who's home with you"],
  "gifts": ["i could get you those trainers you wanted", "want me to send you some money", "i'll pay for your battle pass",
            "got a surprise for you", "i could buy u a steam card"],
  "secrecy": ["don't mention me to your parents", "make sure you clear your chat history", "this stays between us ok",
              "you can't tell anyone, they wouldn't understand", "hide this app from your mum"],
  "isolation": ["nobody understands you like i do", "your friends are just jealous", "you can always talk to me about anything",
                "we have a special connection", "stop hanging out with them"],
  "platform": ["got snapchat?", "download telegram and msg me there", "this app is monitored, lets go somewhere private",
               "here's my kik, add me", "dm me on insta"],
  "photo": ["could i see a picture of you", "video call me later?", "show me your room", "wanna swap selfies",
            "facetime tonight?"],
  "pressure": ["why are you ignoring me", "i'll be upset if you don't", "it's only one pic", "answer me",
               "prove you trust me"],
  "meeting": ["i'm going to be in your area on saturday", "can we meet irl", "come to my place after school",
              "i'll get you a train ticket", "come alone ok", "meet me at the park"],
  "answer_age": ["{age} hbu", "turning {age1} next month", "{age}/f", "i'm {age} years old", "im in {grade}th grade", "{age} yo"],
  "adult_age": ["im {aage} lol", "{aage} here", "i'm {aage} years old"],
  "child_reply": ["omg", "hmm ok", "idk tbh", "lol", "sure", "wdym", "yeah i guess", "brb", "k", "thanks!"],
  "smalltalk": ["have you tried the new map", "my teacher gave us so much homework", "i watched that series you said",
                "what music are you into", "football practice was hard", "i'm so tired today"],
  "opening": ["hi! your stream was so fun, you're a natural", "hey cutie, love your posts",
              "yo, you were amazing in that match, add me?"],
 },
}

# Hard negatives per split: lists of (speaker role, phrase) scripts.
NEG = {
 "tune": {
  "parent": [("p", "hi love, i'll pick you up after school at 3:30"), ("c", "ok can sam come"), ("p", "are you at the library?"),
             ("c", "yeah"), ("p", "dont forget your coat, its cold"), ("p", "i'll wait outside the station"),
             ("c", "ok see u"), ("p", "is anyone else coming home with you?")],
  "peers": [("a", "how old r u? im {age}"), ("b", "im {age} too!"), ("a", "add me on snap"), ("b", "whats ur snap"),
            ("a", "we should hang out at the park saturday"), ("b", "ya lets meet at the shops"), ("a", "did u finish the maths homework")],
  "coach": [("t", "great practice today, you're really talented"), ("c", "thanks coach"), ("t", "training moves to 5pm on thursday"),
            ("t", "can your parents pick you up at 6?"), ("c", "yes my dad will"), ("t", "remember to bring your kit")],
  "trade": [("a", "wanna trade your skin for 400 robux"), ("b", "no way its worth more"), ("a", "ok 500 robux and a pet"),
            ("b", "deal, add me on discord"), ("a", "gg")],
  "scam": [("s", "congratulations you won a gift card!"), ("s", "send me your number to claim"), ("v", "is this real"),
           ("s", "just pay the fee with paypal"), ("v", "no thanks")],
  "adult_kids": [("a", "my son is {age} now, can you believe it"), ("b", "wow my daughter is in year 8"),
                 ("a", "time flies, he was 5 years ago"), ("b", "we should meet up for coffee"), ("a", "yes lets meet this weekend")],
 },
 "test": {
  "parent": [("p", "running late, can you wait at the school gate?"), ("c", "fine"), ("p", "is your brother with you"),
             ("c", "yes"), ("p", "i'll be there in 10 minutes"), ("p", "text me when you get home")],
  "peers": [("a", "r u in year 9 too"), ("b", "ya im {age}"), ("a", "got snapchat?"), ("b", "yea add me"),
            ("a", "can we meet irl at the cinema with jess"), ("b", "omg yes")],
  "coach": [("t", "you played brilliantly, really proud of you"), ("c", "thank u miss"), ("t", "what time does school finish on friday? we need you for the match"),
            ("c", "3pm"), ("t", "great, the minibus leaves at 3:30, tell your parents")],
  "trade": [("a", "selling vbucks cheap"), ("b", "how much"), ("a", "1000 for 5 quid on paypal"), ("b", "sounds like a scam lol"),
            ("a", "dm me on discord then")],
  "scam": [("s", "your account will be suspended, send the code we texted you"), ("v", "what"), ("s", "buy a steam card and send the code"),
           ("v", "reporting this")],
  "adult_kids": [("a", "my kids are 13 and 15, teenagers are exhausting"), ("b", "ha mine is in 8th grade"),
                 ("a", "he's 14 next month"), ("b", "lets get the families together irl sometime")],
 },
}

APPS = ["snap", "telegram", "discord", "kik", "whatsapp"]
EMOJI = ["\U0001F600", "\U0001F602", "\U0001F60A", "\u2764\ufe0f", "\U0001F44D", "\U0001F525", "\U0001F440"]
LEET = {"o": "0", "e": "3", "a": "4", "i": "1", "s": "5", "t": "7"}


def name(rng):
    return rng.choice(FIRST) + rng.choice(SUFFIX) + str(rng.randint(1, 999))


def noisy(text, rng, level):
    """Spelling noise: stretched letters, leet, caps, emoji, 'you' -> 'u'."""
    if rng.random() < 0.3 * level:
        text = text.replace("you", "u").replace("your", "ur").replace(" are ", " r ")
    if rng.random() < 0.2 * level:
        words = text.split(" ")
        i = rng.randrange(len(words))
        w = words[i]
        if w and w[-1].isalpha():
            words[i] = w + w[-1] * rng.randint(2, 4)
        text = " ".join(words)
    if rng.random() < 0.1 * level:
        text = "".join(LEET[c] if c in LEET and rng.random() < 0.5 and not c.isdigit() else c for c in text)
    if rng.random() < 0.1 * level:
        text = text.upper()
    if rng.random() < 0.25 * level:
        text = text + " " + rng.choice(EMOJI)
    return text


def fill(text, rng, age, aage):
    year = max(1, min(13, age - 4))
    return text.format(age=age, age1=age + 1, aage=aage, year=year, grade=max(1, age - 5), n=rng.randint(2, 9),
                       app=rng.choice(APPS))


class Clock:
    def __init__(self, rng):
        self.rng = rng
        self.t = rng.randint(0, 300) * 86400 + rng.randint(0, 86399)

    def next(self, late=False):
        self.t += self.rng.randint(5, 600)
        if late and self.rng.random() < 0.6:
            day = self.t - self.t % 86400
            self.t = max(self.t, day + 23 * 3600 + self.rng.randint(0, 3599))
        s = self.t
        return "2026-%02d-%02dT%02d:%02d:%02dZ" % (1 + (s // 86400) % 12, 1 + (s // 86400) % 28, (s // 3600) % 24,
                                                   (s // 60) % 60, s % 60)


def grooming(rng, split, cid, adult, child, opening=None):
    P = T[split]
    age = rng.randint(11, 15)
    aage = rng.randint(22, 55)
    lvl = rng.choice([0.5, 1.0, 1.5])
    clock = Clock(rng)
    late = rng.random() < 0.5
    msgs = []

    def say(who, text):
        msgs.append((who, noisy(fill(text, rng, age, aage), rng, lvl)))

    def child_says():
        if rng.random() < 0.7:
            say(child, rng.choice(P["child_reply"]))

    say(adult, opening or rng.choice(P["opening"]))
    child_says()
    # Stages in order, each with a chance; some conversations stop early.
    stages = [["compliment"], ["age_probe"], ["minor_ack", "personal"], ["gifts", "isolation"], ["risk"],
              ["secrecy"], ["platform"], ["photo", "pressure"], ["meeting"]]
    depth = rng.randint(4, len(stages))
    for si, stage in enumerate(stages[:depth]):
        for cat in stage:
            if rng.random() < (0.75 if cat != "age_probe" else 0.6):
                say(adult, rng.choice(P[cat]))
                if cat == "age_probe":
                    if rng.random() < 0.7:
                        say(child, rng.choice(P["answer_age"]))
                        if rng.random() < 0.5:
                            say(adult, rng.choice(P["adult_age"]))
                else:
                    child_says()
        for _ in range(rng.randint(0, 3)):
            say(rng.choice([adult, child]), rng.choice(P["smalltalk"]))
    return [(cid, a, clock.next(late), t) for a, t in msgs]


def negative(rng, split, cid):
    kind = rng.choice(list(NEG[split].keys()) + ["smalltalk", "smalltalk"])
    clock = Clock(rng)
    age = rng.randint(12, 16)
    a, b = name(rng), name(rng)
    msgs = []
    if kind == "smalltalk":
        for _ in range(rng.randint(4, 14)):
            msgs.append((rng.choice([a, b]), noisy(rng.choice(T[split]["smalltalk"]), rng, 1.0)))
    else:
        script = NEG[split][kind]
        roles = {}
        for role, text in script:
            who = roles.setdefault(role, a if not roles else b)
            if rng.random() < 0.85:
                msgs.append((who, noisy(fill(text, rng, age, 40), rng, 1.0)))
            if rng.random() < 0.3:
                msgs.append((rng.choice([a, b]), noisy(rng.choice(T[split]["smalltalk"]), rng, 1.0)))
    if not msgs:
        msgs.append((a, "hi"))
    return kind, [(cid, x, clock.next(), t) for x, t in msgs]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["tune", "test"], required=True)
    ap.add_argument("--seed", type=int, default=None, help="default: 1 for tune, 2 for test")
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--grooming-share", type=float, default=0.2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--labels", help="labels file (JSON lines)")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else (1 if args.split == "tune" else 2)
    rng = random.Random(seed)
    out = open(args.out, "w", encoding="utf-8")
    labels = open(args.labels, "w", encoding="utf-8") if args.labels else None
    # Predators with several victims reuse a scripted opening.
    predators = []
    i = 0
    while i < args.conversations:
        cid = "%s-%d-%06d" % (args.split, seed, i)
        if rng.random() < args.grooming_share:
            if predators and rng.random() < 0.4:
                adult, opening = rng.choice(predators)
            else:
                adult, opening = name(rng), rng.choice(T[args.split]["opening"])
                predators.append((adult, opening))
            rows = grooming(rng, args.split, cid, adult, name(rng), opening)
            label = {"conversation": cid, "label": 1, "kind": "grooming", "predator": adult}
        else:
            kind, rows = negative(rng, args.split, cid)
            label = {"conversation": cid, "label": 0, "kind": kind, "predator": None}
        for c, a, t, text in rows:
            out.write(json.dumps({"conversation": c, "author": a, "time": t, "text": text, "platform": "synthetic"},
                                 ensure_ascii=False) + "\n")
        if labels:
            labels.write(json.dumps(label) + "\n")
        i += 1
    out.close()
    if labels:
        labels.close()


if __name__ == "__main__":
    sys.exit(main())
