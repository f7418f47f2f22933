"""Where a whole model's invoke time goes: per-op timing inside pyruntime.

Runs the model with the interpreter's private per-op profiling on, takes the
median of each op over the repeats and prints the ops grouped by type (and
with --top, the slowest single ops).

    python bench/profile_ops.py --models mobilenet_v2 --threads 1 --top 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import pyruntime  # noqa: E402


def profile(path: Path, threads: int, repeats: int):
    interp = pyruntime.Interpreter(path, num_threads=threads)
    d = interp.get_input_details()[0]
    x = np.random.default_rng(0).integers(-128, 128, d["shape"]).astype(d["dtype"])
    interp.run(x)
    interp._set_profiling(True)
    samples = defaultdict(list)
    names = {}
    for _ in range(repeats):
        interp.run(x)
        for index, name, seconds in interp._op_profile():
            samples[index].append(seconds)
            names[index] = name
    return {i: (names[i], statistics.median(v) * 1e3) for i, v in samples.items()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", nargs="*", default=None)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--top", type=int, default=0, help="also list the N slowest ops")
    args = p.parse_args(argv)
    from model_zoo import MODEL_NAMES, get_model

    for model in args.models or MODEL_NAMES:
        ops = profile(get_model(model), args.threads, args.repeats)
        total = sum(ms for _, ms in ops.values())
        by_type = defaultdict(lambda: [0, 0.0])
        for name, ms in ops.values():
            by_type[name][0] += 1
            by_type[name][1] += ms
        print(f"{model} ({args.threads} thr): {total:.2f} ms over {len(ops)} ops")
        for name, (count, ms) in sorted(by_type.items(), key=lambda kv: -kv[1][1]):
            print(f"  {name:<20} x{count:<4} {ms:8.3f} ms {100 * ms / total:5.1f}%")
        for i, (name, ms) in sorted(ops.items(), key=lambda kv: -kv[1][1])[: args.top]:
            print(f"    op {i:<4} {name:<20} {ms:8.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
