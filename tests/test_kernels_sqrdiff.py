"""SIMD SQUARED_DIFFERENCE int8 rows (csrc/kernels/sqrdiff_s8_kernel.h) against
the reference path (the per-element reference function), bit for bit: shapes
same-size, broadcast either way and scalar, lengths around the 8- and
16-lane steps, random parameters with the extremes (zero points -128 / 127,
input rescalings near 1/2 and tiny, output shifts 0 and -31)."""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

SIMD_ISAS = [i for i in T.available_isas() if i != "reference"]

SHAPE_PAIRS = [
    ((1,), (1,)), ((7,), (7,)), ((8,), (8,)), ((9,), (9,)), ((15,), (15,)), ((16,), (16,)),
    ((17,), (17,)), ((33,), (1,)), ((1,), (31,)), ((1, 64, 32), (1, 64, 1)), ((1, 5, 7, 24), (1, 1, 1, 24)),
    ((1, 1, 1, 40), (1, 9, 3, 40)), ((3, 1, 17), (1, 4, 1)), ((2, 1, 3, 1, 5, 3), (1, 4, 1, 2, 1, 3)),
    ((4099,), (4099,)),
]


def params(rng, extreme):
    zp = [int(rng.choice([-128, 127, 0])) if extreme else int(rng.integers(-128, 128)) for _ in range(3)]

    def mult():
        return int(rng.choice([2**30, 2**31 - 1])) if extreme and rng.random() < 0.5 else int(rng.integers(2**30, 2**31))

    return dict(input1_offset=-zp[0], input2_offset=-zp[1], output_offset=zp[2],
                input1_multiplier=mult(), input1_shift=int(rng.choice([-1, -2, -31]) if extreme else rng.integers(-6, 0)),
                input2_multiplier=mult(), input2_shift=int(rng.choice([-1, -3, -31]) if extreme else rng.integers(-6, 0)),
                output_multiplier=mult(), output_shift=int(rng.choice([0, -31, -1]) if extreme else rng.integers(-20, 1)))


@pytest.mark.skipif(not SIMD_ISAS, reason="no SIMD path on this CPU")
@pytest.mark.parametrize("isa", SIMD_ISAS)
@pytest.mark.parametrize("extreme", [False, True])
def test_simd_rows_match_reference(isa, extreme):
    rng = np.random.default_rng(13 + extreme)
    for sa, sb in SHAPE_PAIRS:
        for _ in range(4):
            p = params(rng, extreme)
            a = rng.integers(-128, 128, sa).astype(np.int8)
            b = rng.integers(-128, 128, sb).astype(np.int8)
            want = T.squared_difference_s8(a, b, p, "reference")
            got = T.squared_difference_s8(a, b, p, isa)
            np.testing.assert_array_equal(got, want, err_msg=f"{isa} {sa} {sb} {p}")


def test_reference_path_matches_first_principles():
    """The reference path is the op's arithmetic written out in Python."""
    def srdhm(x, m):  # gemmlowp: (ab + nudge) / 2^31, C division (truncating)
        v = x * m + ((1 << 30) if x * m >= 0 else 1 - (1 << 30))
        return v // 2**31 if v >= 0 else -((-v) // 2**31)

    def rdbpot(x, e):
        mask = (1 << e) - 1
        rem, thr = x & mask, (mask >> 1) + (1 if x < 0 else 0)
        return (x >> e) + (1 if rem > thr else 0)

    rng = np.random.default_rng(5)
    for _ in range(20):
        p = params(rng, False)
        a = rng.integers(-128, 128, 64).astype(np.int8)
        b = rng.integers(-128, 128, 64).astype(np.int8)
        got = T.squared_difference_s8(a, b, p, "reference")
        for x, y, g in zip(a, b, got):
            sx = rdbpot(srdhm((int(x) + p["input1_offset"]) << 7, p["input1_multiplier"]), -p["input1_shift"])
            sy = rdbpot(srdhm((int(y) + p["input2_offset"]) << 7, p["input2_multiplier"]), -p["input2_shift"])
            d = sx - sy
            o = rdbpot(srdhm(d * d, p["output_multiplier"]), -p["output_shift"]) + p["output_offset"]
            assert g == min(127, max(-128, o))
