"""Re-plans in place: shapes computed at invoke (SLICE sizes from a graph
input, as a Keras 3 RNN's loop counter slices its output list) change from
invoke to invoke; the interpreter prepares again only the ops from the change
on and keeps the arena while everything fits (interpreter.h). Every invoke's
outputs must equal LiteRT's reference kernels' for its inputs, whichever way
the re-plan went: in place, in several passes (a later SLICE reads a value
computed after the first), or in full (a tensor outgrowing its place, a
folded SHAPE of a tensor whose shape changed)."""

import numpy as np
import pytest
from ai_edge_litert import schema_py_generated as S

import pyruntime
import shape_models as sm
from model_zoo import reference_outputs


def _model(fallbacks: bool):
    g = sm.Graph()
    x = g.tensor((8, 4), np.float32, graph_input=True)
    n = g.tensor((1,), np.int32, graph_input=True)

    def op(name, ins, shape, dtype=np.float32, free=(), **opts):
        out = g.tensor(shape, dtype)
        if free:  # dimensions computed at invoke (LiteRT's SLICE checks static ones)
            g.tensors[out].shapeSignature = [-1 if i in free else d for i, d in enumerate(shape)]
        g.op(name, ins, [out], **opts)
        return out

    size_a = op("CONCATENATION", [n, g.const([4])], (2,), np.int32, axis=0)
    a = op("SLICE", [x, g.const([0, 0]), size_a], (1, 4), free=(0,))               # x[:n]
    begin_b = op("CONCATENATION", [n, g.const([0])], (2,), np.int32, axis=0)
    b = op("SLICE", [x, begin_b, g.const([-1, -1])], (1, 4), free=(0,))            # x[n:]
    rotated = op("CONCATENATION", [b, a], (8, 4), axis=0)
    m = op("SUB", [g.const([8]), n], (1,), np.int32)                    # computed after a
    size_c = op("CONCATENATION", [m, g.const([2])], (2,), np.int32, axis=0)
    c = op("SLICE", [rotated, g.const([0, 1]), size_c], (1, 2), free=(0,))         # rotated[:8 - n, 1:3]
    a_sum = op("SUM", [a, g.const([0])], (4,), keepDims=False)          # reads a, after c
    outputs = [rotated, c, a_sum]
    if fallbacks:
        outputs.append(op("SHAPE", [a], (2,), np.int32, outType=S.TensorType.INT32))
        multiples = op("CONCATENATION", [n, g.const([2])], (2,), np.int32, axis=0)
        outputs.append(op("TILE", [a, multiples], (1, 4), free=(0,)))              # n * n rows: outgrows x
    return g.save(outputs)


@pytest.mark.parametrize("fallbacks", [False, True], ids=["in_place", "with_fallbacks"])
def test_values_changing_between_invokes_match_reference(fallbacks):
    path = _model(fallbacks)
    rng = np.random.default_rng(0)
    ns = [3, 3, 5, 1, 7, 2, 2, 6, 4, 7, 1]
    sets = [[rng.standard_normal((8, 4)).astype(np.float32), np.array([k], np.int32)] for k in ns]
    expected = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(path)
    for k, (inputs, want) in enumerate(zip(sets, expected)):
        got = interp.run(inputs)
        for j, (o, r) in enumerate(zip(got, want)):
            assert o.shape == r.shape, f"invoke {k} (n={ns[k]}), output {j}: {o.shape} vs {r.shape}"
            assert np.array_equal(o, r), f"invoke {k} (n={ns[k]}), output {j}"
