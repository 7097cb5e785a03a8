#!/usr/bin/env python3
"""Build the many-small-sources benchmark, shaped like a knowledge base of evidence quotes
against cached references: N_SOURCES Markdown files of 1-20 KB (log-uniform, so most are small), each with YAML front matter
and a title, cut from real text (the shared public-domain corpora, and the Markdown
documentation of the crates in Cargo's registry on this machine, when there is any); and
N_QUOTES quotes in claims files of about 25 claims each, every file citing about 20 sources
(shared between files), with a fixed seed: 60 % exact, 20 % with an ellipsis joining two
or three pieces of one paragraph, 15 % with 1-3 character edits, 5 % absent.

usage: gen_kb.py TEXT_DIR OUT_DIR N_SOURCES N_QUOTES
"""
import glob
import os
import random
import re
import sys

text_dir, out_dir, n_sources, n_quotes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(20261202)

prose = []
for f in sorted(os.listdir(text_dir)):
    if f.endswith(".txt") and not f.endswith(".norm.txt"):
        prose.append(open(os.path.join(text_dir, f), encoding="utf-8-sig").read())
docs = []
for f in sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/*/**/*.md"), recursive=True)):
    try:
        t = open(f, encoding="utf-8").read()
    except (UnicodeDecodeError, OSError):
        continue
    if 1000 <= len(t.encode()) <= 20000:
        docs.append(t)

def paragraphs(text):
    return [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.split()) >= 12]

pool = [p for t in prose for p in paragraphs(t)]
src_dir = os.path.join(out_dir, "claims", "references")
os.makedirs(src_dir, exist_ok=True)
sources = []  # (file name, list of paragraphs)
cursor = 0
for s in range(n_sources):
    name = f"PMID_{1000000 + s}.md"
    size = int(1000 * 20 ** random.random())  # log-uniform: many abstracts, few long texts
    if docs and s % 10 == 0:  # one in ten is real Markdown documentation
        body = docs[s // 10 % len(docs)]
        paras = paragraphs(body)
    else:
        paras, got = [], 0
        while got < size:
            p = pool[cursor % len(pool)]
            cursor += 1
            paras.append(p)
            got += len(p.encode()) + 2
        body = "\n\n".join(paras)
    title = " ".join(body.split()[:8]).replace('"', "")
    head = f'---\ntitle: "{title}"\nreference_id: PMID:{1000000 + s}\ncontent_type: abstract_only\n---\n\n# {title}\n\n'
    with open(os.path.join(src_dir, name), "w", encoding="utf-8") as f:
        f.write(head + body + "\n")
    sources.append((name, paras or [body]))

def clean(q):
    # Brackets would be editorial insertions, backslashes and quotes YAML escapes.
    return " ".join(re.sub(r'[\\"\[\]]', "", q).split())

def quote_from(paras):
    kind = random.random()
    long = [p for p in paras if len(p.split()) >= 30]
    if kind < 0.20 and long:  # pieces of one paragraph joined by an ellipsis
        words = random.choice(long).split()
        k, at, pieces = random.choice([2, 3]), random.randrange(len(words) // 2), []
        for _ in range(k):  # pieces of 4-10 words, 3-15 words left out between them
            n = random.randint(4, 10)
            pieces.append(" ".join(words[at : at + n]))
            at += n + random.randint(3, 15)
        pieces = [p for p in pieces if p]
        return " ... ".join(clean(p) for p in pieces)
    words = random.choice(paras).split()
    length = min(len(words), random.randint(8, 50))
    p = random.randrange(len(words) - length + 1)
    q = clean(" ".join(words[p : p + length]))
    if kind < 0.35:
        chars = list(q)
        for _ in range(random.randint(1, 3)):
            chars[random.randrange(len(chars))] = random.choice("abcdefghijklmnopqrstuvwxyz")
        q = "".join(chars)
    elif kind < 0.40:
        q = clean(" ".join(random.sample(words, min(len(words), length))))
    return q

per_file = 25
n_files = (n_quotes + per_file - 1) // per_file
made = 0
for i in range(n_files):
    cited = random.sample(range(n_sources), min(20, n_sources))
    lines = ["sources:\n"]
    for c in cited:
        lines.append(f"  ref{c}:\n    versions:\n      cached: references/{sources[c][0]}\n")
    lines.append("claims:\n")
    for j in range(min(per_file, n_quotes - made)):
        c = random.choice(cited)
        q = quote_from(sources[c][1])
        lines.append('  - {id: e%d, source: ref%d, quote: "%s", expect: missing}\n' % (made, c, q))
        made += 1
    with open(os.path.join(out_dir, "claims", f"disease{i:04}.yaml"), "w", encoding="utf-8") as f:
        f.write("".join(lines))
