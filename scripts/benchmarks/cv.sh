#!/usr/bin/env bash
# `scripts/bench cv`: writes the application documents for 500 real postings of
# ../shared/datasets/ashby with the deterministic engine on one thread (release build) — the CV with its
# integrity and ATS reports and HTML, the cover letter and outreach — and writes CVs per second to
# docs/benchmarks.md, and an example CV for one real job to docs/example-cv.md.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

dataset=${JOBSMITH_BENCH_DATASET:-$JOBSMITH_ROOT/../shared/datasets/ashby}
[ -d "$dataset" ] || js_die "no dataset at $dataset (set JOBSMITH_BENCH_DATASET)"
js_ensure_packages
js_find_swift

log=$(mktemp "${TMPDIR:-/tmp}/jobsmith-bench-cv.XXXXXX")
trap 'rm -f "$log"' EXIT
js_log "swift build -c release --product cv-generator"
swift build -c release --product cv-generator >"$log" 2>&1 || { tail -n 40 "$log" >&2; js_die "release build failed"; }
bin=$(swift build -c release --show-bin-path)

js_log "cv-generator bench over 500 postings"
report=$("$bin/cv-generator" bench "$dataset" --master-cv samples/master-cv.json --jobs 500 \
    --example "Senior Data Platform Engineer" docs/example-cv.md)
machine="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
python3 - "$report" "$(date -u +%Y-%m-%d)" "$machine" <<'PY' | python3 scripts/benchmarks/section.py docs/benchmarks.md cv
import json, sys
report, day, machine = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
print(f"""## CV generation (`scripts/bench cv`)

{day}, {machine}. The first {report['jobs']} postings of `shared/datasets/ashby` (analysed first, not timed)
against the sample master CV, release build, one thread, deterministic engine. A CV is tailored,
checked claim by claim against the master CV, given its ATS report and rendered as HTML; an
application adds the cover letter and outreach for one contact. Example: [example-cv.md](example-cv.md).

| measure | value |
| --- | --- |
| CVs per second (one core) | **{report['cvsPerSecond']:.0f}** ({report['cvMilliseconds']:.1f} ms each) |
| applications per second (CV, cover letter, outreach) | {report['applicationsPerSecond']:.0f} (letters {report['lettersMilliseconds']:.1f} ms) |
| CVs ready (every claim grounded) | {report['ready']} of {report['jobs']} |
| claims checked | {report['claimsChecked']} |
| peak resident memory (VmHWM) | {report['peakResidentMegabytes']:.0f} MB |""")
PY
js_log "wrote docs/benchmarks.md and docs/example-cv.md"
sed -n '/<!-- cv:start -->/,/<!-- cv:end -->/p' docs/benchmarks.md
