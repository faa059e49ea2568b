"""Replaces one benchmark's section of docs/benchmarks.md (between its start and end markers) with
the Markdown read from standard input, or appends it when the file has no such section yet."""
import re
import sys

path, name = sys.argv[1:3]
body = sys.stdin.read().strip()
section = f"<!-- {name}:start -->\n{body}\n<!-- {name}:end -->"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n\nFigures measured by `scripts/bench` on this project's machine; each section is rewritten by its benchmark.\n"
pattern = re.compile(rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text)
else:
    text = text.rstrip() + "\n\n" + section + "\n"
open(path, "w").write(text)
