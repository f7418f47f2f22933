"""Checks that no SIMD-flagged object file can lend its code to portable code.

Each kernel translation unit is compiled with its own ISA flags (-mavx2,
-mavx512*, -mamx-*). An inline function or template instantiated in such a
file (a std:: helper, a header-only function) is a weak symbol; when a
portable file instantiates it too, the linker keeps one copy, and if it keeps
the SIMD-flagged one, portable code runs AVX-512 instructions on a CPU
without them (SIGILL) although no kernel of that path was chosen.

This tool reads a CMake/Ninja build directory, finds the weak symbols that
SIMD-flagged objects share with portable objects, and fails when the flagged
copy holds vector instructions beyond the portable baseline (ymm/zmm
registers or AVX-512 mask registers). x86-64 only.

    python tools/check_isa_symbols.py build/dev
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

SIMD_FLAG = re.compile(r"\s-m(avx|amx|fma|f16c)")
OUTPUT = re.compile(r"\s-o\s+(\S+\.o)\b")
BEYOND_BASELINE = re.compile(r"%[yz]mm\d|%k[0-7]\b")


def compile_commands(build: Path):
    """(object path, SIMD-flagged?) for every C++ compile step of the build."""
    out = subprocess.run(["ninja", "-C", str(build), "-t", "commands"], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        m = OUTPUT.search(line)
        if " -c " in line and m:
            yield build / m.group(1), bool(SIMD_FLAG.search(line))


def weak_symbols(obj: Path) -> set[str]:
    out = subprocess.run(["nm", "--defined-only", str(obj)], check=True,
                         capture_output=True, text=True).stdout
    return {f[2] for f in (l.split() for l in out.splitlines()) if len(f) == 3 and f[1] in "WV"}


def simd_copies(obj: Path, symbols: set[str]) -> list[str]:
    """The symbols among `symbols` whose code in `obj` uses ymm/zmm/mask registers."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(obj)], check=True,
                         capture_output=True, text=True).stdout
    found, current = set(), None
    for line in out.splitlines():
        head = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if head:
            current = head.group(1)
        elif current in symbols and BEYOND_BASELINE.search(line):
            found.add(current)
    return sorted(found)


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    flagged, portable = [], set()
    for obj, simd in compile_commands(Path(args[0])):
        if simd:
            flagged.append(obj)
        else:
            portable |= weak_symbols(obj)
    problems = defaultdict(list)
    for obj in flagged:
        shared = weak_symbols(obj) & portable
        if shared:
            problems[obj] = simd_copies(obj, shared)
    bad = {o: s for o, s in problems.items() if s}
    print(f"{len(flagged)} SIMD-flagged objects; {sum(map(len, problems.values()))} shared weak "
          f"symbols with vector code, in {len(bad)} objects")
    for obj, syms in bad.items():
        demangled = subprocess.run(["c++filt"], input="\n".join(syms), capture_output=True,
                                   text=True).stdout.split("\n")
        print(f"{obj}:")
        for name in demangled:
            if name:
                print(f"  {name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
