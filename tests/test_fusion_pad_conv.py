"""PAD fused into the float conv that reads it (interpreter/fusion.h).

The fused conv adds the PAD's zeros to its window instead of reading a padded
copy; its outputs must be those of the unfused graph bit for bit (the same
graph with the PAD output also a graph output, which keeps it from fusing),
for CONV_2D and DEPTHWISE_CONV_2D, SAME and VALID, strides, asymmetric pads.
"""

from __future__ import annotations

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S

import pyruntime
from shape_models import Graph

CASES = [  # (H, W, C, O, kernel, stride, padding, pads [top, bottom, left, right])
    (9, 8, 3, 24, 3, 2, S.Padding.VALID, (1, 1, 1, 1)),    # stem after explicit PAD
    (10, 10, 8, 16, 3, 2, S.Padding.VALID, (0, 1, 0, 1)),  # TF's asymmetric SAME
    (7, 9, 5, 7, 3, 1, S.Padding.SAME, (2, 0, 1, 3)),      # PAD then SAME: both paddings
    (6, 6, 16, 1, 3, 1, S.Padding.VALID, (1, 1, 1, 1)),    # one output channel
    (5, 7, 13, 33, 1, 1, S.Padding.VALID, (1, 2, 0, 1)),   # 1x1 over the padded border
]


def pad_conv_model(case, depthwise: bool, pad_is_output: bool):
    h, w, c, o, k, s, padding, pads = case
    rng = np.random.default_rng(h * 100 + w * 10 + c)
    g = Graph()
    x = g.tensor((1, h, w, c), np.float32, graph_input=True)
    paddings = g.const([[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]])
    hp, wp = h + pads[0] + pads[1], w + pads[2] + pads[3]
    padded = g.tensor((1, hp, wp, c), np.float32)
    g.op("PAD", [x, paddings], [padded])
    out_c = c if depthwise else o
    if depthwise:
        filt = g.tensor((1, k, k, c), np.float32, data=rng.standard_normal((1, k, k, c)))
    else:
        filt = g.tensor((o, k, k, c), np.float32, data=rng.standard_normal((o, k, k, c)))
    bias = g.tensor((out_c,), np.float32, data=rng.standard_normal(out_c))
    if padding == S.Padding.SAME:
        oh, ow = -(-hp // s), -(-wp // s)
    else:
        oh, ow = (hp - k) // s + 1, (wp - k) // s + 1
    y = g.tensor((1, oh, ow, out_c), np.float32)
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
