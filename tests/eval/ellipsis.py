#!/usr/bin/env python3
"""Write the ellipsis evaluation sets from the texts in sources/ (run from anywhere):

    python3 tests/eval/ellipsis.py

- ellipsis-honest.yaml: the end of one sentence, an ellipsis, the start of the sentence after
  next. The sentence left out contains a number, a negation or an identifier; it governs
  nothing the quote keeps, so a careful editor would sign every one: labelled exact.
- ellipsis-dishonest.yaml: one sentence with its negation or number cut out by an ellipsis
  inside the clause ("the landlord is ... permitted"): labelled approximate.

Sentences are split by this script (a full stop, `!` or `?` and a space before a capital,
not after Mr., Mrs., Dr., St. or an initial), independently of quotecheck's own rule.
"""
import json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
TEXTS = {
    "hamlet": "sources/hamlet.txt",
    "sherlock": "sources/sherlock.txt",
    "declaration": "sources/declaration.txt",
    "constitution": "sources/constitution.txt",
}
NEGATIONS = {"not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "cannot"}
NUMBERS = {
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "first", "third", "fourth",
    "fifth", "tenth",
}
ABBREV = {"mr", "mrs", "dr", "st", "no"}

def bare(w):
    return re.sub(r"[^\w']", "", w).lower()

def meaningful(w):
    b = bare(w)
    return b in NEGATIONS or b in NUMBERS or any(c.isdigit() for c in b)

def sentences(paragraph):
    words = paragraph.split()
    out, cur = [], []
    for i, w in enumerate(words):
        cur.append(w)
        nxt = words[i + 1] if i + 1 < len(words) else None
        stripped = w.rstrip("”’\"')")
        if (
            nxt
            and stripped[-1:] in ".!?"
            and re.match(r"[“\"‘']?[A-Z]", nxt)
            and len(bare(w)) > 1
            and bare(w) not in ABBREV
        ):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out

def plain(words):
    s = " ".join(words)
    return not any(x in s for x in ("[", "]", "_", "...", "…", "--", "*"))

def paragraphs(path):
    text = open(os.path.join(HERE, path), encoding="utf-8").read().replace("\r\n", "\n")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]

def honest(paras, most):
    found = []
    for p in paras:
        s = sentences(p)
        for a, mid, b in zip(s, s[1:], s[2:]):
            if len(a) < 5 or len(b) < 5 or len(mid) > 100 or not any(map(meaningful, mid)):
                continue
            first, second = a[-min(len(a), 8):], b[: min(len(b), 8)]
            if plain(first) and plain(second) and not any(map(meaningful, first + second)):
                found.append((" ".join(first) + " ... " + " ".join(second), " ".join(mid)))
    step = max(1, len(found) // most)
    return found[::step][:most]

def dishonest(paras, most):
    found = []
    for p in paras:
        for s in sentences(p):
            for i in range(4, len(s) - 4):
                w = bare(s[i])
                if w not in NEGATIONS and not (w in NUMBERS or w.isdigit()):
                    continue
                before, after = s[i - 4 : i], s[i + 1 : i + 5]
                # One clause: no punctuation between the kept words and the word cut out.
                if any(re.search(r"[,;:.!?]$", x) for x in before + [s[i]]) or not plain(before + after):
                    continue
                if any(map(meaningful, before + after)):
                    continue
                found.append((" ".join(before) + " ... " + " ".join(after), s[i]))
                break
    step = max(1, len(found) // most)
    return found[::step][:most]

def write(name, sets, label, note):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(f"# Written by ellipsis.py; do not edit by hand. Labels: {label}.\n")
        f.write("sources:\n")
        for t, path in TEXTS.items():
            f.write(f"  {t}:\n    versions:\n      text: {path}\n")
        f.write("claims:\n")
        n = 0
        for t, items in sets.items():
            for i, (q, left) in enumerate(items):
                n += 1
                f.write(
                    f"  - {{id: {t}-{i + 1}, source: {t}, quote: {json.dumps(q, ensure_ascii=False)}, "
                    f"expect: {label}, note: {json.dumps(note + left, ensure_ascii=False)}}}\n"
                )
    print(f"{name}: {n} quotes")

paras = {t: paragraphs(p) for t, p in TEXTS.items()}
write("ellipsis-honest.yaml", {t: honest(p, 50) for t, p in paras.items()}, "exact", "leaves out: ")
write("ellipsis-dishonest.yaml", {t: dishonest(p, 12) for t, p in paras.items()}, "approximate", "hides: ")
