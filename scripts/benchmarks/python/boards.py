"""Lays out job boards for `scripts/bench pipeline` to serve in Ashby's wire format, and the sources
file naming them.

    boards.py DATASET WWW_ROOT URL_BASE RUN POSTINGS PER_BOARD SOURCES_FILE

Takes the first POSTINGS postings of the dataset's boards (in file-name order) and writes them under
WWW_ROOT/RUN/posting-api/job-board/: each board as it is when PER_BOARD is 0 (the last one cut
short), else boards of PER_BOARD postings each, named as their sources are. Writes the matching `ashby` sources, one per board at
URL_BASE/RUN/posting-api/job-board/<board>, to SOURCES_FILE, and prints how many boards it wrote.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) != 8:
        sys.exit(__doc__)
    dataset, root, base, run, wanted, per_board, sources_file = sys.argv[1:]
    wanted_postings, size = int(wanted), int(per_board)
    folder = Path(root) / run / "posting-api" / "job-board"
    folder.mkdir(parents=True, exist_ok=True)

    boards: list[tuple[str, list[dict]]] = []
    taken = 0
    for path in sorted(Path(dataset).glob("*.json")):
        jobs = json.loads(path.read_text())["jobs"][: wanted_postings - taken]
        if not jobs:
            break
        taken += len(jobs)
        if size == 0:
            boards.append((path.stem, jobs))
        else:
            boards += [(f"{path.stem}-{start // size + 1}", jobs[start: start + size]) for start in range(0, len(jobs), size)]
    if taken < wanted_postings:
        sys.exit(f"the dataset has {taken} postings, fewer than the {wanted_postings} asked for")

    sources = []
    for board, jobs in boards:
        # The source's name serves as the board's name in the URL too: nothing in it needs escaping.
        name = re.sub(r"[^a-z0-9_-]", "-", board.lower())[:64].strip("-") or "board"
        (folder / name).write_text(json.dumps({"jobs": jobs, "apiVersion": "1"}))
        sources.append({"name": name, "kind": "ashby", "location": f"{base}/{run}/posting-api/job-board/{name}"})
    if len({source["name"] for source in sources}) != len(sources):
        sys.exit("two boards map to the same source name")
    Path(sources_file).write_text(json.dumps(sources))
    print(len(boards))


if __name__ == "__main__":
    main()
