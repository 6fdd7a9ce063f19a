#!/usr/bin/env python3
"""README examples must come from files the tests run.

Every fenced block preceded by `<!-- snippet: PATH -->` in README.md and
bindings-c/README.md is split at elision lines (`/* … */` or `// …` alone on a
line); each piece must appear, line by line (indentation ignored) and in
order, in PATH. Prints "N passed, N failed"; exits 1 on any failure."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ELISION = {"/* … */", "// …"}
MARKER = re.compile(r"<!-- snippet: (\S+) -->\n```\w*\n(.*?)```", re.S)


def pieces(block):
    piece = []
    for line in block.splitlines():
        if line.strip() in ELISION:
            if piece:
                yield piece
            piece = []
        else:
            piece.append(line.strip())
    if piece:
        yield piece


def found_in_order(source_lines, block):
    start = 0
    for piece in pieces(block):
        for i in range(start, len(source_lines) - len(piece) + 1):
            if source_lines[i : i + len(piece)] == piece:
                start = i + len(piece)
                break
        else:
            return " / ".join(piece)[:120]
    return None


passed = failed = 0
for readme in (ROOT / "README.md", ROOT / "bindings-c" / "README.md"):
    for path, block in MARKER.findall(readme.read_text()):
        source = [line.strip() for line in (ROOT / path).read_text().splitlines()]
        missing = found_in_order(source, block)
        if missing is None:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {readme.name}: snippet of {path} not found in it: {missing}", file=sys.stderr)
if passed + failed == 0:
    failed += 1
    print("FAIL no snippets found", file=sys.stderr)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
