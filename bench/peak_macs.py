"""Peak int8 multiply-accumulate throughput of one core, measured here.

Times the dot-product instruction of each kernel path pyruntime can run on
this CPU in tight independent chains (csrc/testing/peak_macs.cc). The first
row of the best path is the peak the runtime's exact kernels can reach;
run_bench.py reports each model's MACs per second as a fraction of it.

    python bench/peak_macs.py [--seconds 0.3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List

import pyruntime
from pyruntime import _core, _testing


def measure(seconds: float = 0.3) -> List[Dict[str, object]]:
    """[{isa, instruction, gmacs_per_s}] for every available path, best path first."""
    rows = []
    for isa in reversed(_testing.available_isas()):
        try:
            loops = _testing.peak_macs(isa, seconds)
        except ValueError:  # a path without a peak loop
            continue
        for instruction, macs in loops:
            rows.append({"isa": isa, "instruction": instruction, "gmacs_per_s": macs / 1e9})
    return rows


def exact_peak_macs(seconds: float = 0.3) -> Dict[str, object]:
    """The peak of the instruction the runtime's default path uses (exact
    kernels). A path without a peak loop (none on x86 now) falls back to the next
    one, and the instruction says so."""
    paths = pyruntime.cpu_paths()
    for isa in paths[paths.index(_core.isa()):]:
        try:
            instruction, macs = _testing.peak_macs(isa, seconds)[0]
        except ValueError:
            continue
        if isa != _core.isa():
            instruction += f" (no {_core.isa()} peak loop yet)"
        return {"isa": isa, "instruction": instruction, "macs_per_s": macs}
    raise RuntimeError("no peak loop for any path of this CPU")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=0.3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = measure(args.seconds)
    for r in rows:
        print(f"{r['isa']:10} {r['instruction']:28} {r['gmacs_per_s']:8.1f} G int8 MAC/s (one core)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
