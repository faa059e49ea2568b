# shellcheck shell=bash
# Sourced by the benchmarks that run Python: the Celery and RQ drains, the FastAPI app and the small
# drivers under scripts/benchmarks/python. Creates the virtual environment .build/bench-venv with the
# versions pinned in scripts/benchmarks/python/requirements.txt, the first time and again whenever
# that file changes.
#
# Sets: venv (the folder; its bin/ holds python, celery, rq and uvicorn) and bench_python (the
# folder of the benchmarks' Python code).

venv="$JOBSMITH_ROOT/.build/bench-venv"
bench_python="$JOBSMITH_ROOT/scripts/benchmarks/python"
requirements_sum=$(sha256sum "$bench_python/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$venv/requirements.sha256" 2>/dev/null)" != "$requirements_sum" ]; then
    js_log "installing the benchmarks' Python packages (scripts/benchmarks/python/requirements.txt) into .build/bench-venv"
    rm -rf "$venv"
    python3 -m venv "$venv" || js_die "python3 -m venv failed (is python3-venv installed?)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$bench_python/requirements.txt" </dev/null \
        || js_die "pip could not install scripts/benchmarks/python/requirements.txt"
    echo "$requirements_sum" >"$venv/requirements.sha256"
fi
