"""Runs untrusted model bytes in a child process so crashes and hangs are caught.

A long-lived worker (a fork-server in spirit) reads length-prefixed cases on
stdin, loads each with the chosen runtime, invokes once with zero inputs and
answers one status byte. If the worker dies, the case is recorded as a crash
and a new worker starts; if it does not answer in time, as a hang.
"""

from __future__ import annotations

import os
import select
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from typing import List

from subprocess_env import subprocess_kwargs

WORKER = r"""
import os, struct, sys
import numpy as np
runtime = sys.argv[1]
if runtime == "pyruntime":
    import pyruntime
    def load_and_run(data):
        try:
            it = pyruntime.Interpreter(model_content=data)
        except (pyruntime.ModelError, ValueError):
            return b"E"
        for d in it.get_input_details():
            it.set_tensor(d["index"], np.zeros(tuple(d["shape"]), d["dtype"]))
        try:
            it.invoke()
        except pyruntime.ModelError:
            # Only a model whose shapes depend on computed values is planned
            # (and its shape inputs validated) at invoke.
            if not it._native().is_dynamic():
                raise
            return b"E"
        for d in it.get_output_details():
            it.get_tensor(d["index"])
        return b"K"
else:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    def load_and_run(data):
        try:
            it = Interpreter(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
            it.allocate_tensors()
            for d in it.get_input_details():
                it.set_tensor(d["index"], np.zeros(tuple(d["shape"]), d["dtype"]))
            it.invoke()
        except Exception:
            return b"E"
        return b"K"
inp, out = sys.stdin.buffer, sys.stdout.buffer
out.write(b"R"); out.flush()
while True:
    header = inp.read(4)
    if len(header) < 4:
        break
    (n,) = struct.unpack("<I", header)
    data = inp.read(n)
    if data == b"__abort__":  # self-test hooks of the harness
        os.abort()
    if data == b"__hang__":
        import time; time.sleep(3600)
    try:
        status = load_and_run(data)
    except Exception:
        status = b"X"  # an unexpected Python exception type: a bug, not a crash
    out.write(status); out.flush()
"""


@dataclass
class Outcome:
    loaded: int = 0        # accepted and invoked
    rejected: int = 0      # refused with the runtime's model error
    unexpected: List[int] = field(default_factory=list)  # other Python exceptions
    crashes: List[int] = field(default_factory=list)     # worker died
    hangs: List[int] = field(default_factory=list)       # no answer in time


class _Worker:
    def __init__(self, runtime: str):
        self.proc = subprocess.Popen([sys.executable, "-c", WORKER, runtime], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, **subprocess_kwargs())
        if self._read(120.0) != b"R":
            raise RuntimeError(f"the {runtime} worker did not start")

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        return os.read(self.proc.stdout.fileno(), 1) if ready else b"?"

    def run(self, data: bytes, timeout: float) -> bytes:
        try:
            self.proc.stdin.write(struct.pack("<I", len(data)) + data)
            self.proc.stdin.flush()
        except BrokenPipeError:
            return b""
        return self._read(timeout)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def run_cases(cases: List[bytes], runtime: str = "pyruntime", timeout: float = 30.0) -> Outcome:
    """timeout: per case. Some mutated models are valid and large (a batch of
    2^20 images: ~3 s idle); 10 s was exceeded on a loaded 2-core machine."""
    outcome = Outcome()
    worker = _Worker(runtime)
    try:
        for i, data in enumerate(cases):
            status = worker.run(data, timeout)
            if status == b"K":
                outcome.loaded += 1
            elif status == b"E":
                outcome.rejected += 1
            elif status == b"X":
                outcome.unexpected.append(i)
            else:
                (outcome.hangs if status == b"?" else outcome.crashes).append(i)
                worker.kill()
                worker = _Worker(runtime)
    finally:
        worker.kill()
    return outcome
