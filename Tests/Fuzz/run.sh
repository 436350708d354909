#!/usr/bin/env bash
# Tests/Fuzz/run.sh [SECONDS] [TARGET…] -- builds the libFuzzer harness (Sources/agenda-fuzz) with
# -sanitize=fuzzer,address and fuzzes each target for SECONDS (default 600), two at a time.
# Targets: json jsonl yaml csv (readers, through the whole export) and ics feeds geojson
# (writers fed with records built from the bytes). The committed, minimized seeds are in
# Tests/Fuzz/seeds/TARGET; new inputs go to Tests/Fuzz/corpus/TARGET (not committed; minimize
# them into the seeds with: BIN -merge=1 Tests/Fuzz/seeds/TARGET Tests/Fuzz/corpus/TARGET).
# Crashes land in Tests/Fuzz/artifacts/, logs in Tests/Fuzz/logs/.
# Replay a corpus or a crash without the fuzzer: swift run agenda-fuzz TARGET PATH…
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(json jsonl yaml csv ics feeds geojson)
swift build -c release --scratch-path .build-fuzz --product agenda-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
BIN=$(swift build -c release --scratch-path .build-fuzz --show-bin-path)/agenda-fuzz
mkdir -p Tests/Fuzz/artifacts Tests/Fuzz/logs
# The Swift runtime's crash backtracer would outlive the process and hold its pipes open.
export SWIFT_BACKTRACE=enable=no
fuzz() {
  local t=$1
  mkdir -p "Tests/Fuzz/corpus/$t" "Tests/Fuzz/seeds/$t"
  AGENDA_FUZZ_TARGET=$t "$BIN" "Tests/Fuzz/corpus/$t" "Tests/Fuzz/seeds/$t" -max_total_time="$SECONDS_EACH" -max_len=65536 \
    -rss_limit_mb=4096 -timeout=20 -artifact_prefix="Tests/Fuzz/artifacts/$t-" -print_final_stats=1 \
    > "Tests/Fuzz/logs/$t.log" 2>&1 || echo "fuzz $t: exit $? (see Tests/Fuzz/logs/$t.log)"
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs" "Tests/Fuzz/logs/$t.log" | sed "s/^/$t: /" || true
}
i=0
for t in "${TARGETS[@]}"; do
  fuzz "$t" &
  i=$((i + 1))
  if [ $((i % 2)) -eq 0 ]; then wait; fi
done
wait
