"""A float CONV_2D whose output only a DEPTHWISE_CONV_2D reads, run with it
(and with the pointwise CONV_2D that alone reads the depthwise's output, if
any) in bands of rows (interpreter/conv_f32_fusion.h,
kernels/reference/conv_then_depthwise_f32.h).

Each band's input rows are computed by the conv into a small window that the
depthwise reads, keeping rows the next band shares, and the depthwise's
rows go to a second window that the pointwise conv reads; the outputs must be
those of the unfused graph bit for bit (the same graph with the conv's
output also a graph output, which keeps it from fusing), on every kernel
path this CPU runs, at several thread counts (bands split across workers,
a worker taking bands from another's range), for pointwise convs (rows read
in place), strided convs (indirection table kept whole: bands starting off
its 6-row groups), the convs' epilogues (the last conv's ADD included) and
a non-pointwise conv after the depthwise (left out of the bands).
"""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S

import pyruntime
from shape_models import Graph

SAME, VALID = S.Padding.SAME, S.Padding.VALID

# (batch, H, W, C in, C mid, conv kernel, conv stride, conv activation, conv tail,
#  dw kernel, dw stride, dw dilation, dw padding, dw activation, dw tail)
CASES = [
    # MobileNetV2's expand 1x1 + RELU6, depthwise 3x3 stride 2 (odd width)
    (1, 56, 49, 16, 96, 1, 1, 3, None, 3, 2, 1, SAME, 3, None),
    # stride 1, a band's last two rows kept for the next
    (1, 60, 36, 24, 144, 1, 1, 3, None, 3, 1, 1, SAME, 3, None),
    # the stem: 3x3 stride 2 from 3 channels (indirection table), depthwise stride 1
    (1, 193, 190, 3, 32, 3, 2, 3, None, 3, 1, 1, SAME, 3, None),
    # two images: bands end at each image's last row
    (2, 40, 35, 8, 100, 1, 1, 0, "HARD_SWISH", 3, 2, 1, SAME, 0, "HARD_SWISH"),
    # 5x5 depthwise, dilation 2, VALID; conv with swish (EfficientNet)
    (1, 47, 45, 12, 136, 1, 1, 0, "SWISH", 5, 1, 2, VALID, 0, "SWISH"),
    # depthwise then ADD of a graph input (its epilogue's residual) and RELU
    (1, 48, 40, 16, 144, 1, 1, 3, None, 3, 1, 1, SAME, 0, "ADD_RELU"),
    # rows wider than the window: one output row per band
    (1, 6, 2600, 4, 40, 1, 1, 1, None, 3, 1, 1, SAME, 1, None),
    # a 1x1 stride-2 conv (indirect), 7 channels: a masked panel tail
    (1, 190, 130, 5, 7 * 13, 1, 2, 0, "PRELU", 3, 2, 1, SAME, 3, None),
]


PROJECTS = [None, "conv_add"]


def elementwise_tail(g, rng, x, shape, tail):
    """tail (None, "SWISH", "PRELU" or a unary op's name) applied to x; its output."""
    if tail is None:
        return x
    y = g.tensor(shape, np.float32)
    if tail == "SWISH":
        sig = g.tensor(shape, np.float32)
        g.op("LOGISTIC", [x], [sig])
        g.op("MUL", [x, sig], [y], fusedActivationFunction=0)
    elif tail == "PRELU":
        alpha = g.tensor(shape[-1:], np.float32, data=rng.uniform(-1, 1, shape[-1]).astype(np.float32))
        g.op("PRELU", [x, alpha], [y])
    else:
        g.op(tail, [x], [y])
    return y


def model(case, mid_is_output: bool, project=None):
    """project: None, "conv" (1x1), "conv_add" (1x1, then ADD of a graph
    input) or "conv3x3" after the depthwise."""
    (n, h, w, cin, cmid, k, s, act, tail, dk, ds, dd, dpad, dact, dtail) = case
    rng = np.random.default_rng(h * 1000 + w + cmid)
    g = Graph()
    x = g.tensor((n, h, w, cin), np.float32, graph_input=True)
    ch, cw = -(-h // s), -(-w // s)
    conv_out = g.tensor((n, ch, cw, cmid), np.float32)
    filt = g.tensor((cmid, k, k, cin), np.float32,
                    data=rng.standard_normal((cmid, k, k, cin)) / np.sqrt(k * k * cin))
    bias = g.tensor((cmid,), np.float32, data=rng.standard_normal(cmid) * 0.1)
    g.op("CONV_2D", [x, filt, bias], [conv_out], padding=SAME, strideH=s, strideW=s,
         dilationHFactor=1, dilationWFactor=1, fusedActivationFunction=act)
    mid = elementwise_tail(g, rng, conv_out, (n, ch, cw, cmid), tail)
    span = (dk - 1) * dd + 1
    if dpad == SAME:
        oh, ow = -(-ch // ds), -(-cw // ds)
    else:
        oh, ow = (ch - span) // ds + 1, (cw - span) // ds + 1
    y = g.tensor((n, oh, ow, cmid), np.float32)
    dfilt = g.tensor((1, dk, dk, cmid), np.float32, data=rng.standard_normal((1, dk, dk, cmid)) / dk)
    dbias = g.tensor((cmid,), np.float32, data=rng.standard_normal(cmid) * 0.1)
    g.op("DEPTHWISE_CONV_2D", [mid, dfilt, dbias], [y], padding=dpad, strideH=ds, strideW=ds,
         depthMultiplier=1, dilationHFactor=dd, dilationWFactor=dd, fusedActivationFunction=dact)
    last = y
    if dtail == "ADD_RELU":
        r = g.tensor((n, oh, ow, cmid), np.float32, graph_input=True)
        last = g.tensor((n, oh, ow, cmid), np.float32)
        g.op("ADD", [y, r], [last], fusedActivationFunction=1)
    else:
        last = elementwise_tail(g, rng, y, (n, oh, ow, cmid), dtail)
    if project is not None:
        pk = 3 if project == "conv3x3" else 1
        cout = 24 if cmid > 30 else 5
        pfilt = g.tensor((cout, pk, pk, cmid), np.float32,
                         data=rng.standard_normal((cout, pk, pk, cmid)) / np.sqrt(pk * pk * cmid))
        p = g.tensor((n, oh, ow, cout), np.float32)
        g.op("CONV_2D", [last, pfilt], [p], padding=SAME, strideH=1, strideW=1,
             dilationHFactor=1, dilationWFactor=1, fusedActivationFunction=0)
        last = p
        if project == "conv_add":
            r = g.tensor((n, oh, ow, cout), np.float32, graph_input=True)
            last = g.tensor((n, oh, ow, cout), np.float32)
            g.op("ADD", [r, p], [last], fusedActivationFunction=0)
    return g.save([last, mid] if mid_is_output else [last])


def first(outputs):
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def inputs(interp, seed):
    rng = np.random.default_rng(seed)
    xs = [(rng.standard_normal(tuple(d["shape"])) * 2).astype(np.float32)
          for d in interp.get_input_details()]
    # Signed zeros, infinities and NaN through both convs.
    flat = xs[0].reshape(-1)
    picks = rng.choice(flat.size, size=16, replace=False)
    flat[picks] = np.array([0.0, -0.0, np.inf, -np.inf] * 4, np.float32)
    flat[picks[0]] = np.nan
    return xs


def paths():
    return [p for p in pyruntime.cpu_paths() if p in ("reference", "avx2", "avx512vnni", "neon")]


def same_bits(a, b):
    # A NaN's payload bits depend on which NaN operand a product keeps (the
    # compiler's operand order in the swish): NaN is NaN.
    a, b = a.copy(), b.copy()
    a[np.isnan(a)] = np.nan
    b[np.isnan(b)] = np.nan
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


CASE_PROJECTS = [(c, p) for c in CASES for p in PROJECTS] + [
    (CASES[1], "conv"), (CASES[4], "conv"), (CASES[0], "conv3x3"), (CASES[3], "conv3x3")]


@pytest.mark.parametrize("threads", [1, 2, 7])
@pytest.mark.parametrize("isa", paths())
@pytest.mark.parametrize("case,project", CASE_PROJECTS, ids=range(len(CASE_PROJECTS)))
def test_banded_conv_depthwise_is_the_unfused_graph(case, project, isa, threads, monkeypatch):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    fused = pyruntime.Interpreter(str(model(case, False, project)), num_threads=threads,
                                  profile=True)
    unfused = pyruntime.Interpreter(str(model(case, True, project)), num_threads=threads)
    xs = inputs(fused, case[1] + threads)
    ours, ref = first(fused.run(xs)), first(unfused.run(xs))
    assert np.isfinite(ref).any()
    assert same_bits(ours, ref)
    names = [r["op_name"] for r in fused.get_profile()]
    banded = [name for name in names if name.startswith("CONV_2D") and "+DEPTHWISE_CONV_2D" in name]
    assert len(banded) == 1, names
    convs = banded[0].split("+").count("CONV_2D")  # the project conv joins the bands, or not
    assert convs == (2 if project in ("conv", "conv_add") else 1), names
    assert banded[0].endswith("+ADD") == (project == "conv_add" or case[-1] == "ADD_RELU"), names
    if threads == 1:  # the intermediate tensor has no place in the arena, one window has
        assert fused.arena_bytes < unfused.arena_bytes


def test_runs_again_after_the_arena_moves():
    """The stem's indirection table is rebuilt for a new input address."""
    case = CASES[2]
    fused = pyruntime.Interpreter(str(model(case, False)), profile=True)
    unfused = pyruntime.Interpreter(str(model(case, True)))
    xs = inputs(fused, 5)
    ref = first(unfused.run(xs))
    assert same_bits(first(fused.run(xs)), ref)
    fused.allocate_tensors()  # a new arena
    assert same_bits(first(fused.run(xs)), ref)


def names_of(case_model, threads=1):
    interp = pyruntime.Interpreter(str(case_model), num_threads=threads, profile=True)
    xs = inputs(interp, 0)
    interp.run(xs)
    return interp, xs, [r["op_name"] for r in interp.get_profile()]


def test_small_intermediate_is_not_banded():
    """An intermediate tensor that stays in L2 between the two ops (here
    28x28x96 floats, 301 KB) is left to the unfused ops."""
    case = (1, 28, 28, 16, 96, 1, 1, 3, None, 3, 1, 1, SAME, 3, None)
    _, _, names = names_of(model(case, False))
    assert names == ["CONV_2D", "DEPTHWISE_CONV_2D"], names


def test_narrow_map_keeps_its_pixel_groups():
    """A depthwise on a map <= 8 columns wide reads its taps from a table of
    the whole image (pixel groups): not banded, and still exact."""
    case = (1, 900, 8, 8, 40, 1, 1, 0, None, 3, 1, 1, SAME, 0, None)
    interp, xs, names = names_of(model(case, False))
    assert names == ["CONV_2D", "DEPTHWISE_CONV_2D"], names
    unfused = pyruntime.Interpreter(str(model(case, True)))
    assert same_bits(first(interp.run(xs)), first(unfused.run(xs)))


def test_conv_with_residual_add_is_banded():
    """A conv whose epilogue adds a residual (CONV_2D+ADD) feeding a
    depthwise: the band's conv rows add their rows of the residual (two
    images: rows of the second)."""
    rng = np.random.default_rng(3)
    n, h, w, c = 2, 36, 40, 96
    g = Graph()
    x = g.tensor((n, h, w, c), np.float32, graph_input=True)
    r = g.tensor((n, h, w, c), np.float32, graph_input=True)
    y, z, out = (g.tensor((n, h, w, c), np.float32) for _ in range(3))
    filt = g.tensor((c, 1, 1, c), np.float32, data=rng.standard_normal((c, 1, 1, c)) / 10)
    g.op("CONV_2D", [x, filt], [y], padding=SAME, strideH=1, strideW=1, fusedActivationFunction=0)
    g.op("ADD", [y, r], [z], fusedActivationFunction=0)
    dfilt = g.tensor((1, 3, 3, c), np.float32, data=rng.standard_normal((1, 3, 3, c)))
    g.op("DEPTHWISE_CONV_2D", [z, dfilt], [out], padding=SAME, strideH=2, strideW=2,
         depthMultiplier=1, fusedActivationFunction=0)
    for threads in (1, 2):
        interp = pyruntime.Interpreter(str(g.save([out])), num_threads=threads, profile=True)
        xs = [rng.standard_normal((n, h, w, c)).astype(np.float32) for _ in range(2)]
        got = first(interp.run(xs))
        assert [p["op_name"] for p in interp.get_profile()] == ["CONV_2D+ADD+DEPTHWISE_CONV_2D"]
        unfused = pyruntime.Interpreter(str(g.save([out, z])), num_threads=threads)
        assert same_bits(got, first(unfused.run(xs)))


def test_intermediate_read_twice_is_not_banded():
    rng = np.random.default_rng(4)
    n, h, w, c = 1, 64, 48, 96
    g = Graph()
    x = g.tensor((n, h, w, c), np.float32, graph_input=True)
    y, d, out = (g.tensor((n, h, w, c), np.float32) for _ in range(3))
    filt = g.tensor((c, 1, 1, c), np.float32, data=rng.standard_normal((c, 1, 1, c)) / 10)
    g.op("CONV_2D", [x, filt], [y], padding=SAME, strideH=1, strideW=1, fusedActivationFunction=0)
    dfilt = g.tensor((1, 3, 3, c), np.float32, data=rng.standard_normal((1, 3, 3, c)))
    g.op("DEPTHWISE_CONV_2D", [y, dfilt], [d], padding=SAME, strideH=1, strideW=1,
         depthMultiplier=1, fusedActivationFunction=0)
    g.op("SUB", [d, y], [out], fusedActivationFunction=0)
    interp = pyruntime.Interpreter(str(g.save([out])), profile=True)
    a = rng.standard_normal((n, h, w, c)).astype(np.float32)
    got = first(interp.run([a]))
    assert [p["op_name"] for p in interp.get_profile()] == ["CONV_2D", "DEPTHWISE_CONV_2D", "SUB"]
    unfused = pyruntime.Interpreter(str(g.save([out, y])))
    assert same_bits(got, first(unfused.run([a])))
