#!/usr/bin/env python3
"""Coverage-guided fuzz target (atheris) over load + allocate + one invoke.

    pip install atheris
    PYTHONPATH=.:tests python tools/fuzz_loader.py [libFuzzer flags] [CORPUS_DIR ...]

e.g. eight hours, 10 s per input, crashes written as crash-<sha1>:

    mkdir -p fuzz_corpus
    PYTHONPATH=.:tests python tools/fuzz_loader.py -max_total_time=28800 \
        -timeout=10 -rss_limit_mb=4096 fuzz_corpus/

Replay one input: `python tools/fuzz_loader.py crash-<sha1>`. An empty corpus
directory is seeded with the three models of tests/test_fuzz.py. Half of the
mutations are the structured model edits of tests/mutations.py (indices,
shapes, quantization, graph), half libFuzzer's byte mutations. A finding is a
process crash, a hang, or any exception other than ValueError (ModelError /
UsageError). The Python layer is coverage-instrumented; for coverage of the
C++ core build it with clang and `-fsanitize=fuzzer-no-link,address` (see
docs/reliability.md).
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import atheris
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

with atheris.instrument_imports():
    import pyruntime

import mutations  # noqa: E402

MAX_INPUT_BYTES = 64 << 20  # skip invoking models whose inputs alone exceed this


def run_model(data: bytes) -> None:
    try:
        interp = pyruntime.Interpreter(model_content=data)
    except ValueError:  # ModelError (and UsageError): the expected rejection
        return
    for d in interp.get_input_details():
        shape = tuple(int(s) for s in d["shape"])
        if int(np.prod(shape, dtype=np.int64)) * np.dtype(d["dtype"]).itemsize > MAX_INPUT_BYTES:
            return
        interp.set_tensor(d["index"], np.zeros(shape, d["dtype"]))
    interp.invoke()
    for d in interp.get_output_details():
        interp.get_tensor(d["index"])
    interp.close()


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    if data and rng.random() < 0.5:
        try:
            out = next(mutations.structured(data, 1, rng), None)
        except Exception:  # not parseable any more: fall back to bytes
            out = None
        if out is not None and len(out) <= max_size:
            return out
    return atheris.Mutate(data, max_size)


def seed_corpus(argv) -> None:
    dirs = [a for a in argv[1:] if not a.startswith("-") and os.path.isdir(a)]
    if dirs and not os.listdir(dirs[0]):
        from test_fuzz import seed_models
        for i, model in enumerate(seed_models()):
            Path(dirs[0], f"seed{i}.tflite").write_bytes(model)


def main() -> None:
    argv = list(sys.argv)
    # Only Python code is coverage-instrumented, so libFuzzer would shrink the
    # real seed models away; keep them whole.
    if not any(a.startswith("-reduce_inputs=") for a in argv):
        argv.insert(1, "-reduce_inputs=0")
    seed_corpus(argv)
    atheris.Setup(argv, run_model, custom_mutator=custom_mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
