"""Load time and peak resident memory in a fresh process, pyruntime vs LiteRT.

Each runtime runs in a fresh Python process that imports numpy and only that
runtime, records its RSS, loads the model (timed: constructor to ready for
the first invoke; LiteRT: constructor + allocate_tensors, where XNNPACK
packs its weights), runs it `runs` times and reports the process's peak RSS (VmHWM: unlike ru_maxrss it is not inherited from the
forking parent) and the growth of RSS over the post-import RSS.

    python bench/memory.py model.tflite [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

_CHILD = r"""
import json, sys, time
import numpy as np
kind, path, threads, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])

def status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

if kind == "pyruntime":
    import pyruntime
    base = status_mb("VmRSS")
    t0, c0 = time.perf_counter(), time.thread_time()
    interp = pyruntime.Interpreter(path, num_threads=threads)
    load, load_cpu = time.perf_counter() - t0, time.thread_time() - c0
    d = interp.get_input_details()[0]
    run = lambda x: interp.run(x)
else:
    from ai_edge_litert.interpreter import Interpreter
    base = status_mb("VmRSS")
    t0, c0 = time.perf_counter(), time.thread_time()
    interp = Interpreter(model_path=path, num_threads=threads)
    interp.allocate_tensors()
    load, load_cpu = time.perf_counter() - t0, time.thread_time() - c0
    d = interp.get_input_details()[0]
    out = interp.get_output_details()[0]["index"]
    def run(x):
        interp.set_tensor(d["index"], x); interp.invoke(); return interp.get_tensor(out)
x = np.zeros(tuple(d["shape"]), d["dtype"])
for _ in range(runs):
    run(x)
peak = status_mb("VmHWM")
print(json.dumps({"load_ms": load * 1e3, "load_cpu_ms": load_cpu * 1e3, "peak_rss_mb": peak, "after_import_mb": base,
                  "growth_mb": status_mb("VmRSS") - base}))
"""


def measure(kind: str, path: Path, threads: int = 1, runs: int = 5) -> Dict[str, float]:
    """{load_ms, load_cpu_ms, peak_rss_mb, after_import_mb, growth_mb} of `kind`
    ("pyruntime" or "litert", XNNPACK). load_cpu_ms: the loading thread's CPU
    time, steadier than load_ms on a shared machine."""
    # The child imports the same pyruntime as this process (also an
    # uninstalled working tree), from a neutral directory.
    import pyruntime

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(Path(pyruntime.__file__).resolve().parent.parent), env.get("PYTHONPATH")) if p)
    out = subprocess.run([sys.executable, "-c", _CHILD, kind, str(Path(path).resolve()), str(threads), str(runs)],
                         capture_output=True, text=True, cwd="/", env=env)
    if out.returncode:
        raise RuntimeError(f"{kind} memory run failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    for kind in ("pyruntime", "litert"):
        print(kind, json.dumps(measure(kind, args.model.resolve(), args.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
