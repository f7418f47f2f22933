"""Bounded mutation fuzzing: corrupted models never crash or hang the process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pyruntime
from crash_harness import run_cases
from mutations import corpus
from op_models import conv_model, dense_model

DEMO = Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"
CASES_PER_SEED = int(os.environ.get("PYRUNTIME_FUZZ_CASES_PER_SEED", "3400"))


def seed_models():
    return [DEMO.read_bytes(), conv_model(strides=2).read_bytes(), dense_model(batch=2).read_bytes()]


def test_harness_detects_crashes_and_hangs():
    # The harness must be able to fail: its worker aborts or sleeps on these
    # marker inputs, and both are reported, with the worker restarted.
    cases = [DEMO.read_bytes(), b"__abort__", b"junk", b"__hang__", DEMO.read_bytes()]
    outcome = run_cases(cases, timeout=5.0)
    assert outcome.crashes == [1] and outcome.hangs == [3]
    assert outcome.loaded == 2 and outcome.rejected == 1 and not outcome.unexpected


def test_mutated_models_never_crash():
    cases = corpus(seed_models(), CASES_PER_SEED, seed=1234)
    assert len(cases) >= 10_000 or CASES_PER_SEED < 3400  # fewer only when asked (sanitizer runs)
    outcome = run_cases(cases)
    total = outcome.loaded + outcome.rejected + len(outcome.unexpected) + len(outcome.crashes) + len(outcome.hangs)
    assert total == len(cases)
    assert not outcome.crashes, f"crashes on cases {outcome.crashes[:20]}"
    assert not outcome.hangs, f"hangs on cases {outcome.hangs[:20]}"
    assert not outcome.unexpected, f"non-ModelError exceptions on cases {outcome.unexpected[:20]}"
    assert outcome.rejected > len(cases) // 2  # the mutations really are harmful


REGRESSIONS = Path(__file__).parent / "data" / "fuzz_regressions"


def test_fuzzer_findings_stay_fixed():
    # Inputs that once crashed (found by tools/fuzz_loader.py); each must now
    # be rejected or run, in a crash-isolated worker.
    cases = [p.read_bytes() for p in sorted(REGRESSIONS.glob("*.tflite"))]
    assert cases
    outcome = run_cases(cases)
    assert not outcome.crashes and not outcome.hangs and not outcome.unexpected


@pytest.mark.parametrize("value", [2**31 - 1, 2**30, 65536])
def test_huge_strides_dilations_and_windows(value):
    from model_edit import edited
    from op_models import depthwise_model, maxpool_model

    fields = {"strideW", "strideH", "dilationWFactor", "dilationHFactor", "filterWidth", "filterHeight"}
    cases = []
    for path in (conv_model(strides=2), depthwise_model(), maxpool_model()):
        for padding in (0, 1):  # SAME, VALID
            for name in fields:
                def edit(m, name=name, padding=padding):
                    opts = m.subgraphs[0].operators[0].builtinOptions
                    if hasattr(opts, name):
                        setattr(opts, name, value)
                        opts.padding = padding
                cases.append(edited(path.read_bytes(), edit))
    outcome = run_cases(cases)
    assert not outcome.crashes and not outcome.hangs and not outcome.unexpected
