"""Per-op latency: each operator of a zoo model cut out as a one-op model.

Runs every selected op alone in pyruntime (on the ISA paths given, via
PYRUNTIME_ISA) and in LiteRT with XNNPACK, interleaved in rounds, and prints
median times. Useful while whole models still miss ops.

    python bench/op_bench.py --model resnet50 --ops CONV_2D --threads 1 --isas avx2 reference
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import pyruntime  # noqa: E402
from model_edit import edited, load  # noqa: E402
from model_zoo import get_model  # noqa: E402


def single_op_models(model_bytes: bytes, op_names, out_dir: Path):
    model = load(model_bytes)
    codes = [max(c.builtinCode, c.deprecatedBuiltinCode) for c in model.operatorCodes]
    from ai_edge_litert import schema_py_generated as schema
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    for i, op in enumerate(model.subgraphs[0].operators):
        name = names.get(codes[op.opcodeIndex], "?")
        if op_names and name not in op_names:
            continue

        def cut(m, i=i):
            g = m.subgraphs[0]
            o = g.operators[i]
            g.operators = [o]
            # Every non-constant input becomes a graph input.
            def constant(t):
                data = m.buffers[g.tensors[t].buffer].data
                return data is not None and len(data) > 0

            g.inputs = [t for t in o.inputs if t >= 0 and not constant(t)]
            g.outputs = [o.outputs[0]]
            m.signatureDefs = []

        path = out_dir / f"op{i:03d}_{name}.tflite"
        path.write_bytes(edited(model_bytes, cut))
        yield i, name, path


CLOCK = time.perf_counter


def timer(fn, reps):
    fn()
    t0 = CLOCK()
    for _ in range(reps):
        fn()
    return (CLOCK() - t0) / reps


def random_inputs(details):
    rng = np.random.default_rng(0)
    return [rng.integers(-128, 128, d["shape"]).astype(d["dtype"]) for d in details]


def make_runners(path: Path, threads: int, isas):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    runners = {}
    for isa in isas:
        os.environ["PYRUNTIME_ISA"] = isa
        interp = pyruntime.Interpreter(str(path), num_threads=threads)
        xs = random_inputs(interp.get_input_details())
        runners[isa] = (lambda it=interp, xs=xs: it.run(xs))
    lite = Interpreter(model_path=str(path), num_threads=threads,
                       experimental_op_resolver_type=OpResolverType.AUTO)
    lite.allocate_tensors()
    details = lite.get_input_details()
    xs = random_inputs(details)

    outputs = [d["index"] for d in lite.get_output_details()]

    # Inputs in, outputs out, as pyruntime's run() does (a one-op model's
    # output can be megabytes: leaving out its copy favoured LiteRT).
    def run_lite():
        for d, x in zip(details, xs):
            lite.set_tensor(d["index"], x)
        lite.invoke()
        return [lite.get_tensor(i) for i in outputs]

    runners["xnnpack"] = run_lite
    return runners


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="resnet50", help="a zoo model name or a .tflite path")
    p.add_argument("--ops", nargs="*", default=["CONV_2D", "FULLY_CONNECTED"])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--isas", nargs="*", default=["avx2", "reference"])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--min-time", type=float, default=0.02, help="seconds per measurement")
    p.add_argument("--cpu-time", action="store_true",
                   help="time the calling thread's CPU time (1 thread; holds up on a loaded machine)")
    args = p.parse_args(argv)
    if args.cpu_time:
        if args.threads != 1:
            p.error("--cpu-time measures one thread: use --threads 1")
        global CLOCK
        CLOCK = time.thread_time
    saved = os.environ.get("PYRUNTIME_ISA")
    totals = {}
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(args.model)
        data = (model if model.suffix == ".tflite" else get_model(args.model, "int8")).read_bytes()
        cols = args.isas + ["xnnpack"]
        print(f"{'op':<22}" + "".join(f"{c:>12}" for c in cols))
        for i, name, path in single_op_models(data, set(args.ops), Path(tmp)):
            runners = make_runners(path, args.threads, args.isas)
            reps = {k: max(1, int(args.min_time / timer(fn, 1))) for k, fn in runners.items()}
            times = {k: [] for k in runners}
            for _ in range(args.rounds):
                for k, fn in runners.items():
                    times[k].append(timer(fn, reps[k]))
            med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
            for k, v in med.items():
                totals[k] = totals.get(k, 0.0) + v
            print(f"{i:>3} {name:<18}" + "".join(f"{med[c]:>10.3f}ms" for c in cols), flush=True)
        print(f"{'total':<22}" + "".join(f"{totals[c]:>10.3f}ms" for c in cols))
    if saved is None:
        os.environ.pop("PYRUNTIME_ISA", None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
