"""Float MEAN / SUM over the innermost axis: eight interleaved partial sums
(kernels/reference/elementwise_f32.cc), so the order differs from a running
sum. Every output must lie within the bound of a float32 sum of n terms in
any order (Higham 4.2: gamma_(n-1) * sum |x|, plus the division's half ulp)
of the float64 value, on row lengths below, at and around the 8 sums, and
infinities and NaN must come out as a sum in any order gives them.
"""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime
from shape_models import Graph

U = 2.0 ** -24


def reduce_model(op, shape, keep_dims):
    g = Graph()
    x = g.tensor(shape, np.float32, graph_input=True)
    axis = g.tensor((1,), np.int32, data=np.array([len(shape) - 1], np.int32))
    out_shape = shape[:-1] + ((1,) if keep_dims else ())
    y = g.tensor(out_shape, np.float32)
    g.op(op, [x, axis], [y], keepDims=keep_dims)
    return g.save([y])


def first(outputs):
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


@pytest.mark.parametrize("op", ["MEAN", "SUM"])
@pytest.mark.parametrize("n", [1, 7, 8, 9, 16, 32, 37, 130])
def test_innermost_sum_within_the_float_bound(op, n):
    shape = (3, 5, n)
    interp = pyruntime.Interpreter(str(reduce_model(op, shape, keep_dims=n % 2 == 0)))
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(shape) * np.exp(rng.uniform(-3, 3, shape))).astype(np.float32)
    x[0, 0] = np.float32(1e8) * np.sign(rng.standard_normal(n))  # large terms cancelling
    ours = first(interp.run(x)).reshape(shape[:-1]).astype(np.float64)
    divisor = n if op == "MEAN" else 1
    exact = x.astype(np.float64).sum(axis=-1) / divisor
    gamma = max(n - 1, 1) * U / (1 - n * U)
    bound = gamma * np.abs(x).astype(np.float64).sum(axis=-1) / divisor + U * np.abs(exact)
    assert (np.abs(ours - exact) <= bound).all(), np.max(np.abs(ours - exact) - bound)


def test_innermost_mean_keeps_infinities_and_nan():
    n = 37
    interp = pyruntime.Interpreter(str(reduce_model("MEAN", (4, n), keep_dims=False)))
    x = np.ones((4, n), np.float32)
    x[0, 30] = np.inf                       # in the tail after the 8-value steps
    x[1, 3], x[1, 20] = np.inf, -np.inf     # in different partial sums
    x[2, 11] = np.nan
    ours = first(interp.run(x))
    assert ours[0] == np.inf and np.isnan(ours[1]) and np.isnan(ours[2]) and ours[3] == 1.0
