"""Memory soak measurements shared by tests/test_memory.py (bounded counts)
and tools/memory_soak.py (full counts). RSS is read from /proc (Linux)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import pyruntime
from subprocess_env import subprocess_kwargs

DEMO = Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"
MB = 2**20


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def invoke_growth(invokes: int, path=DEMO, warmup: int = 2000) -> tuple[int, int]:
    """RSS before/after `invokes` run() + set_tensor/invoke/get_tensor calls."""
    interp = pyruntime.Interpreter(path)
    d_in, d_out = interp.get_input_details()[0], interp.get_output_details()[0]
    x = np.random.default_rng(0).integers(-128, 128, size=tuple(d_in["shape"]), dtype=np.int8)

    def step():
        interp.run(x)
        interp.set_tensor(d_in["index"], x)
        interp.invoke()
        interp.get_tensor(d_out["index"])

    for _ in range(warmup):
        step()
    gc.collect()
    before = rss_bytes()
    for _ in range(invokes // 2):  # each step invokes twice
        step()
    gc.collect()
    return before, rss_bytes()


def create_destroy_growth(cycles: int, path=DEMO, warmup: int = 30) -> tuple[int, int]:
    """RSS before/after `cycles` Interpreter constructions + one run + close."""
    data = Path(path).read_bytes()

    def cycle():
        interp = pyruntime.Interpreter(model_content=data)
        shape = tuple(interp.get_input_details()[0]["shape"])
        interp.run(np.zeros(shape, interp.get_input_details()[0]["dtype"]))
        interp.close()

    for _ in range(warmup):
        cycle()
    gc.collect()
    before = rss_bytes()
    for _ in range(cycles):
        cycle()
    gc.collect()
    return before, rss_bytes()


def in_fresh_process(name: str, *args, env: dict | None = None) -> object:
    """`soak.<name>(*args)` run in a new interpreter (with `env` added to the
    environment), so that only pyruntime's memory is measured: the test
    process also holds TensorFlow, Ray and the threads earlier tests left,
    whose own allocations move its RSS by MBs."""
    child = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import soak; "
             f"print(json.dumps(soak.{name}(*json.loads(sys.argv[1]))))")
    kwargs = subprocess_kwargs()
    kwargs["env"].update(env or {})
    argv = json.dumps([str(a) if isinstance(a, Path) else a for a in args])
    out = subprocess.run([sys.executable, "-c", child, argv], check=True, capture_output=True,
                         text=True, timeout=900, **kwargs).stdout
    return json.loads(out.strip().splitlines()[-1])


def load_rss(path) -> dict:
    """RSS before and after constructing an Interpreter for `path`."""
    gc.collect()
    before = rss_bytes()
    interp = pyruntime.Interpreter(path)
    return {"before": before, "after": rss_bytes(), "arena": interp.arena_bytes}


def load_growth(path, isa: str) -> dict:
    """RSS growth of loading `path` in a fresh process on kernel path `isa`."""
    r = in_fresh_process("load_rss", path, env={"PYRUNTIME_ISA": isa})
    r["file"] = Path(path).stat().st_size
    r["growth"] = r["after"] - r["before"]
    return r
