"""ADD / RELU / PRELU / HARD_SWISH / swish fused into the float CONV_2D or DEPTHWISE_CONV_2D they follow
(interpreter/conv_f32_fusion.h).

The fused conv applies the ADD (with its own fused activation), the RELU
family's clamp, the PRELU, the HARD_SWISH or a swish (LOGISTIC, then MUL by
the same tensor) to each block of output rows right after
computing it; its outputs must be those of the unfused graph bit for bit
(the same graph with the conv output also a graph output, which keeps it
from fusing), NaN, infinities and signed zeros in the residual included, on
every kernel path this CPU runs (AVX-512 applies them in the GEMM's
registers, other paths and drivers after each block) and for the conv's
drivers (1x1 GEMM in row blocks or panel ranges, indirect GEMM,
dot-product rows).
"""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S

import pyruntime
from shape_models import Graph

# (H, W, C, O, kernel, stride, conv activation, ADD activation or None, tail op, alpha shape)
CASES = [
    (16, 16, 64, 128, 1, 1, 0, 0, "PRELU", (1, 1, 128)),   # iris block: 1x1, ADD, PRELU
    (9, 7, 13, 37, 1, 1, 0, 0, "PRELU", (1, 1, 37)),       # odd rows and channels, panel tails
    (8, 8, 32, 16, 2, 2, 0, None, "PRELU", (16,)),          # 2x2 stride 2 (indirect), PRELU only
    (11, 10, 8, 24, 3, 1, 1, 1, "RELU6", None),             # conv RELU, ADD RELU, then RELU6
    (5, 5, 16, 48, 3, 2, 0, 3, None, None),                 # ADD with RELU6 alone
    (6, 6, 7, 3, 3, 1, 0, 0, "RELU", None),                 # 3 output channels: dot-product rows
    (4, 4, 128, 213, 2, 2, 0, None, "PRELU", (1,)),         # one slope for all channels
    (20, 20, 32, 32, 1, 1, 0, 0, "PRELU", (1, 1, 1, 32)),   # 400 rows: several 48-row blocks
    (2, 2, 512, 256, 1, 1, 0, 0, "PRELU", (1, 1, 256)),     # few rows, big weights: panel ranges
    (12, 12, 16, 40, 1, 1, 0, None, "SWISH", None),         # EfficientNet's expand conv + swish
    (9, 7, 13, 37, 3, 1, 0, None, "SWISH_SIG_FIRST", None), # indirect GEMM; MUL(sigmoid, x)
    (6, 6, 7, 3, 3, 1, 0, None, "SWISH", None),             # dot-product rows
    (5, 5, 16, 48, 1, 1, 0, 1, "SWISH", None),              # ADD (RELU) then swish
    (2, 2, 512, 256, 1, 1, 0, None, "SWISH", None),         # panel ranges, the tail after
    (20, 20, 32, 32, 1, 1, 3, None, "SWISH", None),         # conv RELU6, several row blocks
    (12, 12, 16, 40, 1, 1, 0, None, "HARD_SWISH", None),    # MobileNetV3's expand conv + hard swish
    (9, 7, 13, 37, 3, 1, 0, 0, "HARD_SWISH", None),         # indirect GEMM, ADD then hard swish
    (2, 2, 512, 256, 1, 1, 0, None, "HARD_SWISH", None),    # panel ranges
]


# DEPTHWISE_CONV_2D: (H, W, C, C, kernel, stride, ...) as above, out channels = C.
DW_CASES = [
    (12, 12, 32, 32, 3, 1, 0, None, "SWISH", None),          # MobileNet / EfficientNet block
    (9, 7, 13, 13, 3, 2, 0, None, "SWISH_SIG_FIRST", None),  # stride 2, 8 + 5 channels
    (8, 8, 24, 24, 3, 1, 3, 0, "PRELU", (24,)),              # RELU6, ADD, PRELU
    (6, 5, 40, 40, 5, 1, 0, 1, None, None),                  # ADD with RELU alone
    (10, 10, 16, 16, 3, 1, 0, None, "RELU6", None),
    (12, 12, 72, 72, 3, 2, 0, None, "HARD_SWISH", None),     # MobileNetV3's depthwise + hard swish
    (25, 5, 32, 32, 3, 1, 0, 0, "HARD_SWISH", None),         # 5 columns: pixel groups, ADD
]


def model(case, conv_is_output: bool, residual_first: bool = True, depthwise: bool = False):
    h, w, c, o, k, s, act, add_act, tail, alpha_shape = case
    rng = np.random.default_rng(h * 1000 + w * 100 + c + o)
    g = Graph()
    x = g.tensor((1, h, w, c), np.float32, graph_input=True)
    oh, ow = -(-h // s), -(-w // s)
    y = g.tensor((1, oh, ow, o), np.float32)
    bias = g.tensor((o,), np.float32, data=rng.standard_normal(o))
    if depthwise:
        filt = g.tensor((1, k, k, o), np.float32, data=rng.standard_normal((1, k, k, o)) / k)
        g.op("DEPTHWISE_CONV_2D", [x, filt, bias], [y], padding=S.Padding.SAME, strideH=s,
             strideW=s, depthMultiplier=1, fusedActivationFunction=act)
    else:
        filt = g.tensor((o, k, k, c), np.float32,
                        data=rng.standard_normal((o, k, k, c)) / np.sqrt(k * k * c))
        g.op("CONV_2D", [x, filt, bias], [y], padding=S.Padding.SAME, strideH=s, strideW=s,
             fusedActivationFunction=act)
    outs, last = [], y
    if add_act is not None:
        r = g.tensor((1, oh, ow, o), np.float32, graph_input=True)
        z = g.tensor((1, oh, ow, o), np.float32)
        g.op("ADD", [r, y] if residual_first else [y, r], [z], fusedActivationFunction=add_act)
        last = z
    if tail is not None:
        t = g.tensor((1, oh, ow, o), np.float32)
        if tail.startswith("SWISH"):
            sig = g.tensor((1, oh, ow, o), np.float32)
            g.op("LOGISTIC", [last], [sig])
            g.op("MUL", [sig, last] if tail == "SWISH_SIG_FIRST" else [last, sig], [t],
                 fusedActivationFunction=0)
        elif tail == "PRELU":
            alpha = g.tensor(alpha_shape, np.float32,
                             data=rng.uniform(-1, 1, alpha_shape).astype(np.float32))
            g.op("PRELU", [last, alpha], [t])
        else:
            g.op(tail, [last], [t])
        last = t
    return g.save([last, y] if conv_is_output else [last])


def first(outputs):
    """run() returns the array alone for one output, a list for several."""
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def inputs(interp, seed):
    rng = np.random.default_rng(seed)
    xs = []
    for d in interp.get_input_details():
        x = (rng.standard_normal(tuple(d["shape"])) * 2).astype(np.float32)
        if len(xs):  # the residual: special values reach the ADD and what follows
            flat = x.reshape(-1)
            picks = rng.choice(flat.size, size=max(1, flat.size // 7), replace=False)
            specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 6.0, -1e30], np.float32)
            flat[picks] = specials[rng.integers(0, specials.size, size=picks.size)]
        xs.append(x)
    return xs


def paths():
    return [p for p in pyruntime.cpu_paths() if p in ("reference", "avx2", "avx512vnni", "neon")]


# The residual on either side of the ADD (cases without one: once).
CASE_SIDES = [(c, first) for c in CASES for first in ([True, False] if c[7] is not None else [True])]


DW_CASE_SIDES = [(c, first) for c in DW_CASES for first in ([True, False] if c[7] is not None else [True])]
ALL_CASES = [(c, f, False) for c, f in CASE_SIDES] + [(c, f, True) for c, f in DW_CASE_SIDES]


@pytest.mark.parametrize("isa", paths())
@pytest.mark.parametrize("case,residual_first,depthwise", ALL_CASES)
def test_fused_conv_epilogue_is_the_unfused_graph(case, residual_first, depthwise, isa, monkeypatch):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    fused = pyruntime.Interpreter(str(model(case, False, residual_first, depthwise)), profile=True)
    unfused = pyruntime.Interpreter(str(model(case, True, residual_first, depthwise)))
    xs = inputs(fused, case[0] * 7 + case[3])
    ours = first(fused.run(xs))
    ref = first(unfused.run(xs))
    if case[8] and case[8].startswith("SWISH"):
        # x * sigmoid(x) of a NaN x multiplies two NaNs (sigmoid's has its sign
        # flipped by the -x inside): which one's bits the product keeps
        # depends on the operand order the compiler picked. NaN is NaN.
        ours, ref = ours.copy(), ref.copy()
        ours[np.isnan(ours)] = np.nan
        ref[np.isnan(ref)] = np.nan
    assert ours.shape == ref.shape and np.array_equal(ours.view(np.uint32), ref.view(np.uint32))
    names = [r["op_name"] for r in fused.get_profile()]
    tail = ["LOGISTIC", "MUL"] if case[8] and case[8].startswith("SWISH") else [case[8]] if case[8] else []
    conv = "DEPTHWISE_CONV_2D" if depthwise else "CONV_2D"
    expected = "+".join([conv] + (["ADD"] if case[7] is not None else []) + tail)
    assert names == [expected], names


def test_conv_output_read_twice_is_not_fused():
    g = Graph()
    x = g.tensor((1, 4, 4, 8), np.float32, graph_input=True)
    filt = g.tensor((8, 1, 1, 8), np.float32, data=np.eye(8).reshape(8, 1, 1, 8))
    y, r, m = (g.tensor((1, 4, 4, 8), np.float32) for _ in range(3))
    g.op("CONV_2D", [x, filt], [y], padding=S.Padding.VALID, strideH=1, strideW=1,
         fusedActivationFunction=0)
    g.op("RELU", [y], [r])
    g.op("ADD", [y, r], [m], fusedActivationFunction=0)
    interp = pyruntime.Interpreter(str(g.save([m])), profile=True)
    a = (np.arange(128, dtype=np.float32).reshape(1, 4, 4, 8) - 64) / 8
    assert np.array_equal(first(interp.run([a])), a + np.maximum(a, 0))
    assert [r["op_name"] for r in interp.get_profile()] == ["CONV_2D", "RELU", "ADD"]


def test_swish_whose_input_is_read_again_is_not_fused():
    g = Graph()
    x = g.tensor((1, 4, 4, 8), np.float32, graph_input=True)
    filt = g.tensor((8, 1, 1, 8), np.float32, data=np.eye(8).reshape(8, 1, 1, 8))
    y, sig, m, z = (g.tensor((1, 4, 4, 8), np.float32) for _ in range(4))
    g.op("CONV_2D", [x, filt], [y], padding=S.Padding.VALID, strideH=1, strideW=1,
         fusedActivationFunction=0)
    g.op("LOGISTIC", [y], [sig])
    g.op("MUL", [y, sig], [m], fusedActivationFunction=0)
    g.op("ADD", [m, y], [z], fusedActivationFunction=0)
    interp = pyruntime.Interpreter(str(g.save([z])), profile=True)
    a = (np.arange(128, dtype=np.float32).reshape(1, 4, 4, 8) - 64) / 8
    expect = a / (1 + np.exp(-a.astype(np.float64))) * 1 + a
    assert np.allclose(first(interp.run([a])), expect, rtol=1e-6, atol=1e-6)
    assert [r["op_name"] for r in interp.get_profile()] == ["CONV_2D", "LOGISTIC", "MUL", "ADD"]


@pytest.mark.parametrize("threads", [2, 3])
def test_threads_and_channelwise_conv(threads):
    """Row blocks on several workers, and a CONV_2D with one input channel per
    group (run by the depthwise kernel, the epilogue after it)."""
    for case, channelwise in [(CASES[7], False), ((9, 7, 24, 24, 3, 1, 0, 0, "PRELU", (24,)), True)]:
        h, w, c, o, k, s, act, add_act, tail, alpha_shape = case
        rng = np.random.default_rng(threads)
        g = Graph()
        x = g.tensor((1, h, w, c), np.float32, graph_input=True)
        depth = 1 if channelwise else c
        filt = g.tensor((o, k, k, depth), np.float32, data=rng.standard_normal((o, k, k, depth)))
        y = g.tensor((1, h, w, o), np.float32)
        g.op("CONV_2D", [x, filt], [y], padding=S.Padding.SAME, strideH=1, strideW=1,
             fusedActivationFunction=act)
        r, z, t = (g.tensor((1, h, w, o), np.float32, graph_input=(i == 0)) for i in range(3))
        g.op("ADD", [y, r], [z], fusedActivationFunction=add_act)
        alpha = g.tensor(alpha_shape, np.float32, data=rng.uniform(-1, 1, alpha_shape).astype(np.float32))
        g.op("PRELU", [z, alpha], [t])
        fused = pyruntime.Interpreter(str(g.save([t])), num_threads=threads, profile=True)
        unfused = pyruntime.Interpreter(str(g.save([t, y])), num_threads=threads)
        xs = inputs(fused, threads)
        ours, ref = first(fused.run(xs)), first(unfused.run(xs))
        assert np.array_equal(ours.view(np.uint32), ref.view(np.uint32)), (case, channelwise)
        assert [p["op_name"] for p in fused.get_profile()] == ["CONV_2D+ADD+PRELU"]
