#!/bin/sh
# Throughput of `safeguard chat analyze` beside ripgrep with the same pattern
# list over the same generated text, in one run. Prints a Markdown table
# (paste it into README.md's <!-- bench:chat --> block).
#
# usage: bench/chat/throughput.sh [BUILD_DIR] [MB]
#   BUILD_DIR  where safeguard was built (default: build)
#   MB         size of the generated log (default: 200)
# Environment: BENCH_DIR (default: /tmp/sg-chat-bench) keeps the generated log between runs.
#   RG_MB: run ripgrep on only the first RG_MB MB of the same log (whole lines),
#   because with this pattern list it runs below 1 MB/s (its throughput is
#   per MB either way); the analysis always runs on the whole log.
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
# Warm the page cache and the compiled-lexicon cache once, so every timed run
# reads the same warm file (ripgrep is far slower on this pattern list, so it
# runs once; on a single file it searches with one thread anyway).
cat "$log" > /dev/null
head -c 100000 "$log" | head -n 50 > "$dir/warm.jsonl"
"$bin" chat analyze --json "$dir/warm.jsonl" > /dev/null
time_it() {  # prints seconds
  t0=$(now); "$@" > "$dir/out.last" 2>/dev/null || true; t1=$(now)
  echo "$t1 - $t0" | bc -l
}
row() {  # description, threads, seconds
  printf '| %s | %s | %.2f | %.1f |\n' "$1" "$2" "$3" "$(echo "$size / 1000000 / $3" | bc -l)"
}
echo "| tool | threads | seconds | MB/s |"
echo "|---|---|---|---|"
row "safeguard chat analyze --json (whole analysis)" "$(nproc)" "$(time_it "$bin" chat analyze --json "$log")"
row "safeguard chat analyze --json -j 1" 1 "$(time_it "$bin" chat analyze --json -j 1 "$log")"
rg_log=$log
rg_size=$size
if [ -n "${RG_MB:-}" ]; then
  rg_log="$dir/rg-prefix.jsonl"
  head -c $((RG_MB * 1000000)) "$log" | head -n -1 > "$rg_log"
  rg_size=$(stat -c %s "$rg_log")
fi
t=$(time_it rg -c -i -f "$patterns" "$rg_log")
printf '| %s | %s | %.2f | %.2f |\n' "rg -c -i -f patterns.txt ($npat patterns, the same list; $(echo "$rg_size / 1000000" | bc) MB)" 1 "$t" "$(echo "$rg_size / 1000000 / $t" | bc -l)"
echo
echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $(echo "$size / 1000000" | bc) MB of generated JSON lines ($(wc -l < "$log") messages)."
