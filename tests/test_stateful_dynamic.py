"""A stateful op in a model planned at invoke (a shape computed in the graph),
against LiteRT's reference kernels.

int8 SVDF (its state a variable tensor) feeds a RESHAPE whose shape is a graph
input: every new shape value re-plans the interpreter during invoke, after SVDF
has already updated its state. A re-plan is no reset: the state must carry on
exactly as in LiteRT, invoke after invoke, and reset_all_variables() must still
bring back the first output.
"""
import numpy as np
from ai_edge_litert import schema_py_generated as S
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import flatbuffers
import pyruntime
from test_svdf import RELU, _tensor, svdf_model


def svdf_then_reshape_model() -> bytes:
    m = S.ModelT.InitFromPackedBuf(svdf_model(True, activation=RELU), 0)
    sg = m.subgraphs[0]
    sg.tensors.append(_tensor("shape", (2,), np.int32))
    sg.tensors.append(_tensor("z", (2, 3), np.int8, (0.3, -3)))
    oc = S.OperatorCodeT()
    oc.builtinCode = oc.deprecatedBuiltinCode = S.BuiltinOperator.RESHAPE
    oc.version = 1
    m.operatorCodes.append(oc)
    op = S.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 1, [5, 6], [7]
    sg.operators.append(op)
    sg.inputs, sg.outputs = [0, 6], [7]
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def test_svdf_state_survives_replans_at_invoke():
    data = svdf_then_reshape_model()
    ref = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ours = pyruntime.Interpreter(model_content=data)
    x_index, shape_index = (d["index"] for d in ref.get_input_details())
    out_index = ref.get_output_details()[0]["index"]
    rng = np.random.default_rng(7)
    shapes = [[2, 3], [3, 2], [6, 1], [3, 2], [2, 3], [1, 6]]
    xs = [rng.integers(-128, 128, (2, 5)).astype(np.int8) for _ in shapes]
    outs = []
    for k, (x, shape) in enumerate(zip(xs + xs[:1], shapes + shapes[:1])):
        if k == len(xs):
            ours.reset_all_variables()
            ref.reset_all_variables()
        for interp in (ref, ours):
            interp.set_tensor(x_index, x)
            interp.set_tensor(shape_index, np.array(shape, np.int32))
            interp.invoke()
        r, o = ref.get_tensor(out_index), ours.get_tensor(out_index)
        assert o.shape == r.shape == tuple(shape), f"invoke {k}"
        assert np.array_equal(o, r), f"invoke {k}: {o} vs {r}"
        outs.append(r)
    assert len({o.tobytes() for o in outs[:-1]}) > 1  # the state moves the output on
    assert np.array_equal(outs[-1], outs[0])  # reset: back to the first output
