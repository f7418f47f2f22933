"""SIMD int8 GEMM/conv kernels against the reference kernels, bit for bit.

Every ISA path this machine can run is compared with the portable reference
over shapes below/at/above the microkernel tiles (6 x 16, k pairs), odd
sizes, extreme requantization parameters and thread counts; then whole ops
and (truncated) zoo models run with PYRUNTIME_ISA forced to each path
against LiteRT's reference kernels.
"""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime
from pyruntime import _core, _testing
from bitexact import assert_bit_exact
from model_edit import edited
from model_zoo import get_model
import op_models

T = _testing
SIMD_ISAS = [i for i in T.available_isas() if i != "reference"]
# The GEMM kernel tests also run the amx path with its kernels on the AMX tile
# model ("amx-emulated": the test module's copy; the rest of the path runs
# natively, so it needs avx512vnni), beside the native "amx" on AMX CPUs.
GEMM_ISAS = SIMD_ISAS + (["amx-emulated"] if "avx512vnni" in SIMD_ISAS else [])
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

needs_simd = pytest.mark.skipif(not SIMD_ISAS, reason="no SIMD path on this CPU")


def test_emulated_paths_are_named_and_have_no_peak():
    """The PYRUNTIME_EMULATE_X86 test build (tools/sanitize_tests.sh) runs the
    avxvnni / avx512vnni kernels as SIMD Everywhere code on any AVX2 CPU: it
    says so, and refuses to time instructions it does not execute. In other
    builds nothing is emulated."""
    emulated = T.emulated_isas()
    assert set(emulated) <= {"avxvnni", "avx512vnni"}
    assert set(emulated) <= set(pyruntime.cpu_paths())
    assert ("emulated" in T.cpu_features()) == bool(emulated)
    for isa in emulated:
        with pytest.raises(ValueError, match="emulated"):
            T.peak_macs(isa, 0.01)


def requant_params(rng, n, extreme=False):
    """Per-channel Q31 multipliers and shifts; `extreme` mixes in the edges.
    Otherwise half the draws have every shift in [-23, -1], as real layers do,
    which is what the SIMD paths' single-shift requantization needs."""
    mult = rng.integers(2**30, 2**31, n, dtype=np.int64)
    shift = rng.integers(-23, 0, n) if rng.random() < 0.5 else rng.integers(-12, 2, n)
    if extreme:
        mult = np.where(rng.random(n) < 0.3, rng.choice([0, 2**30, 2**31 - 1], n), mult)
        shift = np.where(rng.random(n) < 0.5, rng.integers(-31, 11, n), shift)
    return mult.astype(np.int32), shift.astype(np.int32)


def conv(x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad, isa, threads=1,
         kernel=T.conv_s8):
    fh, fw = f.shape[1:3]
    oh = (x.shape[1] + 2 * pad[0] - (fh - 1) * dilation[0] - 1) // stride[0] + 1
    ow = (x.shape[2] + 2 * pad[1] - (fw - 1) * dilation[1] - 1) // stride[1] + 1
    return kernel(x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad,
                  (max(oh, 1), max(ow, 1)), isa, num_threads=threads)


def assert_same(ours, ref, what):
    assert ours.shape == ref.shape and np.array_equal(ours, ref), (
        f"{what}: {np.count_nonzero(ours != ref)} of {ref.size} differ, "
        f"first at {np.argwhere(ours != ref)[:1].tolist()}")


# -- ISA selection -------------------------------------------------------------

def test_isa_selection(monkeypatch):
    assert "reference" in T.available_isas()
    monkeypatch.delenv("PYRUNTIME_ISA", raising=False)
    assert _core.isa() == T.available_isas()[-1]  # best path by default
    for isa in T.available_isas():
        monkeypatch.setenv("PYRUNTIME_ISA", isa)
        assert _core.isa() == isa


def test_cpu_paths_and_kernel_path(monkeypatch):
    paths = pyruntime.cpu_paths()
    assert paths == list(reversed(T.available_isas())) and paths[-1] == "reference"
    path = op_models.conv_model()
    monkeypatch.delenv("PYRUNTIME_ISA", raising=False)
    assert pyruntime.Interpreter(path).kernel_path == paths[0]
    for isa in paths:
        monkeypatch.setenv("PYRUNTIME_ISA", isa)
        assert pyruntime.Interpreter(path).kernel_path == isa


def test_unknown_isa_is_a_clear_error(monkeypatch):
    path = op_models.conv_model()
    monkeypatch.setenv("PYRUNTIME_ISA", "avx9000")
    with pytest.raises(ValueError, match="PYRUNTIME_ISA=avx9000 is not a known kernel path"):
        pyruntime.Interpreter(path)
    if "avx2" not in T.available_isas():
        monkeypatch.setenv("PYRUNTIME_ISA", "avx2")
        with pytest.raises(ValueError, match="cannot run"):
            pyruntime.Interpreter(path)


X86_PATHS = ["amx", "avx512vnni", "avxvnni", "avx2"]  # best first
ARM_PATHS = ["neoni8mm", "neondot", "neon"]


def test_cpu_paths_are_one_architecture_best_first(monkeypatch):
    """An x86 CPU never lists an Arm path nor the other way round; each
    architecture's paths come best first, a CPU with a path runs every path
    below it (avx512vnni and avxvnni both sit on avx2 and need not come
    together; amx sits on avx512vnni), and the reference comes last."""
    paths = pyruntime.cpu_paths()
    assert paths[-1] == "reference"
    simd = paths[:-1]
    chain = X86_PATHS if not simd or simd[0] in X86_PATHS else ARM_PATHS
    assert simd == [p for p in chain if p in simd], paths  # best first
    if chain is X86_PATHS:
        assert not simd or simd[-1] == "avx2", paths
        assert "amx" not in simd or "avx512vnni" in simd, paths
    else:
        assert simd == chain[len(chain) - len(simd):], paths
    path = op_models.conv_model()
    other = ARM_PATHS if chain is X86_PATHS else X86_PATHS
    for name in other:  # known names, but never runnable on this architecture
        monkeypatch.setenv("PYRUNTIME_ISA", name)
        with pytest.raises(ValueError, match="cannot run"):
            pyruntime.Interpreter(path)


# -- GEMM (1x1 conv) and FULLY_CONNECTED kernels ------------------------------

GEMM_M = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 95, 96, 97, 250]
GEMM_N = [1, 3, 15, 16, 17, 32, 33, 100]
GEMM_K = [1, 2, 3, 4, 7, 16, 31, 129, 600]


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_pointwise_gemm_shapes(isa):
    rng = np.random.default_rng(1)
    for case in range(150):
        m, n, k = (int(rng.choice(v)) for v in (GEMM_M, GEMM_N, GEMM_K))
        x = rng.integers(-128, 128, (1, 1, m, k), dtype=np.int8)
        f = rng.integers(-128, 128, (n, 1, 1, k), dtype=np.int8)
        bias = rng.integers(-2**16, 2**16, n).astype(np.int32)
        mult, shift = requant_params(rng, n, extreme=case % 2 == 1)
        zi, zo = (int(v) for v in rng.choice([-128, 127, 0, 5], 2))
        lo, hi = (-128, 127) if case % 3 else (int(zo), 127)
        args = (x, f, bias, mult, shift, zi, zo, lo, hi, (1, 1), (1, 1), (0, 0))
        ref = conv(*args, "reference")
        assert_same(conv(*args, isa, threads=1 + case % 3), ref, f"m={m} n={n} k={k}")


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_requant_edges_every_int32(isa):
    """K=1 and the bias reach any int32 accumulator: INT32_MIN/MAX, wrapping
    left shifts, exact rounding ties of both rounding steps, multiplier 0 and
    the INT32_MIN x INT32_MIN saturation of the doubling high multiply."""
    rng = np.random.default_rng(2)
    n = 64
    specials = [INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX, 2**30, -(2**30), 3 << 20, -(3 << 20)]
    for case in range(40):
        mult, shift = requant_params(rng, n, extreme=True)
        if case == 0:
            mult[:] = INT32_MIN  # outside QuantizeMultiplier's range, still defined
            shift[:] = 0
        bias = rng.integers(INT32_MIN, INT32_MAX, n, dtype=np.int64)
        bias[: len(specials)] = specials
        # Ties of RoundingDivideByPOT: multiples of 2^(e-1) around zero.
        e = -shift[10:20].clip(max=0)
        bias[10:20] = np.where(e > 0, (rng.integers(-5, 6, 10) * 2 + 1) << np.maximum(e - 1, 0), 7)
        x = rng.integers(-2, 3, (1, 1, 9, 1), dtype=np.int8)
        f = rng.integers(-2, 3, (n, 1, 1, 1), dtype=np.int8)
        zo = int(rng.choice([-128, 127, 0]))
        args = (x, f, bias.astype(np.int32), mult, shift, 0, zo, -128, 127, (1, 1), (1, 1), (0, 0))
        assert_same(conv(*args, isa), conv(*args, "reference"), f"case {case}")


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_fully_connected_shapes_and_fp64_rounding(isa):
    rng = np.random.default_rng(3)
    for case in range(120):
        m, n, k = (int(rng.choice(v)) for v in (GEMM_M, GEMM_N, GEMM_K))
        a = rng.integers(-128, 128, (m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (n, k), dtype=np.int8)
        bias = rng.integers(-2**16, 2**16, n).astype(np.int32)
        scale = rng.uniform(1e-5, 3e-3, n)
        if case % 4 == 1:  # exact halves and their neighbours: 2^-j scales
            scale = 2.0 ** -rng.integers(1, 9, n).astype(np.float64)
            scale[::3] = np.nextafter(scale[::3], 0)
        if case % 4 == 2:  # out of int32 range -> INT32_MIN; inf * 0 -> NaN
            scale = rng.choice([1e9, 1e12, np.inf, 1e-3], n)
            bias[::5] = 0
            a[:, :] = 0
        zo = int(rng.choice([-128, 127, 0]))
        lo, hi = (-128, 127) if case % 3 else (0, 100)
        args = (a, b, bias, scale, zo, lo, hi)
        ref = T.fully_connected_s8(*args, "reference")
        assert_same(T.fully_connected_s8(*args, isa, num_threads=1 + case % 3), ref,
                    f"case {case}: m={m} n={n} k={k}")


# -- Convolutions ---------------------------------------------------------------

@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_conv_geometries(isa):
    rng = np.random.default_rng(4)
    for case in range(120):
        batch, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 14)), int(rng.integers(1, 14))
        c, o = int(rng.choice([1, 3, 4, 8, 17, 32])), int(rng.choice([1, 8, 16, 24, 40]))
        fh, fw = (int(v) for v in rng.integers(1, 6, 2))
        stride = tuple(int(v) for v in rng.integers(1, 4, 2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, 2))
        pad = tuple(int(v) for v in rng.integers(0, 3, 2))
        x = rng.integers(-128, 128, (batch, h, w, c), dtype=np.int8)
        f = rng.integers(-128, 128, (o, fh, fw, c), dtype=np.int8)
        bias = rng.integers(-2**16, 2**16, o).astype(np.int32)
        mult, shift = requant_params(rng, o, extreme=case % 4 == 0)
        zi, zo = (int(v) for v in rng.choice([-128, 127, -3], 2))
        args = (x, f, bias, mult, shift, zi, zo, -128, 127, stride, dilation, pad)
        ref = conv(*args, "reference")
        assert_same(conv(*args, isa, threads=1 + case % 4), ref,
                    f"x{x.shape} f{f.shape} s{stride} d{dilation} p{pad}")


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_conv_same_result_for_any_thread_count(isa):
    rng = np.random.default_rng(5)
    x = rng.integers(-128, 128, (2, 23, 19, 24), dtype=np.int8)
    f = rng.integers(-128, 128, (72, 3, 3, 24), dtype=np.int8)
    bias = rng.integers(-2**16, 2**16, 72).astype(np.int32)
    mult, shift = requant_params(rng, 72)
    args = (x, f, bias, mult, shift, -7, 3, -128, 127, (1, 1), (1, 1), (1, 1))
    ref = conv(*args, "reference")
    for threads in (1, 2, 3, 8, 11):
        assert_same(conv(*args, isa, threads=threads), ref, f"{threads} threads")


@needs_simd
@pytest.mark.parametrize("isa", SIMD_ISAS)
def test_depthwise_geometries(isa):
    """The SIMD kernel (channel tails below/above 16) against the reference;
    depth multipliers 2-3 (every fifth case) run it on the input with each
    channel repeated."""
    rng = np.random.default_rng(6)
    for case in range(120):
        batch, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 14)), int(rng.integers(1, 14))
        c = int(rng.choice([1, 3, 8, 15, 16, 17, 40, 96]))
        mult_c = 1 if case % 5 else int(rng.integers(2, 4))
        fh, fw = (int(v) for v in rng.integers(1, 6, 2))
        stride = tuple(int(v) for v in rng.integers(1, 4, 2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, 2))
        pad = tuple(int(v) for v in rng.integers(0, 3, 2))
        x = rng.integers(-128, 128, (batch, h, w, c), dtype=np.int8)
        f = rng.integers(-128, 128, (1, fh, fw, c * mult_c), dtype=np.int8)
        bias = rng.integers(-2**16, 2**16, c * mult_c).astype(np.int32)
        mult, shift = requant_params(rng, c * mult_c, extreme=case % 4 == 0)
        zi, zo = (int(v) for v in rng.choice([-128, 127, -3], 2))
        lo, hi = (-128, 127) if case % 3 else (zo, 127)
        args = (x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad)
        ref = conv(*args, "reference", kernel=T.depthwise_conv_s8)
        assert_same(conv(*args, isa, threads=1 + case % 4, kernel=T.depthwise_conv_s8), ref,
                    f"x{x.shape} f{f.shape} s{stride} d{dilation} p{pad}")


@needs_simd
@pytest.mark.parametrize("isa", SIMD_ISAS)
def test_depthwise_zoo_shapes(isa):
    """3x3 and 5x5 filters (the kernel's specialized tap counts), strides 1 and 2,
    'same' padding on either side, channel counts of the zoo models, extreme
    zero points (padding taps must add nothing) and weights."""
    rng = np.random.default_rng(16)
    for case in range(40):
        k = 3 if case % 2 else 5
        c = int(rng.choice([16, 24, 32, 72, 88, 120, 144]))
        stride = (1, 1) if case % 4 < 2 else (2, 2)
        h, w = int(rng.integers(k, 20)), int(rng.integers(k, 20))
        pad = (int(rng.integers(0, k // 2 + 1)), int(rng.integers(0, k // 2 + 1)))
        x = rng.integers(-128, 128, (1, h, w, c), dtype=np.int8)
        f = rng.choice(np.array([-128, 127, -1, 0, 5], np.int8), (1, k, k, c)) if case % 3 == 0 \
            else rng.integers(-127, 128, (1, k, k, c), dtype=np.int8)
        bias = rng.integers(-2**20, 2**20, c).astype(np.int32)
        mult, shift = requant_params(rng, c, extreme=case % 5 == 0)
        zi, zo = int(rng.choice([-128, 127, 0, 9])), int(rng.integers(-128, 128))
        args = (x, f, bias, mult, shift, zi, zo, -128, 127, stride, (1, 1), pad)
        ref = conv(*args, "reference", kernel=T.depthwise_conv_s8)
        assert_same(conv(*args, isa, threads=1 + case % 3, kernel=T.depthwise_conv_s8), ref,
                    f"x{x.shape} k{k} s{stride} p{pad} zi{zi}")


@needs_simd
@pytest.mark.parametrize("isa", SIMD_ISAS)
def test_depthwise_adjacent_pixels(isa):
    """3x3 and 5x5 filters with horizontal stride 1: the AVX-512 kernel shares
    the loads of neighbouring pixels in a run (not with horizontal dilation);
    vertical stride and dilation, odd and even run lengths, channel tails."""
    rng = np.random.default_rng(18)
    for case in range(48):
        k = 3 if case % 2 else 5
        c = int(rng.choice([8, 32, 40, 64, 72, 144]))
        stride = (int(rng.integers(1, 3)), 1)
        dilation = (int(rng.integers(1, 3)), 1 if case % 6 else 2)
        h, w = int(rng.integers(k, 16)), int(rng.integers(k, 24))
        pad = (int(rng.integers(0, k // 2 + 1)), int(rng.integers(0, k // 2 + 1)))
        x = rng.integers(-128, 128, (1 + case % 2, h, w, c), dtype=np.int8)
        f = rng.integers(-128, 128, (1, k, k, c), dtype=np.int8)
        bias = rng.integers(-2**20, 2**20, c).astype(np.int32)
        mult, shift = requant_params(rng, c, extreme=case % 5 == 0)
        zi, zo = int(rng.choice([-128, 127, 0])), int(rng.choice([-128, 127, 3]))
        lo, hi = (-128, 127) if case % 3 else (zo, 127)
        args = (x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad)
        ref = conv(*args, "reference", kernel=T.depthwise_conv_s8)
        assert_same(conv(*args, isa, threads=1 + case % 11, kernel=T.depthwise_conv_s8), ref,
                    f"x{x.shape} k{k} s{stride} d{dilation} p{pad} zi{zi}")


@needs_simd
@pytest.mark.parametrize("isa", SIMD_ISAS)
def test_depthwise_same_result_for_any_thread_count(isa):
    """Row splits over 1-11 threads, with channel tails (not a multiple of 16
    or 32), dilation, asymmetric strides and padding on every side."""
    rng = np.random.default_rng(17)
    x = rng.integers(-128, 128, (2, 17, 13, 37), dtype=np.int8)
    f = rng.integers(-128, 128, (1, 3, 4, 37), dtype=np.int8)
    bias = rng.integers(-2**16, 2**16, 37).astype(np.int32)
    mult, shift = requant_params(rng, 37, extreme=True)
    args = (x, f, bias, mult, shift, -128, 5, -100, 127, (2, 1), (2, 2), (2, 3))
    ref = conv(*args, "reference", kernel=T.depthwise_conv_s8)
    for threads in (1, 2, 3, 5, 8, 11):
        assert_same(conv(*args, isa, threads=threads, kernel=T.depthwise_conv_s8), ref,
                    f"{threads} threads")


# -- Whole ops and models, PYRUNTIME_ISA forced ---------------------------------

OP_CASES = [
    ("conv3x3_relu6", lambda: op_models.conv_model((9, 7, 5), filters=19, activation="relu6")),
    ("conv1x1", lambda: op_models.conv_model((6, 6, 20), filters=33, kernel=1, batch=2)),
    ("conv_stride2_valid", lambda: op_models.conv_model((11, 10, 3), filters=16, strides=2,
                                                        padding="valid", calib_scale=8.0)),
    ("conv_dilated", lambda: op_models.conv_model((12, 12, 4), filters=8, dilation=2, calib_scale=0.05)),
    ("depthwise", lambda: op_models.depthwise_model((10, 9, 24), strides=2, activation="relu6")),
    ("depthwise_x2", lambda: op_models.depthwise_model((7, 7, 5), depth_multiplier=2, calib_scale=4.0)),
    # One input channel: run as a CONV_2D on the GEMM kernels (micro_speech's first layer).
    ("depthwise_one_channel", lambda: op_models.depthwise_model(
        (49, 40, 1), kernel=(10, 8), strides=2, depth_multiplier=8, activation="relu")),
    ("depthwise_one_channel_x3", lambda: op_models.depthwise_model(
        (9, 7, 1), depth_multiplier=3, padding="valid", calib_scale=4.0)),
    ("dense", lambda: op_models.dense_model((37,), units=21, activation="relu")),
    ("dense_batch", lambda: op_models.dense_model((64,), units=17, batch=7)),
]


@pytest.mark.parametrize("isa", T.available_isas())
@pytest.mark.parametrize("name,build", OP_CASES, ids=[c[0] for c in OP_CASES])
def test_ops_bit_exact_on_each_path(monkeypatch, isa, name, build):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    assert_bit_exact(build(), seeds=(0, 1), num_threads=2)


def truncated(model_path, num_ops: int, tmp_path):
    """The model cut after its first num_ops operators (their last output
    becomes the graph output), to run zoo prefixes whose later ops are not
    implemented yet."""
    def cut(model):
        g = model.subgraphs[0]
        g.operators = g.operators[:num_ops]
        g.outputs = [g.operators[-1].outputs[0]]
        model.signatureDefs = []

    out = tmp_path / f"{model_path.stem}_first{num_ops}.tflite"
    out.write_bytes(edited(model_path.read_bytes(), cut))
    return out


ZOO_PREFIXES = [("mobilenet_v1", 27), ("mobilenet_v2", 9)]


@pytest.mark.parametrize("isa", T.available_isas())
@pytest.mark.parametrize("name,num_ops", ZOO_PREFIXES, ids=[z[0] for z in ZOO_PREFIXES])
def test_zoo_prefix_bit_exact_on_each_path(monkeypatch, tmp_path, isa, name, num_ops):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    assert_bit_exact(truncated(get_model(name, "int8"), num_ops, tmp_path), seeds=(0,), num_threads=2)


# -- Paths this CPU may lack, through emulation ----------------------------------

# Shapes around each emulated kernel's tiles: avxvnni 6 x 16 with k quads;
# amx 32 x 32 (two 16-row A tiles by two 16-column B tiles), k in 64-byte
# tile rows, and the driver's blocks (up to 256 rows on amx).
EMULATED_SHAPES = {
    "avxvnni": (GEMM_M, GEMM_N, GEMM_K),
    "amx": ([1, 2, 15, 16, 17, 31, 32, 33, 48, 63, 64, 65, 96, 97, 250, 257, 300],
            [1, 15, 16, 17, 31, 32, 33, 64, 100],
            [1, 3, 4, 60, 63, 64, 65, 127, 128, 129, 600]),
}


def emulated_path_runs(path):
    """Skips (never passes) where the emulated kernels cannot run here."""
    import platform
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("x86 kernels")  # tools/aarch64_check.sh runs the Arm paths
    if path == "amx" and "avx512vnni" not in pyruntime.cpu_paths():
        pytest.skip("the emulated amx kernels requantize with AVX-512: needs an avx512vnni CPU")


@pytest.mark.parametrize("path", ["avxvnni", "amx"])
def test_emulated_gemm_paths_match_reference(path):
    """The AVX-VNNI GEMM kernels built against SIMD Everywhere, and the AMX
    GEMM kernels built against the software tile model (the test module's
    copies; the product's run only on CPUs with the unit), against the
    reference conv and FULLY_CONNECTED kernels through the GEMM driver:
    tile edges, extreme zero points and requantization, both epilogues,
    1-11 threads."""
    emulated_path_runs(path)
    rng = np.random.default_rng(21)
    shapes = EMULATED_SHAPES[path]
    for case in range(160):
        m, n, k = (int(rng.choice(v)) for v in shapes)
        threads = case % 11 + 1
        a = rng.integers(-128, 128, (m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (n, k), dtype=np.int8)
        if case % 7 == 3:  # the extreme products: every sum at its largest
            a[:] = -128
            b[:] = -128
        bias = rng.integers(-2**16, 2**16, n).astype(np.int32)
        zo = int(rng.choice([-128, 127, 5]))
        lo, hi = (-128, 127) if case % 3 else (-20, 100)
        # Both also read A in place (rows K apart, the last ones copied), as
        # pointwise convs (and on amx FULLY_CONNECTED) do; avxvnni then flips
        # each int8 quad's sign bits, gemmlowp epilogue only.
        in_place = case % 5 < 2 and (path == "amx" or case % 2 == 0)
        if case % 2:  # the FULLY_CONNECTED epilogue
            scale = rng.uniform(1e-5, 3e-3, n)
            ours = T.emulated_qs8_gemm(path, a, b, bias, np.zeros(n, np.int32), np.zeros(n, np.int32),
                                       scale, 0, zo, lo, hi, True, num_threads=threads,
                                       in_place=in_place)
            ref = T.fully_connected_s8(a, b, bias, scale, zo, lo, hi, "reference")
        else:
            mult, shift = requant_params(rng, n, extreme=case % 4 == 0)
            zi = int(rng.choice([-128, 127, -3]))
            ours = T.emulated_qs8_gemm(path, a, b, bias, mult, shift, np.zeros(n), zi, zo, lo, hi, False,
                                       num_threads=threads, in_place=in_place)
            ref = conv(a.reshape(1, 1, m, k), b.reshape(n, 1, 1, k), bias, mult, shift, zi, zo, lo, hi,
                       (1, 1), (1, 1), (0, 0), "reference").reshape(m, n)
        assert_same(ours, ref, f"{path} case {case}: m={m} n={n} k={k} threads={threads} "
                               f"in_place={in_place}")


def test_emulated_amx_int32_min_multiplier_and_left_shifts():
    """The gemmlowp epilogue's rarer branches on the emulated AMX kernels: a
    multiplier of INT32_MIN (the saturating high multiply) and left shifts."""
    emulated_path_runs("amx")
    rng = np.random.default_rng(5)
    for case in range(12):
        m, n, k = int(rng.choice([17, 33, 40])), int(rng.choice([20, 32, 33])), int(rng.choice([64, 70]))
        a = rng.integers(-128, 128, (m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (n, k), dtype=np.int8)
        bias = rng.integers(-2**31, 2**31, n, dtype=np.int64).astype(np.int32)
        mult, shift = requant_params(rng, n, extreme=True)
        mult[::3] = INT32_MIN
        shift[1::4] = rng.integers(1, 11, len(shift[1::4]))
        ours = T.emulated_qs8_gemm("amx", a, b, bias, mult, shift, np.zeros(n), 0, 0, -128, 127, False,
                                   num_threads=case % 3 + 1)
        ref = conv(a.reshape(1, 1, m, k), b.reshape(n, 1, 1, k), bias, mult, shift, 0, 0, -128, 127,
                   (1, 1), (1, 1), (0, 0), "reference").reshape(m, n)
        assert_same(ours, ref, f"amx case {case}: m={m} n={n} k={k}")


# -- The AMX tile model itself -------------------------------------------------

def tdpbssd_by_loop(a, b, c):
    """C[m][n] += sum_k sum_j A[m][4k+j] * B[k][4n+j] in int64, wrapped to int32."""
    m, kb = a.shape
    n = c.shape[1]
    acc = c.astype(np.int64).copy()
    for i in range(m):
        for col in range(n):
            acc[i, col] += sum(int(a[i, 4 * q + j]) * int(b[q, 4 * col + j])
                               for q in range(kb // 4) for j in range(4))
    return ((acc + 2**31) % 2**32 - 2**31).astype(np.int32)


def test_amx_tile_model_matches_plain_loop():
    """tdpbssd on the model against a plain loop: every shape a palette-1
    tile allows (1-16 rows, 1-16 k quads, 1-16 columns), extreme bytes, and
    int32 wrap-around of the accumulators."""
    emulated_path_runs("model")  # x86 only (the model shares the intrinsics' names)
    rng = np.random.default_rng(8)
    for case in range(60):
        m, q, n = (int(v) for v in rng.integers(1, 17, 3))
        a = rng.integers(-128, 128, (m, 4 * q), dtype=np.int8)
        b = rng.integers(-128, 128, (q, 4 * n), dtype=np.int8)
        c = rng.integers(-2**31, 2**31, (m, n), dtype=np.int64).astype(np.int32)
        if case % 5 == 0:
            a[:], b[:] = -128, -128  # 64 products of 2^14 each
            c[:] = INT32_MAX - 5     # wraps
        out = T.amx_model_dpbssd(a, b, c)
        np.testing.assert_array_equal(out, tdpbssd_by_loop(a, b, c), err_msg=f"case {case}")


@pytest.mark.parametrize("a_shape, b_shape, c_shape, misuse, fault", [
    ((16, 64), (16, 64), (16, 16), "unconfigured", "not configured"),
    ((16, 64), (16, 64), (16, 16), "released", "not configured"),
    ((16, 64), (16, 64), (16, 16), "same_tile", "distinct"),
    ((17, 64), (16, 64), (17, 16), "", "rows 17"),        # more rows than a tile has
    ((16, 68), (17, 64), (16, 16), "", "colsb 68"),       # wider than 64 bytes
    ((16, 6), (1, 64), (16, 16), "", "multiple of 4"),    # k not in whole quads
    ((16, 64), (16, 64), (15, 16), "", "do not match"),   # C rows != A rows
    ((16, 64), (15, 64), (16, 16), "", "do not match"),   # A k quads != B rows
    ((16, 64), (16, 60), (16, 16), "", "do not match"),   # C columns != B columns
])
def test_amx_tile_model_rejects_what_hardware_faults_on(a_shape, b_shape, c_shape, misuse, fault):
    emulated_path_runs("model")
    with pytest.raises(RuntimeError, match=f"AMX tile model: .*{fault}"):
        T.amx_model_dpbssd(np.ones(a_shape, np.int8), np.ones(b_shape, np.int8),
                           np.zeros(c_shape, np.int32), misuse)


# -- AMX natively (AMX CPUs only) -------------------------------------------------

def test_amx_native_matches_reference_and_model():
    """On a CPU that grants AMX: the product's AMX kernels (conv GEMMs of 16
    rows or more, FULLY_CONNECTED with batch >= 16) against the reference,
    and against the same source on the tile model."""
    if "amx" not in pyruntime.cpu_paths():
        pytest.skip("no AMX-INT8 here (or the OS refused the tile data): run on a Sapphire Rapids+ Xeon")
    rng = np.random.default_rng(34)
    for case in range(80):
        m = int(rng.choice([16, 17, 31, 32, 33, 95, 96, 97, 250, 1000]))
        n = int(rng.choice([1, 15, 16, 17, 32, 33, 100, 256]))
        k = int(rng.choice([1, 4, 63, 64, 65, 129, 600, 2304]))
        threads = case % 11 + 1
        a = rng.integers(-128, 128, (m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (n, k), dtype=np.int8)
        bias = rng.integers(-2**16, 2**16, n).astype(np.int32)
        zo = int(rng.choice([-128, 127, 5]))
        if case % 2:
            scale = rng.uniform(1e-5, 3e-3, n)
            ours = T.fully_connected_s8(a, b, bias, scale, zo, -128, 127, "amx", num_threads=threads)
            ref = T.fully_connected_s8(a, b, bias, scale, zo, -128, 127, "reference")
            model = T.emulated_qs8_gemm("amx", a, b, bias, np.zeros(n, np.int32), np.zeros(n, np.int32),
                                        scale, 0, zo, -128, 127, True)
        else:
            mult, shift = requant_params(rng, n, extreme=case % 4 == 0)
            zi = int(rng.choice([-128, 127, -3]))
            args = (bias, mult, shift, zi, zo, -128, 127, (1, 1), (1, 1), (0, 0))
            ours = conv(a.reshape(1, 1, m, k), b.reshape(n, 1, 1, k), *args, "amx", threads).reshape(m, n)
            ref = conv(a.reshape(1, 1, m, k), b.reshape(n, 1, 1, k), *args, "reference").reshape(m, n)
            model = T.emulated_qs8_gemm("amx", a, b, bias, mult, shift, np.zeros(n), zi, zo, -128, 127,
                                        False)
        assert_same(ours, ref, f"native amx case {case}: m={m} n={n} k={k}")
        assert_same(model, ref, f"model amx case {case}: m={m} n={n} k={k}")


def test_amx_path_absent_is_a_clear_error(monkeypatch):
    """Where the CPU or the OS does not allow AMX, cpu_paths() omits it and
    PYRUNTIME_ISA=amx fails as any path this CPU cannot run."""
    path = op_models.conv_model()
    monkeypatch.setenv("PYRUNTIME_ISA", "amx")
    if "amx" in pyruntime.cpu_paths():
        assert pyruntime.Interpreter(path).kernel_path == "amx"
    else:
        with pytest.raises(ValueError, match="PYRUNTIME_ISA=amx: this CPU cannot run the amx kernels"):
            pyruntime.Interpreter(path)



# -- The AVX-512 requantization forms on raw int32 sums ------------------------

INT32_MIN, INT32_MAX = -2**31, 2**31 - 1


def _gemmlowp(x, m, shift, zp):
    """MultiplyByQuantizedMultiplier (gemmlowp double rounding) + zp, int32
    wrapping, in Python integers: the reference kernels' arithmetic."""
    def wrap(v):
        return (v + 2**31) % 2**32 - 2**31
    left, right = max(shift, 0), max(-shift, 0)
    a = wrap(x * 2**left)
    if a == m == INT32_MIN:
        h = INT32_MAX
    else:
        ab = a * m
        n = ab + (2**30 if ab >= 0 else 1 - 2**30)
        h = abs(n) // 2**31 * (1 if n >= 0 else -1)  # C division: toward zero
    mask = (1 << right) - 1
    threshold = (mask >> 1) + (1 if h < 0 else 0)
    return wrap((h >> right) + (1 if (h & mask) > threshold else 0) + zp)


def _native(isa, *more):
    return pytest.param(isa, *more, marks=pytest.mark.skipif(
        isa not in T.available_isas(), reason=f"CPU lacks {isa} (this test needs it natively)"))


@pytest.mark.parametrize("isa,merged", [
    _native("avx2", False), _native("avx512vnni", False), _native("avx512vnni", True)])
def test_requant_simd_forms_match_reference(isa, merged):
    """The x86 requantization forms (each path's general one; AVX-512's merged
    single-shift one used when every right shift is in [1, 23]) against the
    reference arithmetic on raw sums: the int32 extremes, rounding ties, every
    shift, extreme zero points; before narrowing, so no saturation hides a
    difference."""
    rng = np.random.default_rng(40)
    edges = np.array([INT32_MIN, INT32_MIN + 1, -2**30 - 1, -2**30, -1, 0, 1, 2**30, INT32_MAX],
                     np.int64)
    checked = 0
    for case in range(48):
        m = rng.integers(2**30, 2**31, 16)
        m[rng.random(16) < 0.3] = rng.choice([2**30, 2**31 - 1, 2**30 + 1], 16)[:1]
        if merged:
            shift = rng.integers(-23, 0, 16)
            shift[case % 16] = [-1, -23][case % 2]
        else:
            shift = rng.integers(-31, 8, 16)
            if case % 3 == 0:
                m[case % 16] = INT32_MIN
        zp = int([-128, 127, 0, -3][case % 4])
        scale = 2 ** int(rng.integers(0, 32))
        x = np.concatenate([
            np.repeat(edges, 16),
            rng.integers(INT32_MIN, INT32_MAX + 1, 16 * 40, dtype=np.int64),
            rng.integers(-scale, scale, 16 * 40, dtype=np.int64),
            # near rounding ties of x * m / 2^(31 + s)
            np.tile(np.arange(-8, 8), 16) * 2**int(rng.integers(0, 24)),
        ]).astype(np.int32)
        got = T.requant_simd(isa, x, m.astype(np.int32), shift.astype(np.int32), zp, merged)
        assert got is not None, "the merged form refused shifts in [1, 23]"
        want = [_gemmlowp(int(v), int(m[i % 16]), int(shift[i % 16]), zp) for i, v in enumerate(x)]
        bad = np.flatnonzero(np.asarray(got, np.int64) != np.asarray(want, np.int64))
        assert bad.size == 0, (
            f"case {case}: {bad.size} differ, e.g. x={x[bad[0]]} m={m[bad[0] % 16]} "
            f"shift={shift[bad[0] % 16]} zp={zp}: {got[bad[0]]} != {want[bad[0]]}")
        checked += x.size
    assert checked > 48 * 16 * 80


@pytest.mark.parametrize("isa", [_native("avx512vnni")])
def test_requant_simd_merged_form_refuses_other_shifts(isa):
    m = np.full(16, 2**30, np.int32)
    for bad_shift in (0, 1, -24):
        shift = np.full(16, -5, np.int32)
        shift[3] = bad_shift
        assert T.requant_simd(isa, np.zeros(16, np.int32), m, shift, 0, True) is None
