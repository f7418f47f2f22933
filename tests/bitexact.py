"""Bit-exactness check of pyruntime against LiteRT's reference kernels."""

from __future__ import annotations

from typing import List, Sequence

import numpy as np

import pyruntime
from model_zoo import random_inputs, reference_outputs


def describe_mismatch(ours: np.ndarray, ref: np.ndarray) -> str:
    if ours.shape != ref.shape or ours.dtype != ref.dtype:
        return f"shape/dtype {ours.shape} {ours.dtype} vs reference {ref.shape} {ref.dtype}"
    diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
    return (f"{int(np.count_nonzero(diff))} of {diff.size} elements differ, "
            f"max |diff| {diff.max():g} at {np.unravel_index(int(diff.argmax()), diff.shape)}")


def assert_bit_exact(model_path, seeds: Sequence[int] = (0, 1, 2), num_threads: int = 1) -> List[List[np.ndarray]]:
    """Runs the model on random inputs in both runtimes; every output must be equal.

    Returns the reference outputs (per input set) so callers can add checks.
    """
    input_sets = [random_inputs(model_path, seed=s) for s in seeds]
    refs = reference_outputs(model_path, input_sets)
    interp = pyruntime.Interpreter(model_path, num_threads=num_threads)
    for seed, inputs, ref in zip(seeds, input_sets, refs):
        ours = interp.run(list(inputs))
        ours = ours if isinstance(ours, list) else [ours]
        assert len(ours) == len(ref)
        for k, (o, r) in enumerate(zip(ours, ref)):
            assert o.dtype == r.dtype and o.shape == r.shape and np.array_equal(o, r), (
                f"{model_path}: output {k}, seed {seed}: {describe_mismatch(o, r)}"
            )
    return refs
