"""Prints a test x run table from pytest JUnit XML files (one file per run).

    python tools/junit_table.py build/aarch64-models/neon.xml build/aarch64-models/neondot.xml

Each file's name (without .xml) heads a column; a row is a test's parameter id
("resnet50-int8"); a cell is exact / MISMATCH / ERROR / skipped and pytest's
time for the call in seconds. tools/aarch64_check.sh --models uses it.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def _cell(case: ET.Element) -> str:
    seconds = float(case.get("time", "0"))
    if case.find("failure") is not None:
        outcome = "MISMATCH"
    elif case.find("error") is not None:
        outcome = "ERROR"
    elif case.find("skipped") is not None:
        outcome = "skipped"
    else:
        outcome = "exact"
    return f"{outcome} {seconds:.0f}s"


def main(paths: list[str]) -> int:
    columns: list[str] = []
    rows: dict[str, dict[str, str]] = {}
    for path in paths:
        column = Path(path).stem
        columns.append(column)
        if not Path(path).is_file():
            continue
        for case in ET.parse(path).iter("testcase"):
            name = case.get("name", "")
            test_id = name[name.index("[") + 1:-1] if "[" in name else name
            rows.setdefault(test_id, {})[column] = _cell(case)
    width = max([len(r) for r in rows] + [5])
    print(f"{'model':<{width}}  " + "  ".join(f"{c:<14}" for c in columns))
    for test_id, cells in rows.items():
        print(f"{test_id:<{width}}  " + "  ".join(f"{cells.get(c, '-'):<14}" for c in columns))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
