#!/bin/sh
# Throughput of `safeguard chat analyze` beside ripgrep with the same pattern
# list over the same generated text, in one run. Prints a Markdown table
# (paste it into README.md's <!-- bench:chat --> block).
#
# usage: bench/chat/throughput.sh [BUILD_DIR] [MB]
#   BUILD_DIR  where safeguard was built (default: build)
#   MB         size of the generated log (default: 200)
# Environment: BENCH_DIR (default: /tmp/sg-chat-bench) keeps the generated log between runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
mb=${2:-200}
bin="$build/safeguard"
dir=${BENCH_DIR:-/tmp/sg-chat-bench}
mkdir -p "$dir"
log="$dir/chat-${mb}mb.jsonl"
if [ ! -s "$log" ]; then
  # About 1.6 kB of JSON lines per generated conversation.
  n=$((mb * 1000000 / 1600))
  python3 "$here/gen_conversations.py" --split tune --seed 7 --conversations "$n" --out "$log"
fi
# The lexicon's patterns, one per line, for rg -f.
patterns="$dir/patterns.txt"
grep -v '^#' "$root/data/chat/lexicon.tsv" | tail -n +2 | cut -f6 > "$patterns"
size=$(stat -c %s "$log")
npat=$(wc -l < "$patterns")

now() { date +%s.%N; }
run() {  # label, command...
  label=$1; shift
  "$@" > /dev/null 2>&1 || true   # warm the page cache and the compiled-lexicon cache
  t0=$(now); "$@" > "$dir/out.$label" 2>/dev/null || true; t1=$(now)
  echo "$label $(echo "$t1 - $t0" | bc -l)"
}
a=$(run analyze "$bin" chat analyze --json "$log")
a1=$(run analyze_j1 "$bin" chat analyze --json -j 1 "$log")
r=$(run rg rg -c -i -f "$patterns" "$log")
r1=$(run rg_j1 rg -c -i -j 1 -f "$patterns" "$log")
echo "| tool | threads | seconds | MB/s |"
echo "|---|---|---|---|"
for line in "$a" "$a1" "$r" "$r1"; do
  set -- $line
  case $1 in
    analyze) what="safeguard chat analyze --json (whole analysis)"; th=all ;;
    analyze_j1) what="safeguard chat analyze --json -j 1"; th=1 ;;
    rg) what="rg -c -i -f patterns.txt ($npat patterns)"; th=all ;;
    rg_j1) what="rg -c -i -j 1 -f patterns.txt"; th=1 ;;
  esac
  printf '| %s | %s | %.2f | %.1f |\n' "$what" "$th" "$2" "$(echo "$size / 1000000 / $2" | bc -l)"
done
echo
echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(echo "$size / 1000000" | bc) MB of generated JSON lines ($(wc -l < "$log") messages)."
