#!/usr/bin/env python3
"""Real web pages: do sentences a reader sees come out exact?

    python3 bench/pages.py DIR [QUOTECHECK]

DIR holds one folder per page with `source.html` (the page as saved) and, optionally,
`expected.html` (its readable text, as Mozilla Readability's test pages have them: fetch the
readability repository and copy test/test-pages); without it the page's own <p> elements are
read. For each page, up to three sentences of 8 to 40 words are taken from
different paragraphs of expected.html (the text a reader sees: entities decoded, whitespace
collapsed), written as exact quotes against source.html, and checked. Prints the share that is
exact, the pages where some is not, and the time per page (median and largest). Nothing is
written outside DIR/claims-*.yaml.
"""
import html.parser, json, os, re, statistics, subprocess, sys, time

class Paragraphs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.cur, self.tag = [], None, None
    def handle_starttag(self, tag, attrs):
        # DocBook's XHTML (the Debian handbook) writes paragraphs as <div class="para">.
        if tag == "p" or (tag == "div" and ("class", "para") in attrs) or tag == "pre":
            self.cur, self.tag = [], tag
    def handle_endtag(self, tag):
        if tag == self.tag and self.cur is not None:
            # Preformatted text (an RFC) is paragraphs between blank lines.
            text = "".join(self.cur)
            parts = re.split(r"\n\s*\n", text) if tag == "pre" else [text]
            self.out += [" ".join(p.split()) for p in parts]
            self.cur = None
    def handle_data(self, data):
        if self.cur is not None:
            self.cur.append(data)

def sentences(expected):
    p = Paragraphs()
    p.feed(expected)
    usable = []
    for para in p.out:
        ok = []
        # A reader copying from an encyclopedia leaves its citation markers out.
        para = re.sub(r"(\[\d+\])+", "", para)
        for s in re.split(r"(?<=[.!?])\s+", para):
            words = s.split()
            # Whole prose sentences: no code, no quotation marks (YAML), no ellipsis or
            # bracket (quotation conventions), and no gap where the readable text left an
            # inline element out (a space before punctuation, as where a formula stood).
            plain = not any(x in s for x in ('"', "\\", "[", "…", "...", "{", ";", " ,", " ."))
            if 8 <= len(words) <= 40 and plain:
                ok.append(s)
        if ok:
            usable.append(ok)
    # One sentence from each of the first paragraphs; where fewer than three paragraphs
    # have one, later sentences of the same paragraphs.
    picked = []
    for rank in range(max((len(u) for u in usable), default=0)):
        picked += [u[rank] for u in usable if rank < len(u)][: 3 - len(picked)]
        if len(picked) == 3:
            break
    return picked

def main():
    root = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/quotecheck"
    total = exact = 0
    times, misses = [], []
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        # Readability's readable text where the folder has it, else the page's own paragraphs.
        readable = os.path.join(d, "expected.html")
        if not os.path.exists(readable):
            readable = os.path.join(d, "source.html")
        try:
            quotes = sentences(open(readable, encoding="utf-8").read())
        except (OSError, UnicodeDecodeError):
            continue
        if not quotes or not os.path.exists(os.path.join(d, "source.html")):
            continue
        claims = os.path.join(d, "claims-pages.yaml")
        with open(claims, "w", encoding="utf-8") as f:
            f.write("sources:\n  page:\n    versions:\n      html: source.html\nclaims:\n")
            for i, q in enumerate(quotes):
                f.write(f"  - id: s{i + 1}\n    quote: {json.dumps(q, ensure_ascii=False)}\n")
        t = time.perf_counter()
        r = subprocess.run([binary, "check", "--format", "json", claims], capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        try:
            report = json.loads(r.stdout)
        except json.JSONDecodeError:
            misses.append(f"{name}: exit {r.returncode}: {r.stderr.strip().splitlines()[:1]}")
            total += len(quotes)
            continue
        for c in report["claims"]:
            total += 1
            if c["verdict"] == "exact":
                exact += 1
            else:
                misses.append(f"{name} {c['id']}: {c['verdict']} {c['score']}: {c['suggestion'] or ''}"[:160])
    print(f"{exact}/{total} exact ({100 * exact / max(total, 1):.1f} %) over {len(times)} pages")
    if times:
        print(f"time per page: median {statistics.median(times) * 1000:.0f} ms, largest {max(times) * 1000:.0f} ms")
    for m in misses:
        print("  " + m)

main()
