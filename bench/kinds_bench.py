"""Every model kind of the converter on one network, pyruntime vs LiteRT.

MobileNetV2 (224x224) as full-integer int8, dynamic-range (hybrid), float16
weights, float32 and 16x8, timed interleaved in one process (medians, ms):
pyruntime, LiteRT default (XNNPACK where it takes the ops) and LiteRT builtin
kernels, plus how pyruntime's outputs compare with LiteRT's (bit-exact or the
max relative error, against the LiteRT path each kind is defined by).

    python bench/kinds_bench.py [--threads 1] [--rounds 10] [--kinds float32,float16] [--json out.json]

--cpu-time times each invoke by this thread's CPU time (time.thread_time):
at 1 thread both runtimes compute in the calling thread, so the numbers hold
on a loaded machine where wall time does not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import affinity  # noqa: E402
import pyruntime  # noqa: E402
import run_bench  # noqa: E402


def kind_models(name: str = "mobilenet_v2") -> Dict[str, tuple]:
    """{kind: (path, LiteRT resolver the kind is checked against)} (built and cached on first use)."""
    import hybrid_models
    import int16_models
    import model_kinds
    import model_zoo

    return {
        "int8": (model_zoo.get_model(name, "int8"), "BUILTIN_REF"),
        "dynamic-range": (hybrid_models.zoo_hybrid(name), "BUILTIN_WITHOUT_DEFAULT_DELEGATES"),
        "float16": (model_kinds.zoo_model(name, "float16"), "BUILTIN_WITHOUT_DEFAULT_DELEGATES"),
        "float32": (model_kinds.zoo_model(name, "float32"), "BUILTIN_WITHOUT_DEFAULT_DELEGATES"),
        "16x8": (int16_models.zoo_model(name, "float32"), "BUILTIN_REF"),
    }


def random_input(details) -> np.ndarray:
    rng = np.random.default_rng(0)
    dtype = np.dtype(details["dtype"])
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max + 1, size=tuple(details["shape"])).astype(dtype)
    return rng.standard_normal(tuple(details["shape"])).astype(dtype)


def agreement(path: Path, resolver: str, x: np.ndarray, ours: np.ndarray) -> str:
    """'bit-exact', or how pyruntime's output differs from LiteRT's on `resolver`."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interp = Interpreter(model_path=str(path), experimental_op_resolver_type=getattr(OpResolverType, resolver))
    interp.allocate_tensors()
    ref = run_bench.overhead.three_calls(interp, x)()
    if np.array_equal(ours, ref):
        return "bit-exact"
    if ours.dtype.kind in "iu":
        return f"DIFFERS ({np.count_nonzero(ours != ref)} values)"
    err = float(np.max(np.abs(ours.astype(np.float64) - ref)) / max(np.max(np.abs(ref)), 1e-30))
    return f"max rel err {err:.1e}"


def bench_kind(path: Path, threads: int, rounds: int, cpu_time: bool = False):
    """(median ms per contender, the input used, pyruntime's output on it)."""
    ours = pyruntime.Interpreter(path, num_threads=threads)
    x = random_input(ours.get_input_details()[0])
    contenders: Dict[str, Callable[[], object]] = {
        "pyruntime": lambda: ours.run(x),
        "litert_default": run_bench.litert_runner(path, threads, x, delegates=True),
        "litert_builtin": run_bench.litert_runner(path, threads, x, delegates=False),
    }
    for fn in contenders.values():
        fn()
    clock = time.thread_time if cpu_time else time.perf_counter
    times = run_bench.interleaved_medians(contenders, rounds, clock)
    result = {f"{k}_ms": statistics.median(v) * 1e3 for k, v in times.items()}
    # Median of per-round ratios: holds on a shared machine where absolute times drift.
    result["ratio_vs_default"] = statistics.median(
        a / b for a, b in zip(times["pyruntime"], times["litert_default"]))
    return result, x, ours.run(x)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--kinds", default=None, help="comma-separated subset of the kinds (default: all)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--cpu-time", action="store_true",
                        help="thread CPU time instead of wall time (only meaningful with --threads 1)")
    affinity.add_argument(parser)
    args = parser.parse_args(argv)
    print(f"CPU: {run_bench.cpu_description()}; pyruntime path {pyruntime._core.isa()} "
          f"(cpu_paths()[0] = {pyruntime.cpu_paths()[0]}); MobileNetV2 224x224, {args.threads} thread(s), "
          f"{'thread CPU time' if args.cpu_time else 'wall time'} medians; {run_bench.pyruntime_origin()}; "
          f"{affinity.describe(args.pin_cpu)}")
    print(f"{'kind':14} {'pyruntime':>10} {'LiteRT dflt':>12} {'LiteRT builtin':>15} {'ours/dflt':>9}  agreement (vs)")
    rows = []
    wanted = set(args.kinds.split(",")) if args.kinds else None
    for kind, (path, resolver) in kind_models().items():
        if wanted is not None and kind not in wanted:
            continue
        with affinity.pinned(args.pin_cpu if args.threads == 1 else None):
            r, x, out = bench_kind(path, args.threads, args.rounds, args.cpu_time)
        r.update(kind=kind, agreement=agreement(path, resolver, x, out), checked_against=resolver)
        rows.append(r)
        print(f"{kind:14} {r['pyruntime_ms']:>8.2f}ms {r['litert_default_ms']:>10.2f}ms "
              f"{r['litert_builtin_ms']:>13.2f}ms {r['ratio_vs_default']:>9.2f}  {r['agreement']} ({resolver})",
              flush=True)
    if args.json:
        args.json.write_text(json.dumps({"cpu": run_bench.cpu_description(), "threads": args.threads,
                                         "results": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
