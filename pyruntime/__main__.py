"""Command line: ``pyruntime`` (or ``python -m pyruntime``).

With no arguments it runs the demo: a small int8 CNN that ships inside the
package, on held-out images of scikit-learn's digits data set.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import List, Optional

import numpy as np

import pyruntime
from pyruntime.quantization import quantize

DEMO_MODEL = "digits_int8.tflite"
DEMO_DATA = "digits_test.npz"


def _data_file(name: str) -> Path:
    return Path(str(resources.files("pyruntime") / "data" / name))


def _median_us(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)) * 1e6


def run_demo(threads: int = 1) -> int:
    """Runs the bundled digits model and prints accuracy and latency."""
    model_path = _data_file(DEMO_MODEL)
    data = np.load(_data_file(DEMO_DATA))
    x, y = data["x"], data["y"]
    interp = pyruntime.Interpreter(model_path, num_threads=threads)
    inp = interp.get_input_details()[0]
    out = interp.get_output_details()[0]
    ops = Counter(op["op_name"] for op in interp._get_ops_details())
    print(f"pyruntime {pyruntime.__version__} demo")
    print(f"model   {model_path.name} ({model_path.stat().st_size / 1024:.1f} KB): "
          + ", ".join(f"{name} x{n}" for name, n in sorted(ops.items())))
    print(f"input   {inp['name']} {inp['dtype'].__name__}{list(inp['shape'])} "
          f"scale={inp['quantization'][0]:.6g} zero_point={inp['quantization'][1]}")
    print(f"output  {out['name']} {out['dtype'].__name__}{list(out['shape'])}")
    print(f"arena   {interp.arena_bytes} bytes")

    q = quantize(x, inp)
    predictions = np.array([int(np.argmax(interp.run(q[i:i + 1]))) for i in range(len(q))])
    accuracy = float(np.mean(predictions == y))
    print(f"accuracy {accuracy * 100:.2f}% on {len(y)} held-out digits "
          f"(first predictions {predictions[:10].tolist()}, labels {y[:10].tolist()})")
    sample = q[:1]
    for _ in range(100):
        interp.run(sample)
    us = _median_us(lambda: interp.run(sample), 2000)
    print(f"time    {us:.2f} us per run(x) (median of 2000, {threads} thread(s), incl. input/output copies)")
    return 0


def run_inspect(model: str) -> int:
    """Prints inputs, outputs, op counts and arena size of a model."""
    interp = pyruntime.Interpreter(model)
    print(f"model {model}")
    for kind, details in (("input", interp.get_input_details()), ("output", interp.get_output_details())):
        for d in details:
            print(f"  {kind:6} {d['index']:4} {d['name']} {d['dtype'].__name__}{list(d['shape'])} "
                  f"quantization={d['quantization']}")
    ops = Counter(op["op_name"] for op in interp._get_ops_details())
    print("  ops   " + ", ".join(f"{name} x{n}" for name, n in sorted(ops.items())))
    print(f"  tensors {len(interp.get_tensor_details())}, arena {interp.arena_bytes} bytes")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="pyruntime", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="run the bundled digits model (the default)")
    demo.add_argument("--threads", type=int, default=1)
    inspect = sub.add_parser("inspect", help="show a model's inputs, outputs and ops")
    inspect.add_argument("model")
    args = parser.parse_args(argv)
    try:
        if args.command == "inspect":
            return run_inspect(args.model)
        return run_demo(getattr(args, "threads", 1))
    except (pyruntime.ModelError, OSError) as e:
        print(f"pyruntime: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
