#!/usr/bin/env python3
"""Crash/hang counts of pyruntime and LiteRT on the CI mutation corpus.

Builds the same corpus as tests/test_fuzz.py (same seeds, same RNG seed) and
feeds it to each runtime in a crash-isolated worker (tests/crash_harness.py).

    PYTHONPATH=.:tests python tools/mutation_crash_count.py [--runtimes pyruntime litert]
        [--cases-per-seed 3400] [--rng-seed 1234]

Larger --cases-per-seed or other --rng-seed values give longer runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests")]

from crash_harness import run_cases  # noqa: E402
from mutations import corpus  # noqa: E402
from test_fuzz import seed_models  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runtimes", nargs="+", default=["pyruntime", "litert"], choices=["pyruntime", "litert"])
    ap.add_argument("--cases-per-seed", type=int, default=3400)
    ap.add_argument("--rng-seed", type=int, default=1234)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    cases = corpus(seed_models(), args.cases_per_seed, seed=args.rng_seed)
    print(f"{len(cases)} mutated models (rng seed {args.rng_seed})", flush=True)
    failed = False
    for runtime in args.runtimes:
        start = time.time()
        o = run_cases(cases, runtime=runtime, timeout=args.timeout)
        print(f"{runtime:10s} loaded+ran {o.loaded}, rejected {o.rejected}, unexpected exceptions "
              f"{len(o.unexpected)}, crashes {len(o.crashes)}, hangs {len(o.hangs)} "
              f"({time.time() - start:.0f} s)", flush=True)
        if o.crashes:
            print(f"  first crashing cases: {o.crashes[:10]}", flush=True)
        failed |= runtime == "pyruntime" and bool(o.crashes or o.hangs or o.unexpected)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
