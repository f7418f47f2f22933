"""The hybrid row quantizers (per-row float -> int8 at run time) of every
path against the reference path bit for bit: levels, scale and zero point.
The reference loops are matched with LiteRT's builtin kernels by
tests/test_hybrid.py (test_quantizer_rounding_quirks, whole models); here
the SIMD scans and quantize loops (AVX2: 32 / 8 / 16 values a step, AVX-512: 16 /
32) meet rows of every length around their steps, .5 ties and 0.49999997
in every lane, NaN / inf, signed zeros and constant rows."""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()
BELOW_HALF = np.nextafter(np.float32(0.5), np.float32(0))


def rows():
    rng = np.random.default_rng(5)
    out = []
    for n in (1, 7, 8, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 1000, 4099):
        out.append(rng.standard_normal(n).astype(np.float32))
        # Step exactly 1 (peak 127 symmetric / span 255 asymmetric) and ties in every lane.
        ties = np.resize(np.array([0.5, 1.5, -2.5, BELOW_HALF, -BELOW_HALF, 3.0, 10.5, -0.0,
                                   BELOW_HALF + 1, 126.5, -127.5], np.float32), n)
        ties[0] = 127.0
        out.append(ties)
        pos = np.abs(ties)
        pos[0] = 255.0
        out.append(pos)
    nan = rng.standard_normal(40).astype(np.float32)
    nan[21] = np.nan
    inf = rng.standard_normal(40).astype(np.float32)
    inf[3] = np.inf
    for pos in (0, 9, 17, 26, 31, 35, 63, 69):  # a NaN in every vector of the 32-value scan step
        x = rng.standard_normal(70).astype(np.float32)
        x[pos] = np.nan
        out.append(x)
    out += [nan, inf, np.zeros(37, np.float32), np.full(33, -0.0, np.float32),
            np.full(50, 2.5, np.float32), np.full(50, -3.0, np.float32)]
    return out


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("symmetric", [True, False])
def test_quantizer_paths_give_the_reference_bits(isa, symmetric):
    for k, x in enumerate(rows()):
        with np.errstate(invalid="ignore"):
            q_ref, s_ref, zp_ref = T.hybrid_quantize_row(x, symmetric, "reference")
            q, s, zp = T.hybrid_quantize_row(x, symmetric, isa)
        what = f"{isa} row {k} (n={x.size}) symmetric={symmetric}"
        assert np.array_equal(q, q_ref), f"{what}: {np.count_nonzero(q != q_ref)} levels differ"
        assert np.float32(s).tobytes() == np.float32(s_ref).tobytes() and zp == zp_ref, what


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("symmetric", [True, False])
def test_int16_quantizer_gives_the_levels_minus_the_zero_point(isa, symmetric):
    """The int16 form pointwise convolutions quantize into (the GEMM's rows)."""
    for k, x in enumerate(rows()):
        with np.errstate(invalid="ignore"):
            q_ref, s_ref, zp_ref = T.hybrid_quantize_row(x, symmetric, "reference")
            q, s, zp = T.hybrid_quantize_row_s16(x, symmetric, isa)
        what = f"{isa} row {k} (n={x.size}) symmetric={symmetric}"
        assert q.dtype == np.int16 and np.array_equal(q, q_ref.astype(np.int16) - zp_ref), what
        assert np.float32(s).tobytes() == np.float32(s_ref).tobytes() and zp == zp_ref, what


def test_quantizer_ties_round_as_litert_x86():
    """First principles for one row: step 1, levels add 0.5 and truncate in
    the vector part (n // 8 * 8 values), std::round (half away) in the tail."""
    x = np.array([127.0, 0.5, -1.5, 2.5, BELOW_HALF, -BELOW_HALF, 3.0, 10.5,
                  0.5, -1.5, 2.5, BELOW_HALF], np.float32)
    want = np.array([127, 1, -2, 3, 1, -1, 3, 11, 1, -2, 3, 0], np.int8)
    for isa in ISAS:
        q, s, zp = T.hybrid_quantize_row(x, True, isa)
        assert np.array_equal(q, want) and s == np.float32(1.0) and zp == 0, isa
