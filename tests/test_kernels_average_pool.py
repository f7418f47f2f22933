"""int8 AVERAGE_POOL_2D kernels (csrc/kernels/pool_s8/) on every path against a
numpy model of the reference (clipped windows, sum, truncating division of
sum +- count / 2, clamp), bit for bit: channel counts around the 8/16-lane
steps, SAME-style padding, strides, large windows (exact-division corners),
all-extreme inputs and activation clamps."""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()


def expected(x, fh, fw, sh, sw, pt, pl, oh, ow, lo, hi):
    b, h, w, c = x.shape
    out = np.zeros((b, oh, ow, c), np.int64)
    for oy in range(oh):
        y0, y1 = max(oy * sh - pt, 0), min(oy * sh - pt + fh, h)
        for ox in range(ow):
            x0, x1 = max(ox * sw - pl, 0), min(ox * sw - pl + fw, w)
            s = x[:, y0:y1, x0:x1, :].astype(np.int64).sum(axis=(1, 2))
            n = (y1 - y0) * (x1 - x0)
            q = (np.abs(s) + n // 2) // n  # C: (s +- n/2) / n truncates toward zero
            out[:, oy, ox, :] = np.where(s < 0, -q, q)
    return np.clip(out, lo, hi).astype(np.int8)


CASES = [  # (shape, filter, stride, pad, out)
    ((1, 35, 35, 7), (3, 3), (1, 1), (1, 1), (35, 35)),
    ((1, 9, 9, 16), (3, 3), (1, 1), (1, 1), (9, 9)),
    ((2, 8, 9, 17), (3, 3), (2, 2), (0, 0), (3, 4)),
    ((1, 7, 7, 33), (7, 7), (1, 1), (0, 0), (1, 1)),
    ((1, 12, 10, 64), (2, 2), (2, 2), (0, 0), (6, 5)),
    ((1, 5, 6, 8), (5, 4), (1, 2), (2, 1), (5, 3)),
    ((1, 300, 1, 9), (300, 1), (1, 1), (0, 0), (1, 1)),   # 300-cell window: divisions by 300
    ((1, 4, 4, 1), (3, 3), (1, 1), (1, 1), (4, 4)),
]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_average_pool_matches_numpy(isa, case):
    shape, (fh, fw), (sh, sw), (pt, pl), (oh, ow) = CASES[case]
    rng = np.random.default_rng(case)
    for x in (rng.integers(-128, 128, shape), np.full(shape, -128), np.full(shape, 127),
              rng.choice([-128, 127], shape)):
        x = x.astype(np.int8)
        for lo, hi in ((-128, 127), (-20, 90), (0, 127)):
            got = T.average_pool_s8(x, fh, fw, sh, sw, pt, pl, oh, ow, lo, hi, isa)
            np.testing.assert_array_equal(got, expected(x, fh, fw, sh, sw, pt, pl, oh, ow, lo, hi),
                                          err_msg=f"{isa} case {case} clamp {lo},{hi}")


@pytest.mark.parametrize("isa", ISAS)
def test_every_remainder_of_the_division(isa):
    """Sums hitting every residue around multiples of the count (rounding ties)."""
    for cells in (2, 3, 4, 6, 9, 25, 49):
        x = np.zeros((1, cells, 1, 256), np.int8)
        totals = np.arange(-128 * cells, 127 * cells + 1)[:: max(1, cells // 2)][:256]
        for c, t in enumerate(totals):
            base, extra = divmod(int(t), cells)
            x[0, :, 0, c] = base
            x[0, :extra, 0, c] += 1
        got = T.average_pool_s8(x, cells, 1, 1, 1, 0, 0, 1, 1, -128, 127, isa)
        np.testing.assert_array_equal(got, expected(x, cells, 1, 1, 1, 0, 0, 1, 1, -128, 127), err_msg=f"{isa} {cells}")


# -- MAX_POOL_2D ---------------------------------------------------------------

def expected_max(x, fh, fw, sh, sw, pt, pl, oh, ow, lo, hi):
    b, h, w, c = x.shape
    out = np.full((b, oh, ow, c), -128, np.int64)  # an empty window keeps -128
    for oy in range(oh):
        y0, y1 = max(oy * sh - pt, 0), min(oy * sh - pt + fh, h)
        for ox in range(ow):
            x0, x1 = max(ox * sw - pl, 0), min(ox * sw - pl + fw, w)
            if y1 > y0 and x1 > x0:
                out[:, oy, ox, :] = x[:, y0:y1, x0:x1, :].astype(np.int64).max(axis=(1, 2))
    return np.clip(out, lo, hi).astype(np.int8)


@pytest.mark.parametrize("isa", ISAS)
def test_max_pool_matches_numpy(isa):
    """Channel counts around the 32/16/8-lane steps (odd ones end with an
    overlapping 8-lane step), strides, padding, windows partly or wholly
    outside the image, clamps."""
    rng = np.random.default_rng(11)
    for case in range(120):
        b = int(rng.integers(1, 3))
        h, w = (int(v) for v in rng.integers(1, 12, 2))
        c = int(rng.choice([1, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 64, 71]))
        fh, fw = (int(v) for v in rng.integers(1, 5, 2))
        sh, sw = (int(v) for v in rng.integers(1, 4, 2))
        pt, pl = (int(v) for v in rng.integers(0, 4, 2))
        oh, ow = (int(v) for v in rng.integers(1, 10, 2))
        x = (rng.integers(-128, 128, (b, h, w, c)) if case % 4 else rng.choice([-128, 127], (b, h, w, c))).astype(np.int8)
        lo, hi = [(-128, 127), (-20, 90), (0, 127)][case % 3]
        got = T.max_pool_s8(x, fh, fw, sh, sw, pt, pl, oh, ow, lo, hi, isa)
        np.testing.assert_array_equal(got, expected_max(x, fh, fw, sh, sw, pt, pl, oh, ow, lo, hi),
                                      err_msg=f"{isa} case {case} x{x.shape} f{fh}x{fw} s{sh}x{sw} p{pt},{pl}")
