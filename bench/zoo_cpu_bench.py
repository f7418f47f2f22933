"""1-thread CPU time per invoke of the wider zoo: pyruntime vs LiteRT default (XNNPACK).

On a shared, loaded machine wall-clock time is noise; thread CPU time
(time.thread_time around invoke) is not. Contenders run interleaved in one
process (A B A B ...), after warm-up; we report each one's median CPU ms per
invoke and the median of per-round ratios. With --profile, pyruntime's per-op
profile (median per op over the runs, grouped by op type) follows, with MACs.

    python bench/zoo_cpu_bench.py                       # cached real-model zoo (int8)
    python bench/zoo_cpu_bench.py --models transformer densenet121 --rounds 200 --profile
    python bench/zoo_cpu_bench.py --model-file big.tflite
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import affinity  # noqa: E402
import pyruntime  # noqa: E402

DEFAULT_MODELS = ("transformer", "densenet121", "inception_v3", "xception", "efficientnet_v2_b0")


def _input(details, seed=0):
    rng = np.random.default_rng(seed)
    dt = np.dtype(details["dtype"])
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return rng.integers(info.min, info.max + 1, size=tuple(details["shape"])).astype(dt)
    return rng.standard_normal(tuple(details["shape"])).astype(dt)


def _cpu_timer(fn, reps):
    def run():
        t = time.thread_time()
        for _ in range(reps):
            fn()
        return (time.thread_time() - t) / reps
    return run


def bench(path: Path, rounds: int, reps: int):
    from ai_edge_litert.interpreter import Interpreter as LiteRT

    ours = pyruntime.Interpreter(str(path), num_threads=1)
    xnn = LiteRT(model_path=str(path), num_threads=1)
    xnn.allocate_tensors()
    xs = [_input(d) for d in ours.get_input_details()]
    for d, x in zip(xnn.get_input_details(), xs):
        xnn.set_tensor(d["index"], x)
    for d, x in zip(ours.get_input_details(), xs):
        ours.set_tensor(d["index"], x)
    timers = {"pyruntime": _cpu_timer(ours.invoke, reps), "xnnpack": _cpu_timer(xnn.invoke, reps)}
    for t in timers.values():
        t()
    times = {k: [] for k in timers}
    for _ in range(rounds):
        for k, t in timers.items():
            times[k].append(t())
    ratio = statistics.median(a / b for a, b in zip(times["pyruntime"], times["xnnpack"]))
    return ({k: statistics.median(v) * 1e3 for k, v in times.items()}, ratio, ours.count_macs())


def profile(path: Path, runs: int):
    interp = pyruntime.Interpreter(str(path), num_threads=1, profile=True)
    for d in interp.get_input_details():
        interp.set_tensor(d["index"], _input(d))
    interp.invoke()
    samples, info = defaultdict(list), {}
    for _ in range(runs):
        interp.invoke()
        for row in interp.get_profile():
            samples[row["op_index"]].append(row["seconds"])
            info[row["op_index"]] = row
    per_op = {i: (info[i]["op_name"], statistics.median(v) * 1e3, info[i].get("macs", 0)) for i, v in samples.items()}
    total = sum(ms for _, ms, _ in per_op.values())
    by_type = defaultdict(lambda: [0, 0.0, 0])
    for name, ms, macs in per_op.values():
        by_type[name][0] += 1
        by_type[name][1] += ms
        by_type[name][2] += macs or 0
    return total, sorted(by_type.items(), key=lambda kv: -kv[1][1]), per_op


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", nargs="*", default=None, help="tests/real_models.py names (int8)")
    p.add_argument("--model-file", nargs="*", default=[])
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--reps", type=int, default=0, help="invokes per timing (default: ~20 ms worth)")
    p.add_argument("--profile", action="store_true")
    p.add_argument("--top", type=int, default=6)
    affinity.add_argument(p)
    args = p.parse_args(argv)
    import real_models

    paths = {m: real_models.get_model(m, "int8") for m in (args.models if args.models is not None else DEFAULT_MODELS)}
    paths.update({Path(f).stem: Path(f) for f in args.model_file})
    from run_bench import pyruntime_origin

    # The path the interpreters run: PYRUNTIME_ISA's when set, else the best.
    print(f"pyruntime path {pyruntime._core.isa()}; 1 thread; thread CPU ms per invoke, interleaved medians; "
          f"{pyruntime_origin()}; {affinity.describe(args.pin_cpu)}")
    with affinity.pinned(args.pin_cpu):
        _bench_all(paths, args)
    return 0


def _bench_all(paths, args) -> None:
    for name, path in paths.items():
        reps = args.reps
        if not reps:
            t = time.thread_time()
            pyruntime.Interpreter(str(path), num_threads=1).run([_input(d) for d in pyruntime.Interpreter(str(path)).get_input_details()])
            reps = max(1, int(0.02 / max(time.thread_time() - t, 1e-5)))
        ms, ratio, macs = bench(path, args.rounds, reps)
        print(f"{name:22} pyruntime {ms['pyruntime']:8.3f}  xnnpack {ms['xnnpack']:8.3f}  ratio {ratio:5.2f}  "
              f"MACs {macs / 1e6:8.1f} M", flush=True)
        if args.profile:
            total, by_type, per_op = profile(path, max(args.rounds, 20))
            print(f"  profile: {total:.3f} ms over {len(per_op)} ops")
            for op, (count, t, m) in by_type[: args.top]:
                rate = f"{m / (t * 1e6):6.1f} G MAC/s" if m else ""
                print(f"    {op:22} x{count:<4} {t:8.3f} ms {100 * t / total:5.1f}%  {rate}")


if __name__ == "__main__":
    sys.exit(main())
