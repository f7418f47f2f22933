"""Throughput of `pyruntime evaluate` in this process and on a local Ray cluster with 1 and 2 workers.

    python bench/ray_scaling.py MODEL.tflite --samples 10000 --rounds 3

Writes N random samples of the model's input dtype to an .npz (once, cached in
--dir), then runs the CLI (`--json`) in rounds, interleaved: here (no Ray),
`--ray local --workers 1`, `--ray local --workers 2`. Each Ray run starts its own
local cluster; its `seconds` start after the .npz is loaded and the cluster is
up (what `pyruntime.ray.evaluate` times). Prints each run, then the medians and
the 2-worker / 1-worker ratio; every run must give the same predictions_sha256.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np


def make_data(model: str, samples: int, directory: Path) -> Path:
    import pyruntime

    inp = pyruntime.Interpreter(model).get_input_details()[0]
    path = directory / f"{Path(model).stem}_{samples}.npz"
    if not path.exists():
        rng = np.random.default_rng(0)
        info = np.iinfo(inp["dtype"]) if np.dtype(inp["dtype"]).kind in "iu" else None
        shape = (samples,) + tuple(int(v) for v in inp["shape"][1:])
        x = rng.integers(info.min, info.max + 1, size=shape, dtype=inp["dtype"]) if info \
            else rng.random(shape, dtype=np.float32)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, x=x)
        tmp.rename(path)
    return path


def run(model: str, data: Path, batch_size: int, workers):
    cmd = [sys.executable, "-m", "pyruntime", "evaluate", model, str(data), "--batch-size", str(batch_size), "--json"]
    if workers:
        cmd += ["--ray", "local", "--workers", str(workers)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--configs", default="here,1,2", help="comma-separated: here and/or worker counts")
    parser.add_argument("--dir", default="/tmp/pyruntime_ray_scaling", help="where the .npz is cached")
    args = parser.parse_args()
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    data = make_data(args.model, args.samples, directory)
    configs = [None if c == "here" else int(c) for c in args.configs.split(",")]
    rates = {c: [] for c in configs}
    hashes = set()
    for r in range(args.rounds):
        for c in configs:
            load = os.getloadavg()[0]
            report = run(args.model, data, args.batch_size, c)
            rates[c].append(report["samples_per_second"])
            hashes.add(report["predictions_sha256"])
            print(f"round {r + 1} {'here' if c is None else f'{c} worker(s)':>11}: "
                  f"{report['samples_per_second']:7.1f} samples/s ({report['seconds']:.1f} s, "
                  f"load {load:.2f} before)", flush=True)
    medians = {c: statistics.median(v) for c, v in rates.items()}
    for c, m in medians.items():
        print(f"median {'here' if c is None else f'{c} worker(s)':>11}: {m:7.1f} samples/s")
    if 1 in medians and 2 in medians:
        print(f"2 workers / 1 worker: {medians[2] / medians[1]:.2f}x")
    print("predictions_sha256:", ", ".join(sorted(hashes)))
    return 0 if len(hashes) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
