"""Per-invoke overhead on tiny models: pyruntime vs LiteRT, interleaved.

A 2-layer int8 MLP (32 -> 64 ReLU -> 10) and the bundled digits CNN. Each
contender is timed over batches of `calls` calls per round, rounds
interleaved; medians per call in microseconds:
  pyruntime run(x)                      one call: copy in, invoke, copy out
  pyruntime set_tensor/invoke/get_tensor  the TFLite-style three calls
  LiteRT set_tensor/invoke/get_tensor   with XNNPACK (default) and builtin kernels

    python bench/overhead.py [--rounds 30] [--calls 1000] [--json out.json]
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

import pyruntime  # noqa: E402


def mlp_model() -> Path:
    """The cached 2-layer int8 MLP (built with TensorFlow on first use)."""
    import model_zoo

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(64, activation="relu"),
                                  keras.layers.Dense(10)])
        rng = np.random.default_rng(0)
        rep = [[rng.standard_normal((1, 32)).astype(np.float32)] for _ in range(8)]
        return model_zoo.convert_int8(model, rep)

    return model_zoo.cached_build(model_zoo.CACHE_DIR / "bench" / "mlp_32_64_10_int8.tflite", build)


def three_calls(interp, x: np.ndarray) -> Callable[[], np.ndarray]:
    inp = interp.get_input_details()[0]["index"]
    out = interp.get_output_details()[0]["index"]

    def run() -> np.ndarray:
        interp.set_tensor(inp, x)
        interp.invoke()
        return interp.get_tensor(out)

    return run


def bench(path: Path, rounds: int, calls: int) -> Dict[str, float]:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    ours = pyruntime.Interpreter(path)
    d = ours.get_input_details()[0]
    x = np.zeros(tuple(d["shape"]), d["dtype"])
    xnn = Interpreter(model_path=str(path))
    builtin = Interpreter(model_path=str(path),
                          experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    for interp in (xnn, builtin):
        interp.allocate_tensors()
    contenders = {
        "pyruntime_run": lambda: ours.run(x),
        "pyruntime_3calls": three_calls(ours, x),
        "litert_xnnpack_3calls": three_calls(xnn, x),
        "litert_builtin_3calls": three_calls(builtin, x),
    }
    times: Dict[str, list] = {k: [] for k in contenders}
    for r in range(rounds + 1):
        for name, fn in contenders.items():
            t = time.perf_counter()
            for _ in range(calls):
                fn()
            if r:  # round 0 is warm-up
                times[name].append((time.perf_counter() - t) / calls * 1e6)
    return {f"{k}_us": statistics.median(v) for k, v in times.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    models = {"mlp_32_64_10": mlp_model(), "digits_cnn": Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"}
    results = {}
    for name, path in models.items():
        results[name] = r = bench(path, args.rounds, args.calls)
        print(f"{name}: " + ", ".join(f"{k[:-3]} {v:.2f} us" for k, v in r.items()), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
