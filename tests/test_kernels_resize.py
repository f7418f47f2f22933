"""The int8 RESIZE_BILINEAR row kernels of each path against the portable
row loop (BilinearRowS8), bit for bit; whole resize ops against LiteRT's
reference kernels are in test_subgraphs_resize.py / test_real_models.py.

Cases: channel counts below, at and above the 8-lane vector (odd ones end
with an overlapping step), up- and down-sampling, every option (legacy,
align_corners, half_pixel_centers: negative weights at the borders),
batches, and extreme values (the largest sums).
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()


def _options(rng):
    return [(False, False), (True, False), (False, True)][int(rng.integers(0, 3))]


@pytest.mark.parametrize("isa", ISAS)
def test_resize_bilinear_rows_match_reference(isa):
    rng = np.random.default_rng(21)
    for case in range(200):
        batch = int(rng.integers(1, 3))
        h, w = (int(v) for v in rng.integers(1, 12, 2))
        oh, ow = (int(v) for v in rng.integers(1, 30, 2))
        c = int(rng.choice([1, 3, 7, 8, 9, 15, 16, 17, 24, 32, 33, 40]))
        if case % 5 == 0:  # extremes only: the largest sums
            x = rng.choice(np.array([-128, 127], np.int8), (batch, h, w, c))
        else:
            x = rng.integers(-128, 128, (batch, h, w, c), dtype=np.int8)
        align, half = _options(rng)
        ref = T.resize_bilinear_s8(x, oh, ow, align, half, "reference")
        ours = T.resize_bilinear_s8(x, oh, ow, align, half, isa)
        assert ours.shape == ref.shape == (batch, oh, ow, c)
        assert np.array_equal(ours, ref), (
            f"case {case} x{x.shape} -> {oh}x{ow} align={align} half={half}: "
            f"{np.count_nonzero(ours != ref)} differ")

