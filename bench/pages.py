#!/usr/bin/env python3
"""Real web pages: do sentences a reader sees come out exact?

    python3 bench/pages.py DIR [QUOTECHECK]

DIR holds one folder per page with `source.html` (the page as saved) and `expected.html` (its
readable text, as Mozilla Readability's test pages have them: fetch the readability repository
and copy test/test-pages). For each page, up to three sentences of 8 to 40 words are taken from
different paragraphs of expected.html (the text a reader sees: entities decoded, whitespace
collapsed), written as exact quotes against source.html, and checked. Prints the share that is
exact, the pages where some is not, and the time per page (median and largest). Nothing is
written outside DIR/claims-*.yaml.
"""
import html.parser, json, os, re, statistics, subprocess, sys, time

class Paragraphs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.cur, self.depth = [], None, 0
    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.cur, self.depth = [], 1
        elif tag in ("script", "style", "figcaption", "sup") and self.cur is not None:
            self.depth += 1
    def handle_endtag(self, tag):
        if tag == "p" and self.cur is not None:
            self.out.append(" ".join("".join(self.cur).split()))
            self.cur = None
    def handle_data(self, data):
        if self.cur is not None:
            self.cur.append(data)

def sentences(expected):
    p = Paragraphs()
    p.feed(expected)
    picked = []
    for para in p.out:
        for s in re.split(r"(?<=[.!?])\s+", para):
            words = s.split()
            # Whole prose sentences: no code, no quotation marks (YAML), no ellipsis or
            # bracket (quotation conventions), and no gap where the readable text left an
            # inline element out (a space before punctuation, as where a formula stood).
            plain = not any(x in s for x in ('"', "\\", "[", "…", "...", "{", ";", " ,", " ."))
            if 8 <= len(words) <= 40 and plain:
                picked.append(s)
                break
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
        try:
            quotes = sentences(open(os.path.join(d, "expected.html"), encoding="utf-8").read())
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
