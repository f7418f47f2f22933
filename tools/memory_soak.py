#!/usr/bin/env python3
"""Full-length memory soak (the CI tests run a fraction of these counts).

    PYTHONPATH=.:tests python tools/memory_soak.py [--invokes 100000] [--cycles 1000]

Prints RSS before/after 100,000 invokes of the demo model, 1,000
create/destroy cycles, and the RSS growth of loading ResNet50 on each kernel
path next to its file size. Exit status 1 when the invoke or cycle growth
exceeds --limit-mb.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import soak  # noqa: E402
from model_zoo import get_model  # noqa: E402
from op_models import dense_model  # noqa: E402

MB = soak.MB


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--invokes", type=int, default=100_000)
    ap.add_argument("--cycles", type=int, default=1_000)
    ap.add_argument("--limit-mb", type=float, default=2.0)
    ap.add_argument("--no-resnet", action="store_true")
    args = ap.parse_args()
    ok = True
    b, a = soak.invoke_growth(args.invokes)
    print(f"{args.invokes} invokes: RSS {b / MB:.2f} -> {a / MB:.2f} MB ({(a - b) / MB:+.2f})", flush=True)
    ok &= a - b < args.limit_mb * MB
    b, a = soak.create_destroy_growth(args.cycles, dense_model(in_shape=(512,), units=256))
    print(f"{args.cycles} create/destroy cycles: RSS {b / MB:.2f} -> {a / MB:.2f} MB ({(a - b) / MB:+.2f})",
          flush=True)
    ok &= a - b < args.limit_mb * MB
    if not args.no_resnet:
        path = get_model("resnet50", "int8")
        for isa in ("reference", "avx2"):
            r = soak.load_growth(path, isa)
            print(f"load resnet50 ({isa}): file {r['file'] / MB:.1f} MB, RSS +{r['growth'] / MB:.1f} MB, "
                  f"arena {r['arena'] / MB:.1f} MB", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
