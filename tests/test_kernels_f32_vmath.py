"""Float32 LOGISTIC, TANH, GELU, SOFTMAX and HARD_SWISH (kernels/f32_vmath/).

Each SIMD path evaluates polynomial approximations; it must give its scalar
twin's bits exactly (the same IEEE operations in the same order), and the
twin must stay within a few ulp of the exact function computed in float64.
The reference path is libm (the reference kernels' own formula); models
using these ops are checked end to end against the float oracle in
tests/test_real_models.py (ConvNeXt's GELU, EfficientNetV2's LOGISTIC).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from pyruntime import _testing as T

OPS = ["logistic", "swish", "tanh", "gelu", "gelu_tanh"]
ISAS = [i for i in T.available_isas() if i != "reference"]
SIMD_ISAS = [i for i in ISAS if T.f32_vmath_kernel(i) != "f32_vmath_reference"]
SIZES = [1, 7, 8, 9, 15, 16, 17, 1000, 100003]
CUTOFFS = [-9.0, 16.619047164916992188, -87.33, 88.3, 1.4142135, -1.4142135, 0.0, 0.625, -0.625]


def inputs(rng, n):
    """Normal and wide uniform draws, random bit patterns (every exponent,
    NaN payloads, infinities, subnormals), and the neighbours of every
    branch point of the approximations."""
    parts = [rng.standard_normal(n) * 4, rng.uniform(-40, 40, n),
             rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32).view(np.float32)]
    x = np.concatenate([p.astype(np.float32) for p in parts])
    edges = []
    for c in CUTOFFS:
        c = np.float32(c)
        edges += [c, np.nextafter(c, np.float32(-np.inf)), np.nextafter(c, np.float32(np.inf))]
    edges += [-0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 3e38, -3e38]
    x[: len(edges)] = np.array(edges, np.float32)[: n * 3]
    rng.shuffle(x)
    return x[:n]


def test_paths_name_their_vmath_kernels():
    assert T.f32_vmath_kernel("reference") == "f32_vmath_reference"
    if "avx2" in ISAS:
        assert T.f32_vmath_kernel("avx2") == "f32_vmath_avx2"
    if "avx512vnni" in ISAS:
        assert T.f32_vmath_kernel("avx512vnni") == "f32_vmath_avx512"


@pytest.mark.parametrize("isa", SIMD_ISAS)
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("n", SIZES)
def test_simd_is_its_scalar_twin(isa, op, n):
    x = inputs(np.random.default_rng(n * 3 + OPS.index(op)), n)
    ours, twin = T.f32_vmath(op, x, isa), T.f32_vmath(op, x, "twin")
    differ = np.flatnonzero(ours.view(np.uint32) != twin.view(np.uint32))
    assert differ.size == 0, (f"{isa} {op} n={n}: {differ.size} differ, first x={x[differ[0]]!r}: "
                              f"{ours[differ[0]]!r} vs twin {twin[differ[0]]!r}")


def exact(op, x64):
    if op in ("logistic", "swish"):  # the reference's cutoffs
        with np.errstate(over="ignore"):
            mid = 1.0 / (1.0 + np.exp(-x64))
        sig = np.where(x64 > 16.619047164916992188, 1.0, np.where(x64 < -9.0, np.exp(x64), mid))
        return sig if op == "logistic" else x64 * sig
    if op == "tanh":
        return np.tanh(x64)
    if op == "gelu":
        return np.array([0.5 * v * math.erfc(-v / math.sqrt(2.0)) for v in x64])
    return 0.5 * x64 * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x64 + 0.044715 * x64**3)))


# About 2x what the approximations reach (libm's float formulas reach about
# as much). LOGISTIC and swish (x * LOGISTIC): relative error, plus an
# absolute floor below float32's normal range. TANH: relative. GELU = x * cdf(x): the error of cdf is absolute (1.4e-7 at
# most; 0.5 +- 0.5 erf cancels near x = -1.4), so the bound scales with |x|.
def bound(op, x64, ref):
    if op == "tanh":  # 1.3 ulp reached; subnormal results exact up to their spacing
        return 2.5e-7 * np.abs(ref) + 1.5e-45
    if op in ("logistic", "swish"):
        return 3e-7 * np.abs(ref) + 1.2e-38 * np.maximum(1.0, np.abs(x64))
    return 2.5e-7 * np.abs(x64) + 1e-38


@pytest.mark.parametrize("op", OPS)
def test_twin_is_within_a_few_ulp_of_the_exact_function(op):
    rng = np.random.default_rng(7)
    x = np.concatenate([np.linspace(-30, 30, 300001), rng.standard_normal(100000) * 3,
                        -np.geomspace(1e-30, 90, 20000), np.geomspace(1e-30, 90, 20000)])
    x = x.astype(np.float32)
    ours = T.f32_vmath(op, x, "twin").astype(np.float64)
    ref = exact(op, x.astype(np.float64))
    err = np.abs(ours - ref)
    bad = np.flatnonzero(err > bound(op, x.astype(np.float64), ref))
    assert bad.size == 0, (f"{op}: {bad.size} values off, worst x={x[bad[np.argmax(err[bad])]]!r}: "
                           f"{ours[bad].max()!r}")


@pytest.mark.parametrize("isa", ["reference"] + ISAS)
@pytest.mark.parametrize("op", OPS)
def test_nan_stays_nan_and_infinities_saturate(isa, op):
    x = np.array([np.nan, -np.nan, np.inf, 0.0, -0.0, -np.inf] * 3, np.float32)
    y = T.f32_vmath(op, x, isa)
    assert np.isnan(y[np.isnan(x)]).all(), f"{isa} {op}: {y}"
    expect_inf = 1.0 if op in ("logistic", "tanh") else np.inf
    assert (y[x == np.inf] == expect_inf).all(), f"{isa} {op}: {y}"
    expect_zero = 0.5 if op == "logistic" else 0.0
    assert (y[x == 0] == expect_zero).all(), f"{isa} {op}: {y}"
    if op == "tanh":  # odd: -inf gives -1, -0 keeps its sign
        assert (y[x == -np.inf] == -1.0).all() and np.signbit(y[np.signbit(x) & (x == 0)]).all(), y


@pytest.mark.parametrize("isa", SIMD_ISAS)
@pytest.mark.parametrize("n", SIZES)
def test_hard_swish_simd_is_the_reference_kernel(isa, n):
    """No approximation here: the reference's operations, bit for bit."""
    x = inputs(np.random.default_rng(n), n)
    ours, ref = T.f32_vmath("hard_swish", x, isa), T.f32_vmath("hard_swish", x, "reference")
    differ = np.flatnonzero(ours.view(np.uint32) != ref.view(np.uint32))
    assert differ.size == 0, (f"{isa} n={n}: {differ.size} differ, first x={x[differ[0]]!r}: "
                              f"{ours[differ[0]]!r} vs {ref[differ[0]]!r}")


def test_hard_swish_reference_is_the_reference_formula():
    """x * min(6, max(0, x + 3)) / 6 in float32 operations (TFLite's
    reference HardSwish), NaN wherever x is NaN or -inf (-inf * 0)."""
    x = np.concatenate([inputs(np.random.default_rng(5), 100003),
                        np.array([-3.0, -2.9999998, 3.0, 2.9999998, -np.inf, np.inf], np.float32)])
    ours = T.f32_vmath("hard_swish", x, "reference")
    with np.errstate(invalid="ignore", over="ignore"):
        expect = x * np.minimum(np.float32(6), np.maximum(np.float32(0), x + np.float32(3))) / np.float32(6)
    nan = np.isnan(expect)
    assert np.array_equal(np.isnan(ours), nan)
    assert np.array_equal(ours[~nan].view(np.uint32), expect[~nan].view(np.uint32))


SOFTMAX_SHAPES = [(1, 1), (3, 7), (2, 8), (5, 9), (4, 16), (3, 33), (64, 64), (2, 1000), (1, 1001)]


def softmax64(x, beta):
    x64 = x.astype(np.float64)
    e = np.exp((x64 - x64.max(axis=1, keepdims=True)) * beta)
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("isa", SIMD_ISAS)
@pytest.mark.parametrize("shape", SOFTMAX_SHAPES)
def test_softmax_simd_is_its_scalar_twin(isa, shape):
    rng = np.random.default_rng(shape[0] * 1000 + shape[1])
    x = (rng.standard_normal(shape) * 6).astype(np.float32)
    x.reshape(-1)[rng.integers(0, x.size, size=max(1, x.size // 9))] = -np.inf  # masked logits
    for beta in (1.0, 0.125, 2.5):
        ours, twin = T.softmax_f32(x, beta, isa), T.softmax_f32(x, beta, "twin")
        assert np.array_equal(ours.view(np.uint32), twin.view(np.uint32)), f"{isa} {shape} beta={beta}"


@pytest.mark.parametrize("isa", ["reference", "twin"] + ISAS)
@pytest.mark.parametrize("shape", SOFTMAX_SHAPES)
def test_softmax_is_within_a_few_ulp(isa, shape):
    rng = np.random.default_rng(shape[1])
    x = (rng.standard_normal(shape) * 6).astype(np.float32)
    ours, ref = T.softmax_f32(x, 0.5, isa).astype(np.float64), softmax64(x, 0.5)
    # Per output: exp's few ulp plus the sum's rounding, which grows with the
    # depth (random-walk: ~sqrt(depth) ulp; the reference's sequential sum
    # reached 2e-6 at depth 1000).
    bound = (4e-7 + 1e-7 * np.sqrt(shape[1])) * ref + 1e-38
    assert (np.abs(ours - ref) <= bound).all(), f"{isa} {shape}: max rel {np.max(np.abs(ours - ref) / ref)}"


@pytest.mark.parametrize("isa", ["reference", "twin"] + ISAS)
def test_softmax_nan_or_infinite_logit_makes_the_row_nan_as_in_the_reference(isa):
    x = np.array([[1.0, np.nan, 2.0] + [0.5] * 9, [np.inf, 1.0, 2.0] + [0.5] * 9,
                  [1.0, 2.0, 3.0] + [0.5] * 9], np.float32)
    y = T.softmax_f32(x, 1.0, isa)
    assert np.isnan(y[:2]).all() and np.isfinite(y[2]).all(), f"{isa}: {y}"
