"""PAD fused into the float or int8 conv that reads it (interpreter/fusion.h).

The fused conv adds the PAD's border to its window instead of reading a
padded copy; its outputs must be those of the unfused graph bit for bit (the
same graph with the PAD output also a graph output, which keeps it from
fusing), for CONV_2D and DEPTHWISE_CONV_2D, SAME and VALID, strides,
asymmetric pads; int8 ones also those of LiteRT's reference kernels, on every
kernel path (PyTorch exports pad explicitly: PAD + VALID conv).
"""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S

import pyruntime
from model_zoo import reference_outputs
from shape_models import Graph

CASES = [  # (H, W, C, O, kernel, stride, padding, pads [top, bottom, left, right])
    (9, 8, 3, 24, 3, 2, S.Padding.VALID, (1, 1, 1, 1)),    # stem after explicit PAD
    (10, 10, 8, 16, 3, 2, S.Padding.VALID, (0, 1, 0, 1)),  # TF's asymmetric SAME
    (7, 9, 5, 7, 3, 1, S.Padding.SAME, (2, 0, 1, 3)),      # PAD then SAME: both paddings
    (6, 6, 16, 1, 3, 1, S.Padding.VALID, (1, 1, 1, 1)),    # one output channel
    (5, 7, 13, 33, 1, 1, S.Padding.VALID, (1, 2, 0, 1)),   # 1x1 over the padded border
    (14, 14, 16, 24, 3, 1, S.Padding.VALID, (1, 1, 1, 1)),  # PyTorch's 3x3, enough for Winograd
    (15, 16, 24, 20, 3, 2, S.Padding.VALID, (1, 1, 1, 1)),  # PyTorch's stride 2: pad_top 1
]


# int8: input (0.05, 3), output (0.1, -5), per-tensor weights (0.02, 0).
IN_Q, OUT_Q, W_SCALE = (0.05, 3), (0.1, -5), 0.02


def pad_conv_model(case, depthwise: bool, pad_is_output: bool, dtype=np.float32, pad_q=IN_Q):
    """PAD then the conv, float32 or int8; pad_q: the int8 PAD output's
    quantization (the conv's input; IN_Q unless a test makes them differ)."""
    h, w, c, o, k, s, padding, pads = case
    rng = np.random.default_rng(h * 100 + w * 10 + c)
    s8 = dtype == np.int8
    g = Graph()
    x = g.tensor((1, h, w, c), dtype, q=IN_Q if s8 else None, graph_input=True)
    paddings = g.const([[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]])
    hp, wp = h + pads[0] + pads[1], w + pads[2] + pads[3]
    padded = g.tensor((1, hp, wp, c), dtype, q=pad_q if s8 else None)
    g.op("PAD", [x, paddings], [padded])
    out_c = c if depthwise else o
    shape = (1, k, k, c) if depthwise else (o, k, k, c)
    if s8:
        filt = g.tensor(shape, np.int8, q=(W_SCALE, 0), data=rng.integers(-127, 128, shape))
        bias = g.tensor((out_c,), np.int32, q=(pad_q[0] * W_SCALE, 0),
                        data=rng.integers(-3000, 3000, out_c))
    else:
        filt = g.tensor(shape, np.float32, data=rng.standard_normal(shape))
        bias = g.tensor((out_c,), np.float32, data=rng.standard_normal(out_c))
    if padding == S.Padding.SAME:
        oh, ow = -(-hp // s), -(-wp // s)
    else:
        oh, ow = (hp - k) // s + 1, (wp - k) // s + 1
    y = g.tensor((1, oh, ow, out_c), dtype, q=OUT_Q if s8 else None)
    opts = dict(padding=padding, strideH=s, strideW=s, fusedActivationFunction=3)
    if depthwise:
        g.op("DEPTHWISE_CONV_2D", [padded, filt, bias], [y], depthMultiplier=1, **opts)
    else:
        g.op("CONV_2D", [padded, filt, bias], [y], **opts)
    return g.save([y, padded] if pad_is_output else [y])


@pytest.mark.parametrize("depthwise", [False, True])
@pytest.mark.parametrize("case", CASES)
def test_fused_pad_conv_is_the_unfused_graph(case, depthwise):
    fused = pyruntime.Interpreter(str(pad_conv_model(case, depthwise, False)), profile=True)
    unfused = pyruntime.Interpreter(str(pad_conv_model(case, depthwise, True)))
    x = np.random.default_rng(1).standard_normal(tuple(fused.get_input_details()[0]["shape"]))
    x = (x * 3).astype(np.float32)
    ours = fused.run(x)
    ref = unfused.run(x)[0]
    assert ours.shape == ref.shape and np.array_equal(ours.view(np.uint32), ref.view(np.uint32))
    names = [r["op_name"] for r in fused.get_profile()]
    assert names == ["PAD+" + ("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D")], names


def _s8_input(model):
    shape = tuple(pyruntime.Interpreter(str(model)).get_input_details()[0]["shape"])
    return np.random.default_rng(2).integers(-128, 128, shape).astype(np.int8)


@pytest.mark.parametrize("isa", pyruntime.cpu_paths())
@pytest.mark.parametrize("depthwise", [False, True])
@pytest.mark.parametrize("case", CASES)
def test_fused_pad_conv_s8_is_bit_exact(monkeypatch, case, depthwise, isa):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    model = pad_conv_model(case, depthwise, False, np.int8)
    x = _s8_input(model)
    fused = pyruntime.Interpreter(str(model), profile=True, num_threads=2)
    ours = fused.run(x)
    names = [r["op_name"] for r in fused.get_profile()]
    assert names == ["PAD+" + ("DEPTHWISE_CONV_2D" if depthwise else "CONV_2D")], names
    unfused = pyruntime.Interpreter(str(pad_conv_model(case, depthwise, True, np.int8)))
    assert np.array_equal(ours, unfused.run(x)[0])
    ref = reference_outputs(model, [[x]])[0][0]
    assert ours.dtype == ref.dtype and np.array_equal(ours, ref)


def test_pad_with_other_quantization_stays_a_pad():
    """A PAD whose output quantization differs from its input's moves bytes
    that then mean other values: the conv must read the padded copy."""
    case = CASES[0]
    model = pad_conv_model(case, False, False, np.int8, pad_q=(0.08, -2))
    x = _s8_input(model)
    interp = pyruntime.Interpreter(str(model), profile=True)
    ours = interp.run(x)
    assert [r["op_name"] for r in interp.get_profile()] == ["PAD", "CONV_2D"]
    assert np.array_equal(ours, reference_outputs(model, [[x]])[0][0])
