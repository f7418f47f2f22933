"""SIMD elementwise int8 kernels (ADD/SUB/MUL rows, and the int16 ones of 16x8
models) against the reference, bit for bit.

Random shapes (same-shape, broadcast either way, scalars, odd lengths around
the 16-element step, sizes large enough to split over threads) and random
requantization parameters including the extremes (zero points -128 / 127,
multipliers 0 / 2^30 / 2^31-1, shifts at both ends of their range).
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _core, _testing

T = _testing
ISAS = T.available_isas()
SIMD_ISAS = [i for i in ISAS if i != "reference"]
needs_simd = pytest.mark.skipif(not SIMD_ISAS, reason="no SIMD path on this CPU")

SHAPE_PAIRS = [
    ((1,), (1,)), ((7,), (7,)), ((15,), (15,)), ((16,), (16,)), ((17,), (17,)), ((33,), (1,)),
    ((1,), (31,)), ((2, 3, 5, 19), (2, 3, 5, 19)), ((1, 5, 7, 24), (1, 1, 1, 24)),
    ((1, 1, 1, 40), (1, 9, 3, 40)), ((3, 1, 17), (1, 4, 1)), ((1, 6, 6, 1), (1, 1, 1, 13)),
    ((2, 1, 3, 1, 5, 3), (1, 4, 1, 2, 1, 3)), ((40000,), (40000,)), ((1, 29, 29, 64), (1, 1, 1, 64)),
    ((1, 1, 1, 70), (1, 25, 25, 70)), ((50001,), (1,)),
]


def offsets(rng, extreme):
    # offset = -zero_point with zero points in [-128, 127]
    if extreme:
        return [int(rng.choice([-127, 128, 0])) for _ in range(3)]
    return [int(v) for v in rng.integers(-127, 129, 3)]


def multiplier(rng, extreme):
    if extreme and rng.random() < 0.5:
        return int(rng.choice([0, 2**30, 2**31 - 1]))
    return int(rng.integers(2**30, 2**31))


def act_range(rng):
    lo, hi = sorted(int(v) for v in rng.integers(-128, 128, 2))
    return rng.choice([(-128, 127), (lo, hi), (-128, 0), (0, 127)])


def add_params(rng, extreme):
    o1, o2, oo = offsets(rng, extreme)
    lo, hi = act_range(rng)
    shifts = rng.integers(-31 if extreme else -4, 1, 3)
    return dict(input1_offset=o1, input2_offset=o2, output_offset=-oo,
                input1_multiplier=multiplier(rng, extreme), input1_shift=int(shifts[0]),
                input2_multiplier=multiplier(rng, extreme), input2_shift=int(shifts[1]),
                output_multiplier=multiplier(rng, extreme), output_shift=int(shifts[2]) - 20 * (not extreme),
                act_min=int(lo), act_max=int(hi))


def mul_params(rng, extreme):
    o1, o2, oo = offsets(rng, extreme)
    lo, hi = act_range(rng)
    shift = int(rng.integers(-31, 32)) if extreme else int(rng.integers(-16, 1))
    return dict(input1_offset=o1, input2_offset=o2, output_offset=-oo,
                output_multiplier=multiplier(rng, extreme), output_shift=shift,
                act_min=int(lo), act_max=int(hi))


def data(rng, shape, extreme):
    if extreme and rng.random() < 0.5:
        return rng.choice(np.array([-128, 127], np.int8), shape)
    return rng.integers(-128, 128, shape, dtype=np.int8)


@needs_simd
@pytest.mark.parametrize("add_tables", [True, False])
@pytest.mark.parametrize("op", ["add", "sub", "mul"])
@pytest.mark.parametrize("isa", SIMD_ISAS)
def test_binary_rows_match_reference(op, isa, add_tables):
    """add_tables: ADD/SUB rows that look each input's rescaling up (AVX-512
    VBMI CPUs) or compute it (every other CPU, and here when False)."""
    rng = np.random.default_rng({"add": 1, "sub": 2, "mul": 3}[op])
    make = mul_params if op == "mul" else add_params
    for trial in range(6):
        extreme = trial % 2 == 1
        for sa, sb in SHAPE_PAIRS:
            if rng.random() < 0.5:
                sa, sb = sb, sa
            a, b = data(rng, sa, extreme), data(rng, sb, extreme)
            p = make(rng, extreme)
            ref = T.binary_s8(op, a, b, p, "reference")
            assert ref.shape == np.broadcast_shapes(sa, sb)
            for threads in (1, 2, 3):
                ours = T.binary_s8(op, a, b, p, isa, num_threads=threads, add_tables=add_tables)
                assert np.array_equal(ours, ref), (
                    f"{op} {isa} tables={add_tables} {sa}x{sb} thr={threads} {p}: "
                    f"{np.count_nonzero(ours != ref)} of {ref.size} differ")


def test_every_simd_path_has_its_int8_kernels():
    """The twin tests compare something: each SIMD path (x86 and Arm) has its
    own depthwise, ADD/SUB/MUL and MEAN row kernels; the reference has none."""
    assert T.int8_simd_families("reference") == []
    for isa in SIMD_ISAS:
        assert T.int8_simd_families(isa) == ["depthwise_conv_s8", "binary_s8", "reduce_rows_s8"], isa


@pytest.mark.parametrize("op", ["add", "mul"])
def test_reference_rows_follow_the_formula(op):
    """The reference rows against a direct numpy evaluation of the spec's formulas."""
    rng = np.random.default_rng(7)

    def srdhm(a, b):  # (a*b + nudge) / 2^31, truncating toward zero (no saturation case here)
        q = a.astype(np.int64) * int(b) + np.where(a.astype(np.int64) * int(b) >= 0, 1 << 30, 1 - (1 << 30))
        return np.sign(q) * (np.abs(q) >> 31)

    def rdbpot(x, e):
        mask = (1 << e) - 1
        rem = x & mask
        thr = (mask >> 1) + (x < 0)
        return (x >> e) + (rem > thr)

    a = rng.integers(-128, 128, 500).astype(np.int8)
    b = rng.integers(-128, 128, 500).astype(np.int8)
    if op == "add":
        p = add_params(rng, False)
        s1 = rdbpot(srdhm((a.astype(np.int64) + p["input1_offset"]) << 20, p["input1_multiplier"]),
                    -p["input1_shift"])
        s2 = rdbpot(srdhm((b.astype(np.int64) + p["input2_offset"]) << 20, p["input2_multiplier"]),
                    -p["input2_shift"])
        o = rdbpot(srdhm(s1 + s2, p["output_multiplier"]), -p["output_shift"]) + p["output_offset"]
    else:
        p = mul_params(rng, False)
        prod = (a.astype(np.int64) + p["input1_offset"]) * (b.astype(np.int64) + p["input2_offset"])
        o = rdbpot(srdhm(prod, p["output_multiplier"]), -p["output_shift"]) + p["output_offset"]
    expected = np.clip(o, p["act_min"], p["act_max"]).astype(np.int8)
    assert np.array_equal(T.binary_s8(op, a, b, p, "reference"), expected)


@pytest.mark.parametrize("isa", ISAS)
def test_lut_every_index_and_length(isa):
    """Every one of the 256 indices at every position of a SIMD step, random and
    structured tables, lengths around the 32-byte step, thread splits."""
    rng = np.random.default_rng(11)
    tables = [rng.integers(-128, 128, 256, dtype=np.int8), np.arange(256).astype(np.int8),
              np.full(256, -128, np.int8), (np.arange(256) * 37 % 256).astype(np.int8)]
    every = np.concatenate([np.roll(np.arange(-128, 128, dtype=np.int8), s) for s in range(33)])
    for lut in tables:
        for n in (0, 1, 31, 32, 33, 255, 1000, every.size, 70001):
            x = every[:n] if n <= every.size else rng.integers(-128, 128, n, dtype=np.int8)
            expected = lut[x.view(np.uint8)]
            for threads in (1, 2, 3):
                assert np.array_equal(T.lut_s8(lut, x, isa, num_threads=threads), expected), (isa, n, threads)


def test_every_x86_lut_kernel():
    """Each x86 lookup kernel this CPU runs (the AVX-512 BW one is what
    avx512vnni CPUs without VBMI use; the table picks only one per path),
    every index at every position of a 64-byte step and tails of 1-63."""
    import platform
    rng = np.random.default_rng(12)
    kernels = T.x86_lut_kernels(np.zeros(256, np.int8), np.zeros(1, np.int8))
    if platform.machine() in ("x86_64", "AMD64"):
        assert "avx2" in kernels  # x86 CI machines have AVX2
        if "avx512vnni" in T.available_isas():
            assert "avx512" in kernels
    every = np.concatenate([np.roll(np.arange(-128, 128, dtype=np.int8), s) for s in range(65)])
    for lut in (rng.integers(-128, 128, 256, dtype=np.int8), (np.arange(256) * 37 % 256).astype(np.int8)):
        for n in (1, 63, 64, 65, 127, every.size, every.size - 1):
            x = every[:n]
            for name, out in T.x86_lut_kernels(lut, x).items():
                assert np.array_equal(out, lut[x.view(np.uint8)]), (name, n)


@pytest.mark.parametrize("isa", ISAS)
def test_reduce_rows_match_wrapping_sums(isa):
    """The MEAN/SUM row loop of each path: column sums added into existing
    int32 sums with wraparound (near INT32 limits), widths around the 64-byte
    step, one row and many (past 256: AVX2's int16 runs), all -128 or 127."""
    rng = np.random.default_rng(13)
    cases = [(1, 1), (3, 63), (5, 64), (7, 65), (49, 1152), (3136, 24), (100, 200), (0, 17),
             (257, 33), (513, 97), (1024, 64), (3136, 32)]
    for k, (rows, n) in enumerate(cases):
        x = rng.choice(np.array([-128, 127], np.int8), (rows, n)) if n % 2 else \
            rng.integers(-128, 128, (rows, n), dtype=np.int8)
        if k % 4 == 3:  # runs of one extreme value (AVX2 sums up to 256 rows in int16)
            x[:, : n // 2] = -128
            x[:, n // 2:] = 127
        sums = rng.integers(-2**31, 2**31, n, dtype=np.int64).astype(np.int32)
        sums[: n // 3] = 2**31 - 1  # wraps
        total = sums.astype(np.int64) + x.astype(np.int64).sum(axis=0)
        expected = ((total + 2**31) % 2**32 - 2**31).astype(np.int32)
        assert np.array_equal(T.reduce_rows_s8(x, sums, isa), expected), (isa, rows, n)


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("isa", ISAS)
def test_quantize_f32_matches_reference(isa, bits):
    """QUANTIZE float32 -> int8 / int16 on every path against a numpy model of the
    reference (float division, round half away from zero, x86's INT32_MIN for
    NaN/inf/out-of-range, int32 wrap of the zero point, clamp): ties, huge
    values, NaN, infinities, signed zeros, denormals, every length mod 16."""
    rng = np.random.default_rng(11)
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 3e9, -3e9,
                         2.0**31, -2.0**31, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 126.5, -127.5,
                         127.49999, 1e38, -1e38], np.float32)
    for case in range(40):
        scale = np.float32(rng.choice([1.0, 0.5, 1 / 255, 0.0078125, 0.3, 1e-30, 3.7e4, 2.0**-15]))
        zp = int(rng.choice([-128, 127, 0, -3, 5])) if bits == 8 else int(rng.choice([0, 0, -32768, 7]))
        n = int(rng.integers(1, 200))
        ties = (rng.integers(-300, 300, n) + 0.5).astype(np.float32) * scale
        x = np.concatenate([specials, ties, rng.normal(0, 100 * float(scale), n).astype(np.float32),
                            rng.standard_normal(case % 17).astype(np.float32)])
        with np.errstate(all="ignore"):
            v = x / scale  # float32 division, as the reference
            t = np.trunc(v)  # |v - t| is exact; ties (and above) go away from zero
            r = np.where(np.abs(v - t) >= 0.5, t + np.sign(v), t)
            big = ~np.isfinite(r) | (r >= 2.0**31) | (r < -2.0**31)
            ri = np.where(big, -2**31, np.nan_to_num(r)).astype(np.int64)
        q = (ri + zp + 2**31) % 2**32 - 2**31
        info = np.iinfo(np.int8 if bits == 8 else np.int16)
        want = np.clip(q, info.min, info.max).astype(info.dtype)
        got = (T.quantize_f32_s8 if bits == 8 else T.quantize_f32_s16)(x, float(scale), zp, isa)
        bad = np.flatnonzero(got != want)
        assert bad.size == 0, (f"{isa} scale={scale} zp={zp}: {bad.size} differ, e.g. x={x[bad[0]]!r} "
                               f"got {got[bad[0]]} want {want[bad[0]]}")


@needs_simd
@pytest.mark.parametrize("op", ["add", "sub"])
def test_add_sub_every_input_pair(op):
    """All 65536 (a, b) pairs at once, with ResNet-like rescaling (output
    shifts -17..-19, narrow and wide activation ranges) and at random, on
    every path and 1-11 threads: the looked-up output rows (AVX-512 VBMI)
    against the reference, besides the checks made when the tables are built."""
    rng = np.random.default_rng(7 if op == "add" else 8)
    a = np.repeat(np.arange(-128, 128, dtype=np.int8), 256)
    b = np.tile(np.arange(-128, 128, dtype=np.int8), 256)
    for trial in range(12):
        p = add_params(rng, extreme=trial % 3 == 2)
        if trial % 3 == 0:
            p.update(input1_multiplier=2**30, input1_shift=0, output_shift=int(rng.integers(-19, -16)))
        ref = T.binary_s8(op, a, b, p, "reference")
        for isa in SIMD_ISAS:
            for threads in (1, 4, 11):
                ours = T.binary_s8(op, a, b, p, isa, num_threads=threads)
                assert np.array_equal(ours, ref), (op, isa, threads, p, np.count_nonzero(ours != ref))


@pytest.mark.parametrize("bits", [8, 16])
@pytest.mark.parametrize("op", ["add", "sub", "mul"])
def test_one_short_row_repeated(op, bits):
    """[rows, n] x [1, n] and [1, n] x [rows, n] with n <= 1024 run as long
    calls against the short row repeated (every path, the reference's too,
    hence the materialized operands): calls and thread ranges start mid-row."""
    rng = np.random.default_rng({"add": 11, "sub": 12, "mul": 13}[op] + bits)
    make = (mul_params if op == "mul" else add_params) if bits == 8 else s16_params(op)
    make_data = data if bits == 8 else data_s16
    binary = T.binary_s8 if bits == 8 else T.binary_s16
    for n in (1, 3, 32, 37, 144, 1000, 1024, 1025):
        rows = max(2, 40000 // n)
        whole, short = (1, rows, n), (1, 1, n)
        if n % 2:
            whole, short = short, whole
        a, b = make_data(rng, whole, False), make_data(rng, short, False)
        p = make(rng, n == 37)
        # The reference on materialized operands: plain same-shape rows.
        shape = np.broadcast_shapes(a.shape, b.shape)
        ref = binary(op, np.broadcast_to(a, shape).copy(), np.broadcast_to(b, shape).copy(), p,
                     "reference")
        for isa in ISAS:
            for threads in (1, 2, 5, 11):
                ours = binary(op, a, b, p, isa, num_threads=threads)
                assert np.array_equal(ours, ref), (op, isa, n, threads, p)


# -- int16 (16x8 models: zero points 0, 15 bits of ADD/SUB headroom) ------------

def data_s16(rng, shape, extreme):
    if extreme and rng.random() < 0.5:
        return rng.choice(np.array([-32768, 32767, 0], np.int16), shape)
    return rng.integers(-32768, 32768, shape, dtype=np.int16)


def s16_params(op):
    """Parameter maker for int16 rows: the int8 one's, zero points 0, int16 activation ranges."""
    def make(rng, extreme):
        p = (mul_params if op == "mul" else add_params)(rng, extreme)
        p.update(input1_offset=0, input2_offset=0, output_offset=0)
        if op != "mul" and not extreme:
            p["output_shift"] += 5  # 2^15 headroom instead of 2^20: outputs stay in range
        lo, hi = sorted(int(v) for v in rng.integers(-32768, 32768, 2))
        p["act_min"], p["act_max"] = [(-32768, 32767), (lo, hi), (0, 32767)][int(rng.integers(3))]
        return p
    return make


@needs_simd
@pytest.mark.parametrize("op", ["add", "sub", "mul"])
@pytest.mark.parametrize("isa", SIMD_ISAS)
def test_int16_binary_rows_match_reference(op, isa):
    """int16 rows (MUL has SIMD rows; ADD/SUB run the reference rows on every
    path, split over threads) against the reference, every shape pair."""
    rng = np.random.default_rng({"add": 31, "sub": 32, "mul": 33}[op])
    make = s16_params(op)
    for trial in range(6):
        extreme = trial % 2 == 1
        for sa, sb in SHAPE_PAIRS:
            if rng.random() < 0.5:
                sa, sb = sb, sa
            a, b = data_s16(rng, sa, extreme), data_s16(rng, sb, extreme)
            p = make(rng, extreme)
            ref = T.binary_s16(op, a, b, p, "reference")
            for threads in (1, 2, 3):
                ours = T.binary_s16(op, a, b, p, isa, num_threads=threads)
                assert np.array_equal(ours, ref), (
                    f"{op} {isa} {sa}x{sb} thr={threads} {p}: "
                    f"{np.count_nonzero(ours != ref)} of {ref.size} differ")


def test_int16_mul_reference_follows_the_formula():
    """The int16 MUL reference against numpy: round((a * b) * m / 2^31) and a
    rounding right shift (gemmlowp's), clamped; products up to 2^30."""
    rng = np.random.default_rng(17)
    a = data_s16(rng, 3000, True)
    b = data_s16(rng, 3000, False)
    for shift in (-25, -15, -1, 0, 2):
        p = dict(input1_offset=0, input2_offset=0, output_offset=0, output_shift=shift,
                 output_multiplier=int(rng.integers(2**30, 2**31)), act_min=-32768, act_max=32767)
        x = (a.astype(np.int64) * b.astype(np.int64)) << max(shift, 0)
        x = (x + 2**31) % 2**32 - 2**31  # the left shift wraps in int32
        q = x * p["output_multiplier"] + np.where(x * p["output_multiplier"] >= 0, 1 << 30, 1 - (1 << 30))
        h = np.sign(q) * (np.abs(q) >> 31)
        e = max(-shift, 0)
        mask = (1 << e) - 1
        o = (h >> e) + ((h & mask) > (mask >> 1) + (h < 0))
        expected = np.clip(o, -32768, 32767).astype(np.int16)
        assert np.array_equal(T.binary_s16("mul", a, b, p, "reference"), expected), shift


@needs_simd
def test_mul_by_channel_row_every_input_pair():
    """[rows, C] x [1, C] MUL (a squeeze-excite scale; AVX2 folds the row into
    the multiplier and rounds once per element): all 65536 (x, y) pairs, the
    row either operand, right shifts 0..31 and the extreme parameters, on
    every path and 1-11 threads, against the reference on materialized rows."""
    rng = np.random.default_rng(21)
    x = np.repeat(np.arange(-128, 128, dtype=np.int8), 256).reshape(1, 256, 256)
    y = np.arange(-128, 128, dtype=np.int8).reshape(1, 1, 256)
    for trial in range(40):
        p = mul_params(rng, extreme=trial % 2 == 1)
        if trial % 4 == 0:
            p["output_shift"] = -int(rng.integers(0, 32))
        for a, b in ((x, y), (y, x)):
            ref = T.binary_s8("mul", np.broadcast_to(a, (1, 256, 256)).copy(),
                              np.broadcast_to(b, (1, 256, 256)).copy(), p, "reference")
            for isa in SIMD_ISAS:
                for threads in (1, 4, 11):
                    ours = T.binary_s8("mul", a, b, p, isa, num_threads=threads)
                    assert np.array_equal(ours, ref), (isa, threads, p, np.count_nonzero(ours != ref))


@needs_simd
@pytest.mark.parametrize("tanh", [False, True])
def test_sigmoid_s16_every_input(tanh):
    """16x8 LOGISTIC / TANH rows: all 65536 int16 inputs (in random order, odd
    lengths for the tails) under power-of-two and general input scales, on
    every path and 1-11 threads, against the reference rows."""
    rng = np.random.default_rng(41 + tanh)
    x = rng.permutation(np.arange(-32768, 32768)).astype(np.int16)
    # (multiplier, left shift): 0 = a power-of-two scale (x * 3 << shift);
    # general ones as the op derives them (multiplier in (16383, 32767]).
    params = [(0, 0), (0, 1)] + [(int(rng.integers(16384, 32768)), int(s)) for s in (0, 1, 5, 13, 21, 30)]
    for multiplier, shift in params:
        ref = T.sigmoid_s16(x, multiplier, shift, tanh, "reference")
        assert ref.min() >= (-32767 if tanh else 0) and ref.max() <= 32767
        for isa in SIMD_ISAS:
            for threads, n in ((1, 65536), (4, 65531), (11, 40001), (2, 17)):
                ours = T.sigmoid_s16(x[:n], multiplier, shift, tanh, isa, num_threads=threads)
                assert np.array_equal(ours, ref[:n]), (isa, multiplier, shift, threads, n)
