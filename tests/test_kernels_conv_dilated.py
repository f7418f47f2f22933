"""Dilated stride-1 int8 convolutions on the GEMM paths (ConvS8Kernel's phase
images, kernels/conv_s8_phases.cc) against the reference, bit for bit: the
padded input split into dilation_h x dilation_w phase images, each run as a
batch image of the undilated filter (VALID), outputs interleaved back.
Dilations 2-7 in either direction (the other 1 or not), maps smaller than a
dilation, phases of unequal sizes (outputs dropped, padding read), padding
wider than the filter span, asymmetric padding (one output less), several
images, extreme zero points and requantization, 1-11 threads, on every GEMM
path (avx2, avxvnni, avx512vnni natively; amx on the tile model)."""

from __future__ import annotations

import numpy as np
import pytest

from test_kernels_conv_segmented import _check_random_cases, _conv, _operands
from test_kernels_gemm import GEMM_ISAS, assert_same, needs_simd


def _dilated_case(rng, case):
    fh, fw = (int(v) for v in rng.integers(1, 4, 2))
    dh, dw = int(rng.integers(1, 8)), int(rng.integers(1, 8))
    if dh == dw == 1:
        dh = 2
    c = int(rng.choice([3, 8, 17, 32, 64]))
    o = int(rng.choice([1, 16, 33, 64]))
    h, w = (int(v) for v in rng.integers(1, 40, 2))
    pad = (int(rng.integers(0, (fh - 1) * dh + 3)), int(rng.integers(0, (fw - 1) * dw + 3)))
    oh = h + 2 * pad[0] - (fh - 1) * dh
    ow = w + 2 * pad[1] - (fw - 1) * dw
    if rng.random() < 0.3:
        oh, ow = oh - 1, ow - 1
    x, f, bias, mult, shift, zi, zo = _operands(rng, (1 + case % 2, h, w, c), (o, fh, fw, c),
                                                largest=case % 9 == 4, extreme=case % 4 == 0)
    lo, hi = (-128, 127) if rng.random() < 0.7 else (int(zo), 127)
    return (x, f, bias, mult, shift, zi, zo, lo, hi, (1, 1), (dh, dw), pad, (oh, ow))


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_dilated_conv_phases_random_geometries(isa):
    _check_random_cases(isa, _dilated_case, 17, 120)


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_dilated_conv_atrous_block(isa):
    """A DeepLab-style layer: 65x65x64, 3x3, dilation 2 and 4, SAME."""
    rng = np.random.default_rng(3)
    for d in (2, 4):
        x, f, bias, mult, shift, zi, zo = _operands(rng, (1, 65, 65, 64), (64, 3, 3, 64),
                                                    largest=False, extreme=False)
        args = (x, f, bias, mult, shift, zi, zo, -128, 127, (1, 1), (d, d), (d, d), (65, 65))
        ref = _conv(*args, "reference", 1)
        for threads in (1, 2):
            assert_same(_conv(*args, isa, threads), ref, f"dilation {d}, {threads} threads")
