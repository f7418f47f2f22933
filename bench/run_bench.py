"""Latency of pyruntime against LiteRT on the same machine, in one process.

Contenders run interleaved in rounds (A B C, then C A B, ...: each round in
a new order) after warm-up; we report the median time per inference of each
and the median of per-round ratios pyruntime / LiteRT-XNNPACK. Absolute
times drift on a shared machine; ratios measured side by side hold.
Contenders: pyruntime on its best path (cpu_paths()[0]) and, where that is
not avx2, on the avx2 path too; LiteRT with XNNPACK and with its builtin
kernels; OpenVINO reading the same .tflite (INFERENCE_NUM_THREADS,
PERFORMANCE_HINT=LATENCY). Before timing, pyruntime's
outputs on the timed input are checked against LiteRT's reference kernels
(== for integer outputs). Also per model and thread count:
  peak%   MACs per second as a fraction of the measured int8 MAC peak of the
          cores used (bench/peak_macs.py: the best exact int8 instruction of
          this CPU, e.g. vpdpbusd zmm on avx512vnni, else vpmaddwd)
  load    constructor to first-invoke-ready in a fresh process (LiteRT:
          constructor + allocate_tensors, where XNNPACK packs its weights),
          median of 3 processes per runtime, alternating (bench/memory.py;
          the JSON also has the loading thread's CPU time, load_cpu_*_ms)
  RSS     peak resident MB of such a process after loading and running the
          model, pyruntime vs LiteRT-XNNPACK

    python bench/run_bench.py                      # the five zoo models, 1 and 2 threads
    python bench/run_bench.py --models mobilenet_v2 --threads 1 --rounds 50
    python bench/run_bench.py --model-file my.tflite --json out.json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import pyruntime  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import affinity  # noqa: E402
import memory  # noqa: E402
import overhead  # noqa: E402
import peak_macs  # noqa: E402


def pyruntime_origin() -> str:
    """Where pyruntime was imported from, with a warning when this checkout has
    its own in-tree build that is not the one being timed (scripts put only
    tests/ on sys.path: without PYTHONPATH=. they time the installed wheel)."""
    here = Path(pyruntime.__file__).resolve().parent
    tree = Path(__file__).resolve().parent.parent / "pyruntime"
    note = f"pyruntime from {here}"
    if here != tree and any(tree.glob("_core*.so")):
        note += f" (NOT this checkout's in-tree build in {tree}: run with PYTHONPATH=. to time it)"
    return note


def cpu_description() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
        else:
            name = platform.processor()
        flags = next(l for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("flags"))
        isa = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "fma") if f" {f}" in flags]
        return f"{name} ({', '.join(isa)})"
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def litert_interpreter(path: Path, threads: int, delegates: bool):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    resolver = OpResolverType.AUTO if delegates else OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    interp = Interpreter(model_path=str(path), num_threads=threads, experimental_op_resolver_type=resolver)
    interp.allocate_tensors()
    return interp


def litert_runner(path: Path, threads: int, x: np.ndarray, delegates: bool) -> Callable[[], np.ndarray]:
    return overhead.three_calls(litert_interpreter(path, threads, delegates), x)


def openvino_runner(path: Path, threads: int, x: np.ndarray) -> Callable[[], object]:
    import openvino as ov

    core = ov.Core()
    compiled = core.compile_model(core.read_model(str(path)), "CPU",
                                  {"INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY"})
    request = compiled.create_infer_request()
    return lambda: request.infer({0: x})


def pyruntime_on_path(path: Path, threads: int, isa: str):
    """An Interpreter on kernel path `isa` (PYRUNTIME_ISA is read at construction)."""
    import os

    saved = os.environ.get("PYRUNTIME_ISA")
    os.environ["PYRUNTIME_ISA"] = isa
    try:
        return pyruntime.Interpreter(path, num_threads=threads)
    finally:
        if saved is None:
            del os.environ["PYRUNTIME_ISA"]
        else:
            os.environ["PYRUNTIME_ISA"] = saved


def check_against_reference(path: Path, interp, x: np.ndarray) -> str:
    """pyruntime's outputs on x vs LiteRT BUILTIN_REF: 'bit-exact' or raises."""
    from model_zoo import reference_outputs

    ours = interp.run(x)
    ours = ours if isinstance(ours, list) else [ours]
    ref = reference_outputs(path, [[x]])[0]
    for o, r in zip(ours, ref):
        if o.dtype.kind in "iu" and not np.array_equal(o, r):
            raise AssertionError(f"{path.name}: pyruntime differs from BUILTIN_REF on the timed input")
    return "bit-exact"


def interleaved_medians(contenders: Dict[str, Callable[[], object]], rounds: int,
                        clock: Callable[[], float] = time.perf_counter) -> Dict[str, List[float]]:
    """Per-round times of each contender, each round in a new (seeded random)
    order, so each follows every other about equally often: a runtime's
    threads still spinning after its run slow down whichever runs next on a
    2-core machine (LiteRT's builtin kernels made our next EfficientNetB0 run
    40% slower; in a fixed order that was always the same contender).
    clock=time.thread_time measures this thread's CPU time (1-thread runs on
    a loaded machine)."""
    times: Dict[str, List[float]] = {k: [] for k in contenders}
    order = random.Random(0)
    names = list(contenders)
    for _ in range(rounds):
        order.shuffle(names)
        for name in names:
            t = clock()
            contenders[name]()
            times[name].append(clock() - t)
    return times


def fresh_process_stats(path: Path, threads: int, processes: int = 3) -> Dict[str, float]:
    """Median load ms and peak RSS MB over fresh processes, runtimes alternating."""
    runs: Dict[str, List[Dict[str, float]]] = {"pyruntime": [], "litert": []}
    for _ in range(processes):
        for kind in runs:
            runs[kind].append(memory.measure(kind, path, threads))
    out = {}
    for kind, name in (("pyruntime", "pyruntime"), ("litert", "xnnpack")):
        out[f"load_{name}_ms"] = statistics.median(r["load_ms"] for r in runs[kind])
        out[f"load_cpu_{name}_ms"] = statistics.median(r["load_cpu_ms"] for r in runs[kind])
        out[f"peak_rss_{kind}_mb"] = statistics.median(r["peak_rss_mb"] for r in runs[kind])
    return out


def bench_model(path: Path, threads: int, rounds: int, warmup: int, peak_macs_per_s: float,
                skip_fresh: bool = False) -> Dict[str, float]:
    best = pyruntime.cpu_paths()[0]
    ours = pyruntime_on_path(path, threads, best)
    details = ours.get_input_details()[0]
    rng = np.random.default_rng(0)
    info = np.iinfo(details["dtype"]) if np.dtype(details["dtype"]).kind in "iu" else None
    x = (rng.integers(info.min, info.max + 1, size=tuple(details["shape"])).astype(details["dtype"])
         if info else rng.standard_normal(tuple(details["shape"])).astype(np.float32))
    check = check_against_reference(path, ours, x)
    contenders = {
        "pyruntime": lambda: ours.run(x),
        "xnnpack": litert_runner(path, threads, x, delegates=True),
        "builtin": litert_runner(path, threads, x, delegates=False),
        "openvino": openvino_runner(path, threads, x),
    }
    if best != "avx2" and "avx2" in pyruntime.cpu_paths():
        on_avx2 = pyruntime_on_path(path, threads, "avx2")
        contenders["pyruntime_avx2"] = lambda: on_avx2.run(x)
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    times = interleaved_medians(contenders, rounds)
    ratios = [a / b for a, b in zip(times["pyruntime"], times["xnnpack"])]
    result = {f"{k}_ms": statistics.median(v) * 1e3 for k, v in times.items()}
    result["ratio_vs_xnnpack"] = statistics.median(ratios)
    result["ratio_vs_openvino"] = statistics.median(
        a / b for a, b in zip(times["pyruntime"], times["openvino"]))
    result["path"] = best
    result["check"] = check
    result["macs"] = ours.count_macs()
    result["fraction_of_peak"] = result["macs"] / (result["pyruntime_ms"] / 1e3) / (peak_macs_per_s * threads)
    result["xnnpack_fraction_of_peak"] = result["macs"] / (result["xnnpack_ms"] / 1e3) / (peak_macs_per_s * threads)
    if not skip_fresh:
        result.update(fresh_process_stats(path, threads))
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="*", default=None, help="zoo model names (default: all five)")
    parser.add_argument("--model-file", nargs="*", default=[], help="extra .tflite files")
    parser.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-fresh", action="store_true", help="skip the load-time / RSS processes")
    affinity.add_argument(parser)
    args = parser.parse_args(argv)

    from model_zoo import MODEL_NAMES, get_model

    paths = {name: get_model(name) for name in (args.models if args.models is not None else MODEL_NAMES)}
    paths.update({Path(p).stem: Path(p) for p in args.model_file})
    cpu = cpu_description()
    peak = peak_macs.exact_peak_macs()
    print(f"CPU: {cpu}")
    print(f"peak: {peak['macs_per_s'] / 1e9:.1f} G int8 MAC/s per core ({peak['instruction']}, isa {peak['isa']})")
    print(f"pyruntime path: {pyruntime.cpu_paths()[0]} (cpu_paths: {', '.join(pyruntime.cpu_paths())}); "
          f"{pyruntime_origin()}; {affinity.describe(args.pin_cpu)}")
    print(f"{'model':18} {'thr':>3} {'pyruntime':>9} {'(avx2)':>8} {'xnnpack':>8} {'openvino':>8} {'builtin':>8} "
          f"{'ratio':>6} {'vs ov':>6} {'peak%':>11} {'load ms':>11} {'RSS MB':>11}")
    print(f"{'':18} {'':>3} {'ms':>9} {'ms':>8} {'ms':>8} {'ms':>8} {'ms':>8} {'/xnn':>6} {'':>6} "
          f"{'ours/xnn':>11} {'ours/xnn':>11} {'ours/litert':>11}")
    rows = []
    for name, path in paths.items():
        for threads in args.threads:
            with affinity.pinned(args.pin_cpu if threads == 1 else None):
                r = bench_model(path, threads, args.rounds, args.warmup, peak["macs_per_s"], args.no_fresh)
            rows.append({"model": name, "threads": threads, **r})
            fresh = (f"{r['load_pyruntime_ms']:>5.1f}/{r['load_xnnpack_ms']:<5.1f} "
                     f"{r['peak_rss_pyruntime_mb']:>5.0f}/{r['peak_rss_litert_mb']:<5.0f}"
                     if "load_pyruntime_ms" in r else f"{'-':>11} {'-':>11}")
            print(f"{name:18} {threads:>3} {r['pyruntime_ms']:>9.2f} {r.get('pyruntime_avx2_ms', float('nan')):>8.2f} "
                  f"{r['xnnpack_ms']:>8.2f} {r['openvino_ms']:>8.2f} {r['builtin_ms']:>8.2f} "
                  f"{r['ratio_vs_xnnpack']:>6.2f} {r['ratio_vs_openvino']:>6.2f} "
                  f"{100 * r['fraction_of_peak']:>5.0f}/{100 * r['xnnpack_fraction_of_peak']:<5.0f} "
                  f"{fresh}  {r['check']}", flush=True)
    for threads in args.threads:
        ratios = [r["ratio_vs_xnnpack"] for r in rows if r["threads"] == threads]
        if ratios:
            print(f"geometric-mean ratio pyruntime/XNNPACK at {threads} thread(s): "
                  f"{float(np.exp(np.mean(np.log(ratios)))):.2f}")
    if args.json:
        args.json.write_text(json.dumps({"cpu": cpu, "peak": peak, "results": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
