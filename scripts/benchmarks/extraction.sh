#!/usr/bin/env bash
# `scripts/bench extraction`: structures, analyses and fit-scores every posting of
# ../shared/datasets/ashby with the deterministic engine on one thread (release build), and writes
# descriptions per second and peak memory to docs/benchmarks.md.
#
# The engine is the extraction service's own code (`extraction bench`), without Redis and PostgreSQL,
# so the figure is the engine's cost per description on one core.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

dataset=${JOBSMITH_BENCH_DATASET:-$JOBSMITH_ROOT/../shared/datasets/ashby}
[ -d "$dataset" ] || js_die "no dataset at $dataset (set JOBSMITH_BENCH_DATASET)"
js_ensure_packages
js_find_swift

log=$(mktemp "${TMPDIR:-/tmp}/jobsmith-bench-extraction.XXXXXX")
trap 'rm -f "$log"' EXIT
js_log "swift build -c release --product extraction"
swift build -c release --product extraction >"$log" 2>&1 || { tail -n 40 "$log" >&2; js_die "release build failed"; }
bin=$(swift build -c release --show-bin-path)

js_log "extraction bench over $(find "$dataset" -name '*.json' | wc -l) boards, best of 5 passes"
report=$("$bin/extraction" bench "$dataset" --master-cv samples/master-cv.json --passes 5)
machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
python3 - "$report" "$(date -u +%Y-%m-%d)" "$machine" <<'PY' | python3 scripts/benchmarks/section.py docs/benchmarks.md extraction
import json, sys
report, day, machine = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
print(f"""## Extraction engine (`scripts/bench extraction`)

{day}, {machine}. Every posting of `shared/datasets/ashby` ({report['descriptions']} descriptions),
release build, one thread, best of {report['passes']} passes: HTML to sections, the extracted JD
(skills through the taxonomy, requirements, signals) and the fit score against the sample master CV.
Target: 500 descriptions/s per core.

| measure | value |
| --- | --- |
| descriptions per second (one core) | **{report['descriptionsPerSecond']:.0f}** |
| time per description | {report['bestPassSeconds'] / report['descriptions'] * 1000:.2f} ms |
| structuring (HTML → sections) | {report['structureMicroseconds']:.0f} µs |
| analysis (extracted JD) | {report['analyzeMicroseconds']:.0f} µs |
| fit score | {report['fitMicroseconds']:.0f} µs |
| skill taxonomy load | {report['taxonomyLoadMilliseconds']:.1f} ms, once |
| skills found over the dataset | {report['skillsFound']} |
| peak resident memory (VmHWM, dataset in memory) | {report['peakResidentMegabytes']:.0f} MB |""")
PY
js_log "wrote docs/benchmarks.md"
sed -n '/<!-- extraction:start -->/,/<!-- extraction:end -->/p' docs/benchmarks.md
