#!/usr/bin/env bash
# End-to-end benchmark: builds data sets from real public-domain text, runs `quotecheck
# check` on them, and prints time (the median of a few runs), throughput and peak memory;
# checks every exact and approximate verdict against the exhaustive alignment at 10 MB;
# times Python's edlib (a per-quote infix alignment) on the same data when it can be
# installed.
#
#   bench/run.sh              the 3-size table (2.5, 10, 40 MB), many small sources, the
#                             results cache (cold, warm, one claim changed), the 10 MB checks
#   FULL=1 bench/run.sh       also 100,000 quotes against 100 MB, with and without the cache
#
# Text: the project's shared corpora (../shared/corpora, TEXT_DIR to override), or else the
# King James Bible from Debian's bible-kjv-text package.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${WORK:-target/bench}
mkdir -p "$work"

text_dir=${TEXT_DIR:-../shared/corpora}
if [ ! -d "$text_dir" ]; then
  text_dir="$work/text"
  mkdir -p "$text_dir"
  if [ ! -s "$text_dir/kjv.txt" ]; then
    command -v bible >/dev/null || { apt-get update -q && apt-get install -y -q bible-kjv bible-kjv-text; }
    bible Gen1:1-Rev22:21 </dev/null > "$text_dir/kjv.txt"
  fi
fi
command -v /usr/bin/time >/dev/null || { apt-get update -q && apt-get install -y -q time; }

cargo build --release --quiet
bin=target/release/quotecheck

# run NAME ARGS...: time one run; prints wall seconds and peak KB.
run() {
  local log="$work/$1.time"; shift
  /usr/bin/time -v "$bin" "$@" > "$work/last.json" 2> "$log" || [ $? -le 1 ]
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$wall $rss"
}

printf '%-10s %8s %10s %10s %12s %12s\n' "source" "quotes" "seconds" "peak MB" "MB/s" "quotes/s"
# table MB QUOTES RUNS: the median wall time and the largest peak of RUNS runs (one-off
# runs of a fraction of a second vary by a fifth on a shared machine).
table() {
  local mb=$1 n=$2 runs=$3 dir="$work/set-$1" walls=() wall rss peak=0
  python3 bench/gen.py "$text_dir" "$dir" "$mb" "$n"
  for _ in $(seq "$runs"); do
    read -r wall rss < <(run "check-$mb" check -q --no-cache --format json "$dir/claims.yaml")
    walls+=("$wall")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rss=$peak
  echo "$wall" > "$work/check-$mb.wall"
  cp "$work/last.json" "$dir/report.json"
  awk -v mb="$mb" -v n="$n" -v w="$wall" -v r="$rss" 'BEGIN {
    printf "%-10s %8d %10.2f %10.0f %12.1f %12.0f\n", mb " MB", n, w, r/1024, mb/w, n/w }'
}
table 2.5 250 5
table 10 1000 5
table 40 4000 3
if [ "${FULL:-0}" = 1 ]; then
  table 100 100000 1
fi

# Many small sources, shaped like a knowledge base of evidence quotes (bench/gen_kb.py).
kb="$work/kb"
[ -d "$kb/claims" ] || python3 bench/gen_kb.py "$text_dir" "$kb" 6000 10000
kb_mb=$(du -cb "$kb"/claims/references/*.md | tail -1 | awk '{printf "%.1f", $1 / 1e6}')
walls=(); peak=0
for _ in 1 2 3; do
  read -r wall rss < <(run check-kb check -q --no-cache --format json "$kb/claims")
  walls+=("$wall"); [ "$rss" -gt "$peak" ] && peak=$rss
done
wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
cp "$work/last.json" "$kb/report.json"
awk -v mb="$kb_mb" -v w="$wall" -v r="$peak" 'BEGIN {
  printf "%-10s %8d %10.2f %10.0f %12.1f %12.0f   (6,000 Markdown sources)\n", mb " MB", 10000, w, r/1024, mb/w, 10000/w }'

# Quotes missing from a mid-sized source, as a fabricated quote checked against a book: the
# 10 MB set's 1,000 quotes against its first 900 KB (whole lines), where most (845) are
# missing. Sources of up to a million characters are aligned whole to prove that, where a
# window holds enough of the quote's 3-grams.
mid="$work/mid"
mkdir -p "$mid"
head -c 900000 "$work/set-10/source.txt" | sed '$d' > "$mid/source.txt"
cp "$work/set-10/claims.yaml" "$mid/claims.yaml"
read -r wall rss < <(run check-mid check -q --no-cache --format json "$mid/claims.yaml")
mid_mb=$(du -b "$mid/source.txt" | awk '{printf "%.1f", $1 / 1e6}')
awk -v mb="$mid_mb" -v w="$wall" -v r="$rss" 'BEGIN {
  printf "%-10s %8d %10.2f %10.0f %12.1f %12.0f   (quotes of another source: most missing)\n", mb " MB", 1000, w, r/1024, mb/w, 1000/w }'

# cache NAME CLAIMS LINE: the results cache on one set: a cold run (empty cache), a warm one
# (nothing changed), and one with the claim on line LINE of the claims file CLAIMS changed;
# each report must be the same bytes as the run without a cache.
cache() {
  local name=$1 claims=$2 line=$3 dir="$work/cache-$1" w1 r1 w2 r2 w3 r3
  rm -rf "$dir"
  read -r w1 r1 < <(run "cold-$name" check -q --cache-dir "$dir" --format json "$claims")
  cmp -s "$work/last.json" "$4" || { echo "  $name: cold report differs from the run without cache"; exit 1; }
  read -r w2 r2 < <(run "warm-$name" check -q --cache-dir "$dir" --format json "$claims")
  cmp -s "$work/last.json" "$4" || { echo "  $name: warm report differs from the run without cache"; exit 1; }
  local file=$claims
  if [ -d "$claims" ]; then
    local all=("$claims"/*.yaml)
    file=${all[0]}
  fi
  cp "$file" "$file.orig"
  sed -i "${line}s/quote: \"/quote: \"changed /" "$file"
  read -r w3 r3 < <(run "one-$name" check -q --cache-dir "$dir" --format json "$claims")
  cp "$work/last.json" "$work/one.json"
  run "one-nocache-$name" check -q --no-cache --format json "$claims" > /dev/null
  cmp -s "$work/last.json" "$work/one.json" || { echo "  $name: one-changed report differs from the run without cache"; exit 1; }
  mv "$file.orig" "$file"
  local disk
  disk=$(du -sm "$dir" | cut -f1)
  printf '%-22s cold %6.2f s %5.0f MB   warm %6.2f s %5.0f MB   one claim changed %6.2f s %5.0f MB   cache %5s MB on disk (reports identical)\n' \
    "$name" "$w1" "$((r1 / 1024))" "$w2" "$((r2 / 1024))" "$w3" "$((r3 / 1024))" "$disk"
}
echo
echo "Results cache (the reports of cold and warm runs are compared byte for byte with a run without it):"
cache "10 MB, 1,000 quotes" "$work/set-10/claims.yaml" 500 "$work/set-10/report.json"
cache "6,000 small sources" "$kb/claims" 70 "$kb/report.json"
if [ "${FULL:-0}" = 1 ]; then
  cache "100 MB, 100,000 quotes" "$work/set-100/claims.yaml" 50000 "$work/set-100/report.json"
fi

echo
echo "Exhaustive alignment on the 10 MB set (every quote against the whole text):"
read -r wall _ < <(run exhaustive-10 check -q --no-cache --format json --exhaustive "$work/set-10/claims.yaml")
cp "$work/last.json" "$work/set-10/exhaustive.json"
python3 - "$work/set-10/report.json" "$work/set-10/exhaustive.json" "$wall" <<'PY'
import json, sys
fast = json.load(open(sys.argv[1]))["claims"]
full = json.load(open(sys.argv[2]))["claims"]
compared = differ = 0
for a, b in zip(fast, full):
    assert a["id"] == b["id"]
    va, vb = a["versions"][0], b["versions"][0]
    if "missing" in (va["verdict"], vb["verdict"]) and va["verdict"] == vb["verdict"]:
        continue
    compared += 1
    if (va["verdict"], va["distance"]) != (vb["verdict"], vb["distance"]):
        differ += 1
        print("  differs:", a["id"], va["verdict"], va["distance"], "exhaustive:", vb["verdict"], vb["distance"])
print(f"  {compared} exact or approximate verdicts compared, {differ} differ; exhaustive run {float(sys.argv[3]):.1f} s")
PY

echo
echo "edlib baseline (per-quote infix alignment of the normalized quote against the normalized text):"
if python3 -c "import edlib" 2>/dev/null || pip install --quiet edlib 2>/dev/null; then
  python3 - "$work/set-10" "$work/check-10.wall" <<'PY'
import json, re, sys, time, unicodedata, edlib
d = sys.argv[1]
def norm(s):
    s = unicodedata.normalize("NFKC", s).lower()
    return " ".join(re.findall(r"[^\W_]+", s))
text = norm(open(d + "/source.txt", encoding="utf-8").read())
quotes = [norm(re.search(r'quote: "(.*)", expect', l).group(1)) for l in open(d + "/claims.yaml") if "quote:" in l][:20]
t = time.perf_counter()
for q in quotes:
    edlib.align(q, text, mode="HW", task="distance", k=int(0.2 * len(q)))
per = (time.perf_counter() - t) / len(quotes)
wall = float(open(sys.argv[2]).read())
print(f"  edlib: {per * 1000:.1f} ms per quote, so {per * 1000:.1f} s for the 1,000 quotes; quotecheck: {wall:.2f} s in all, {per * 1000 / wall:.0f}x faster")
PY
else
  echo "  edlib could not be installed here; skipped"
fi
