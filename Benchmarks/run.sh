#!/usr/bin/env bash
# Benchmarks/run.sh [N ...] -- Agenda side by side with the peers a user would pick instead, on
# the same deterministic input (generate_events.py: N bilingual events over 50 zones, ~1.6 KB
# each), in the same run. Prints a Markdown table (wall seconds, peak RSS) with ratios; the
# numbers in BENCHMARKS.md come from it. Default sizes: 10000 100000.
#
#   agenda all     agenda export --formats ics,rss,atom,jsonfeed,geojson,geojsons --languages es
#   agenda ics     agenda export --formats ics --languages es
#   agenda check   agenda validate (the first pass alone)
#   agenda 2-pass  agenda export --formats (all six), no --languages/--timestamp: two passes, both languages
#   libical ics    peers/libical_writer.c: libical 3 (C), one VEVENT at a time (input pre-flattened to TSV, not timed)
#   libical+json-c peers/libical_jsonc_writer.c: the same, reading the same JSON Lines with json-c
#                  (end to end, as a C user would; needs libjson-c-dev, left out when missing)
#   python all     peers/python_peer.py: icalendar 7.3.2 + feedgen 1.0.0 + geojson 3.3.0 (ics, rss, atom, geojson)
#
# Environment: BENCH_DIR (default /tmp/agenda-bench), BENCH_VENV (default /tmp/agenda-bench-venv),
# SKIP_PYTHON=1 to leave the Python peer out (it needs minutes at 100k), REPEAT=N to run every
# command N times in turn and report the median time (and the largest memory): single runs on a
# shared VM vary by ±25%. The Python peer runs once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${BENCH_DIR:-/tmp/agenda-bench}
venv=${BENCH_VENV:-/tmp/agenda-bench-venv}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
mkdir -p "$work"

(cd "$root" && swift build -c release --product agenda >&2)
agenda="$root/.build/release/agenda"
cc -O2 "$here/peers/libical_writer.c" $(pkg-config --cflags --libs libical) -o "$work/libical_writer"
jsonc=0
if pkg-config --exists json-c; then
  cc -O2 "$here/peers/libical_jsonc_writer.c" $(pkg-config --cflags --libs libical json-c) -o "$work/libical_jsonc_writer"
  jsonc=1
else
  echo "json-c not found (apt-get install libjson-c-dev): the end-to-end libical row is left out" >&2
fi
if [ "${SKIP_PYTHON:-0}" != 1 ] && ! "$venv/bin/python" -c 'import icalendar, feedgen, geojson' 2>/dev/null; then
  python3 -m venv --clear "$venv" >&2
  "$venv/bin/pip" install -q icalendar==7.3.2 feedgen==1.0.0 geojson==3.3.0 >&2
fi

# measure COMMAND...: one run; prints "seconds kilobytes"
measure() {
  /usr/bin/time -o "$work/time.txt" -f "%e %M" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; echo "failed: $*" >&2; exit 1; }
  cat "$work/time.txt"
}

# median ROWS: the median seconds and the largest kilobytes of "seconds kilobytes" lines
median() {
  sort -n | awk '{ s[NR] = $1; if ($2 > kb) kb = $2 } END { print s[int((NR + 1) / 2)], kb }'
}

echo "| events | tool | formats | wall s | peak RSS MB | comparison |"
echo "|---:|---|---|---:|---:|---:|"
for n in "${sizes[@]}"; do
  input="$work/events-$n.jsonl"
  [ -s "$input" ] || python3 "$here/generate_events.py" "$n" "$input"
  [ -s "$work/events-$n.tsv" ] || python3 "$here/peers/to_tsv.py" "$input" "$work/events-$n.tsv"
  common=(--languages es --timestamp 2025-06-01T00:00:00Z --no-progress)
  # Each round runs every command once, so a slow spell of the machine hits all of them.
  : > "$work/rounds.txt"
  for round in $(seq "${REPEAT:-1}"); do
    rm -rf "$work/out-all" "$work/out-ics"
    echo "all $(measure "$agenda" export "$input" -o "$work/out-all" --formats ics,rss,atom,jsonfeed,geojson,geojsons "${common[@]}")" >> "$work/rounds.txt"
    echo "ics $(measure "$agenda" export "$input" -o "$work/out-ics" --formats ics "${common[@]}")" >> "$work/rounds.txt"
    echo "chk $(measure "$agenda" validate "$input")" >> "$work/rounds.txt"
    rm -rf "$work/out-two"
    echo "two $(measure "$agenda" export "$input" -o "$work/out-two" --formats ics,rss,atom,jsonfeed,geojson,geojsons --no-progress)" >> "$work/rounds.txt"
    echo "lib $(measure "$work/libical_writer" "$work/events-$n.tsv" "$work/libical-$n.ics")" >> "$work/rounds.txt"
    if [ "$jsonc" = 1 ]; then
      echo "ljc $(measure "$work/libical_jsonc_writer" "$input" "$work/libical-jsonc-$n.ics")" >> "$work/rounds.txt"
    fi
  done
  pick() { grep "^$1 " "$work/rounds.txt" | cut -d' ' -f2- | median; }
  read -r all_s all_kb < <(pick all)
  read -r ics_s ics_kb < <(pick ics)
  read -r chk_s chk_kb < <(pick chk)
  read -r two_s two_kb < <(pick two)
  read -r lib_s lib_kb < <(pick lib)
  row() { printf "| %s | %s | %s | %s | %.1f | %s |\n" "$n" "$1" "$2" "$3" "$(echo "$4/1024" | bc -l)" "$5"; }
  times() { printf "%.2f" "$(echo "$1/$2" | bc -l)"; }
  # versus AGENDA PEER: which of the two is faster, and by how much
  versus() {
    if [ "$(echo "$1 <= $2" | bc -l)" = 1 ]; then echo "agenda ics is $(times "$2" "$1")× faster"; else echo "agenda ics takes $(times "$1" "$2")× as long"; fi
  }
  row "agenda" "ics rss atom json geojson geojsons" "$all_s" "$all_kb" ""
  row "agenda" "ics" "$ics_s" "$ics_kb" ""
  row "agenda validate" "(first pass)" "$chk_s" "$chk_kb" ""
  row "agenda, two passes (es and en)" "ics rss atom json geojson geojsons" "$two_s" "$two_kb" ""
  row "libical 3 (C), from TSV" "ics" "$lib_s" "$lib_kb" "$(versus "$ics_s" "$lib_s")"
  if [ "$jsonc" = 1 ]; then
    read -r lj_s lj_kb < <(pick ljc)
    cmp -s "$work/libical-$n.ics" "$work/libical-jsonc-$n.ics" || { echo "the two libical peers disagree" >&2; exit 1; }
    row "libical 3 + json-c (C), from JSONL" "ics" "$lj_s" "$lj_kb" "$(versus "$ics_s" "$lj_s")"
  fi
  if [ "${SKIP_PYTHON:-0}" != 1 ]; then
    rm -rf "$work/out-python"
    read -r py_s py_kb < <(measure "$venv/bin/python" "$here/peers/python_peer.py" "$input" "$work/out-python")
    row "Python icalendar+feedgen+geojson" "ics rss atom geojson" "$py_s" "$py_kb" "agenda all is $(times "$py_s" "$all_s")× faster"
  fi
done
