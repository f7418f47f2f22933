"""A float RELU-family op fused into the ADD / SUB / MUL it reads (interpreter/fusion.h).

The fused op runs the binary op and then the RELU's clamp over the same
chunk; its outputs must be those of the unfused graph bit for bit (the same
graph with the intermediate tensor also a graph output, which keeps it from
fusing), NaN, infinities and signed zeros included: the RELU's clamp takes its
operands in another order than the binary op's own fused activation.
"""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime
from shape_models import Graph

# (binary op, its fused activation, RELU-family op, shape of x, shape of y)
CASES = [
    ("ADD", 0, "RELU", (1, 33, 35, 7), (1, 33, 35, 7)),       # 8085 floats: two chunks and a tail
    ("SUB", 0, "RELU6", (1, 5, 6, 24), (1, 1, 1, 24)),        # broadcast: whole tensor, then clamp
    ("MUL", 0, "RELU_N1_TO_1", (2, 3, 5), (2, 3, 5)),
    ("ADD", 3, "RELU", (1, 4, 4, 9), (1, 4, 4, 9)),           # RELU6 fused in the ADD, then RELU
    ("ADD", 1, "RELU6", (3, 17), (3, 17)),
]


def model(case, intermediate_is_output: bool):
    op, act, relu, xs, ys = case
    g = Graph()
    x = g.tensor(xs, np.float32, graph_input=True)
    y = g.tensor(ys, np.float32, graph_input=True)
    shape = np.broadcast_shapes(xs, ys)
    z = g.tensor(shape, np.float32)
    out = g.tensor(shape, np.float32)
    g.op(op, [x, y], [z], fusedActivationFunction=act)
    g.op(relu, [z], [out])
    return g.save([out, z] if intermediate_is_output else [out])


def first(outputs):
    """run() returns the array alone for one output, a list for several."""
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def special_values(rng, shape):
    x = rng.standard_normal(shape).astype(np.float32) * 4
    flat = x.reshape(-1)
    picks = rng.choice(flat.size, size=max(1, flat.size // 5), replace=False)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 6.0, -1.0, 1.0], np.float32)
    flat[picks] = specials[rng.integers(0, specials.size, size=picks.size)]
    return x


@pytest.mark.parametrize("case", CASES)
def test_fused_binary_clamp_is_the_unfused_graph(case):
    fused = pyruntime.Interpreter(str(model(case, False)), profile=True)
    unfused = pyruntime.Interpreter(str(model(case, True)))
    rng = np.random.default_rng(len(case[0]) * 10 + case[1])
    xs = [special_values(rng, tuple(d["shape"])) for d in fused.get_input_details()]
    ours = first(fused.run(xs))
    ref = first(unfused.run(xs))
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    assert np.array_equal(ours.view(np.uint32), ref.view(np.uint32)), case
    names = [r["op_name"] for r in fused.get_profile()]
    assert names == [f"{case[0]}+{case[2]}"], names


def test_binary_output_read_twice_is_not_fused():
    g = Graph()
    x = g.tensor((1, 8), np.float32, graph_input=True)
    y = g.tensor((1, 8), np.float32, graph_input=True)
    z, r, m = (g.tensor((1, 8), np.float32) for _ in range(3))
    g.op("ADD", [x, y], [z], fusedActivationFunction=0)
    g.op("RELU", [z], [r])
    g.op("MUL", [z, r], [m], fusedActivationFunction=0)
    interp = pyruntime.Interpreter(str(g.save([m])), profile=True)
    a, b = np.arange(8, dtype=np.float32).reshape(1, 8) - 4, np.ones((1, 8), np.float32)
    out = first(interp.run([a, b]))
    s = a + b
    assert np.array_equal(out, s * np.maximum(s, 0))
    assert [r["op_name"] for r in interp.get_profile()] == ["ADD", "RELU", "MUL"]
