#!/usr/bin/env bash
# `scripts/bench extraction-quality`: compares the deterministic engine with the hand labels in
# Tests/JobAnalysisTests/Fixtures/labelled-postings.json (section types, skills, fields) and writes the
# report to docs/benchmarks.md. The report is computed by the ExtractionQualityTests suite, which
# also fails when quality drops below its floors.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
cd "$JOBSMITH_ROOT"

js_ensure_packages
js_find_swift
work=$(mktemp -d "${TMPDIR:-/tmp}/jobsmith-bench-quality.XXXXXX")
trap 'rm -rf "$work"' EXIT
js_log "swift build --build-tests"
swift build --build-tests >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; js_die "build failed"; }
JOBSMITH_QUALITY_REPORT="$work/report.md" swift test --skip-build --filter ExtractionQualityTests >"$work/test.log" 2>&1 \
    || { tail -n 60 "$work/test.log" >&2; js_die "the quality suite failed"; }
{
    echo "## Extraction quality (\`scripts/bench extraction-quality\`)"
    echo
    echo "$(date -u +%Y-%m-%d). The deterministic engine against hand labels of real postings"
    echo "(\`Tests/JobAnalysisTests/Fixtures/labelled-postings.json\`; how they were made is in its \`notes\`)."
    echo "A labelled header counts as correct when the section holding that line has the labelled type"
    echo "(a sub-header the engine folds into its parent section is judged by the parent's type)."
    echo "Skills are compared by canonical taxonomy name; \"required + preferred\" ignores which of the two."
    echo
    cat "$work/report.md"
} | python3 scripts/benchmarks/section.py docs/benchmarks.md extraction-quality
js_log "wrote docs/benchmarks.md"
sed -n '/<!-- extraction-quality:start -->/,/<!-- extraction-quality:end -->/p' docs/benchmarks.md | sed -n 1,30p
