"""The tabulated int8 SOFTMAX kernel against the reference kernel, bit for bit,
on every kernel path (the portable loop and the AVX2 / AVX-512 gather twins).

The op runs SoftmaxS8Tabulated (the fixed-point exp of every int8 difference
computed once at Prepare); the reference SoftmaxS8 computes it per element as
TFLite's reference does (and is itself checked against LiteRT's BUILTIN_REF by
the op and model tests, e.g. test_ops_activations.py and the transformer
encoder of test_real_models.py, which now run the tabulated kernel). Scales
sweep the whole multiplier / shift range the op accepts, including diff_min
cut-offs inside [-255, 0], rows whose sum wraps int32 (depth >= 4096) and
constant rows.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()


def op_params(beta_times_scale):
    """(multiplier, left_shift, diff_min) as the SOFTMAX op's Prepare derives them."""
    real = min(beta_times_scale * 2.0 ** 26, 2.0 ** 31 - 1)
    frac, shift = math.frexp(real)
    mult = round(frac * 2 ** 31)
    if mult == 2 ** 31:
        mult //= 2
        shift += 1
    radius = math.floor(31 * 2.0 ** 26 / 2.0 ** shift)
    return mult, shift, -radius


SCALES = [1e-7, 3.1e-6, 1 / 256, 0.02, 0.0625, 0.1, 0.37, 1.0, 2.5, 16.0, 31.0]


def inputs(rng):
    yield rng.integers(-128, 128, (7, 64), dtype=np.int8)
    yield rng.integers(-128, 128, (3, 1, 5), dtype=np.int8)
    yield rng.integers(-10, 10, (4, 129), dtype=np.int8)          # close values: many exps near 1
    yield np.full((2, 33), -128, np.int8)
    yield np.full((2, 33), 127, np.int8)
    x = np.full((1, 16), -128, np.int8)
    x[0, 3] = 127                                                  # difference -255
    yield x
    yield rng.integers(-128, 128, (1, 1), dtype=np.int8)
    yield np.full((2, 4100), 5, np.int8)                           # the Q12 sum wraps int32
    yield rng.integers(120, 128, (1, 6000), dtype=np.int8)
    for depth in (7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65):      # around the 8/16/32-lane steps
        yield rng.integers(-128, 128, (3, depth), dtype=np.int8)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("scale", SCALES)
def test_tabulated_softmax_equals_reference(scale, isa):
    mult, shift, diff_min = op_params(scale)
    assert 2 ** 30 <= mult < 2 ** 31 and 0 <= shift <= 31
    rng = np.random.default_rng(int(scale * 1e6) + 1)
    for x in inputs(rng):
        ref = T.softmax_s8(x, mult, shift, diff_min, tabulated=False)
        ours = T.softmax_s8(x, mult, shift, diff_min, tabulated=True, isa=isa)
        assert np.array_equal(ours, ref), (
            f"{isa}: scale {scale} shape {x.shape}: {np.count_nonzero(ours != ref)} differ, "
            f"first at {np.argwhere(ours != ref)[:1].tolist()}")


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("diff_min", [0, -1, -17, -128, -254, -255, -256])
def test_tabulated_softmax_cutoffs(diff_min, isa):
    """Differences below diff_min are skipped by the reference; the table's zeros match that."""
    rng = np.random.default_rng(-diff_min)
    mult, shift, _ = op_params(0.05)
    for x in inputs(rng):
        ref = T.softmax_s8(x, mult, shift, diff_min, tabulated=False)
        assert np.array_equal(T.softmax_s8(x, mult, shift, diff_min, tabulated=True, isa=isa), ref), isa


def test_softmax_reference_sanity():
    """First principles: a uniform row gives 1/depth in Q(1/256), a dominant element ~1."""
    mult, shift, diff_min = op_params(0.1)
    out = T.softmax_s8(np.zeros((1, 4), np.int8), mult, shift, diff_min, tabulated=True)
    assert (out.astype(int) + 128 == 64).all()
    x = np.full((1, 8), -128, np.int8)
    x[0, 2] = 127
    out = T.softmax_s8(x, mult, shift, diff_min, tabulated=True).astype(int) + 128
    assert out[0, 2] >= 255 and (np.delete(out[0], 2) == 0).all()
