"""Hybrid DEPTHWISE_CONV_2D kernels of every path, bit for bit against first
principles (the rounding LiteRT's x86 optimized kernel uses, see
csrc/kernels/depthwise_hybrid_kernel.h):

    acc[c] = sum over taps inside the image of w[c] * (q - zp)  (int32)
    y[c]   = (float(acc) * scale[c]) * s_in   for c < out_c // 4 * 4
             (float(acc) * s_in) * scale[c]   for the last out_c % 4 channels
    out[c] = min(max(y[c] + bias[c], lo), hi)

The avx512vnni path sums w * q with padding taps reading the zero point and
subtracts zp * sum(w) afterwards; a depth multiplier M > 1 runs on the input
with each channel repeated M times. Every path must give the same bits for
any zero point, channel tails, borders, dilation, batches and 1-7 threads.
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()


def out_size(n, f, s, d, p):
    return max((n + 2 * p - (f - 1) * d - 1) // s + 1, 1)


def expected(q, zp, s_in, f, fscale, bias, lo, hi, stride, dil, pad, out_hw):
    b, h, w, c = q.shape
    _, fh, fw, oc = f.shape
    mult = oc // c
    oh, ow = out_hw
    acc = np.zeros((b, oh, ow, oc), np.int64)
    for fy in range(fh):
        for fx in range(fw):
            iy = np.arange(oh) * stride[0] - pad[0] + fy * dil[0]
            ix = np.arange(ow) * stride[1] - pad[1] + fx * dil[1]
            vy, vx = (iy >= 0) & (iy < h), (ix >= 0) & (ix < w)
            x = q[:, np.clip(iy, 0, h - 1)][:, :, np.clip(ix, 0, w - 1)].astype(np.int64)
            x = x - zp[:, None, None, None]
            x = np.repeat(x, mult, axis=3) * (vy[None, :, None, None] & vx[None, None, :, None])
            acc += x * f[0, fy, fx].astype(np.int64)
    a = acc.astype(np.int32).astype(np.float32)
    s = s_in[:, None, None, None]
    vc = oc // 4 * 4
    y = np.empty_like(a)
    y[..., :vc] = (a[..., :vc] * fscale[:vc]) * s
    y[..., vc:] = (a[..., vc:] * s) * fscale[vc:]
    return np.minimum(np.maximum(y + bias, np.float32(lo)), np.float32(hi))


CASES = [  # (B, H, W, C, mult, FH, FW, stride, dilation, pad)
    (1, 12, 12, 32, 1, 3, 3, (1, 1), (1, 1), (1, 1)),
    (1, 13, 11, 96, 1, 3, 3, (2, 2), (1, 1), (1, 1)),     # stride 2, odd size
    (1, 7, 7, 144, 1, 3, 3, (1, 1), (1, 1), (1, 1)),      # 4 groups + 16 channels
    (2, 6, 9, 5, 1, 3, 3, (1, 1), (1, 1), (1, 1)),        # tail only, 2 images
    (3, 9, 9, 83, 1, 5, 5, (1, 2), (2, 1), (4, 2)),       # 25 taps, dilation, tails
    (1, 8, 8, 130, 1, 3, 3, (1, 1), (2, 2), (2, 2)),      # 130 channels (% 4 == 2)
    (1, 5, 5, 8, 3, 3, 3, (1, 1), (1, 1), (1, 1)),        # multiplier 3 (input expanded)
    (2, 8, 7, 130, 2, 3, 3, (2, 2), (1, 1), (1, 1)),      # multiplier 2, 260 channels, stride 2
    (2, 20, 20, 5, 4, 3, 3, (1, 1), (2, 2), (2, 2)),      # multiplier 4, 800 pixels in slices
    (1, 6, 6, 3, 7, 5, 5, (1, 1), (1, 1), (2, 2)),        # multiplier 7, 21 channels (tails)
    (1, 6, 7, 33, 1, 2, 3, (1, 1), (1, 1), (0, 1)),       # 6 taps, 33 channels
    (1, 9, 17, 24, 1, 9, 9, (1, 1), (1, 1), (4, 4)),      # 81 taps (portable body)
    (2, 1, 1, 1283, 1, 1, 1, (1, 1), (1, 1), (0, 0)),     # one tap
    (1, 4, 4, 17, 1, 7, 7, (1, 1), (1, 1), (3, 3)),       # filter over the whole image
    (2, 10, 10, 16, 1, 3, 3, (2, 2), (1, 1), (0, 1)),     # one whole avx2 group, stride 2
    (1, 6, 6, 31, 1, 3, 3, (1, 1), (1, 1), (1, 1)),       # 16 + 15 channels (% 4 == 3)
    (1, 7, 5, 50, 1, 1, 3, (1, 1), (3, 1), (0, 1)),       # 3 taps (odd pair), 50 channels
    (1, 11, 11, 7, 1, 8, 8, (1, 1), (1, 1), (3, 4)),      # 64 taps, the kernels' limit
]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", CASES)
def test_depthwise_hybrid_bit_exact(isa, case):
    b, h, w, c, mult, fh, fw, stride, dil, pad = case
    rng = np.random.default_rng(abs(hash(case)) % 2**32)
    q = rng.integers(-128, 128, size=(b, h, w, c), dtype=np.int8)
    zp = rng.integers(-128, 128, size=b).astype(np.int32)
    zp[0] = -128 if b > 1 else 37
    if b > 1:
        zp[1] = 127
    s_in = (rng.random(b) * 0.05 + 1e-3).astype(np.float32)
    f = rng.integers(-127, 128, size=(1, fh, fw, c * mult), dtype=np.int8)
    fscale = (rng.random(c * mult) * 0.02 + 1e-4).astype(np.float32)
    bias = rng.standard_normal(c * mult).astype(np.float32)
    out_hw = (out_size(h, fh, stride[0], dil[0], pad[0]), out_size(w, fw, stride[1], dil[1], pad[1]))
    for lo, hi in [(-np.inf, np.inf), (0.0, 6.0)]:
        want = expected(q, zp, s_in, f, fscale, bias, lo, hi, stride, dil, pad, out_hw)
        for threads in (1, 2, 7):
            got = T.depthwise_hybrid(q, zp, s_in, f, fscale, bias, lo, hi, stride, dil, pad, out_hw,
                                     isa, num_threads=threads)
            bad = got.view(np.uint32) != want.view(np.uint32)
            assert got.shape == want.shape and not bad.any(), (
                f"{isa} {case} [{lo}, {hi}] {threads}t: {np.count_nonzero(bad)} of {got.size} differ, "
                f"first at {np.argwhere(bad)[0].tolist()}")
