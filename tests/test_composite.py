"""STABLEHLO_COMPOSITE runs its decomposition subgraph: a model built with the
flatbuffer object API whose main graph calls a composite "my.axpb" decomposed into
MUL and ADD (float32), compared with LiteRT and with NumPy."""
import flatbuffers
from flatbuffers import flexbuffers
import numpy as np
from ai_edge_litert import schema_py_generated as S
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import pyruntime
from test_svdf import _tensor


def _code(name):
    oc = S.OperatorCodeT()
    oc.builtinCode = getattr(S.BuiltinOperator, name)
    oc.deprecatedBuiltinCode = min(oc.builtinCode, 127)
    oc.version = 1
    return oc


def _op(code, inputs, outputs):
    op = S.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = code, list(inputs), list(outputs)
    return op


def composite_model(shape=(2, 3)) -> bytes:
    main = S.SubGraphT()
    main.tensors = [_tensor("a", shape, np.float32), _tensor("x", shape, np.float32),
                    _tensor("y", shape, np.float32)]
    comp = _op(0, [0, 1], [2])
    opts = S.StableHLOCompositeOptionsT()
    opts.name, opts.decompositionSubgraphIndex, opts.version = "my.axpb", 1, 1
    opts.compositeAttributes = list(flexbuffers.Dumps({}))  # LiteRT requires the field
    opts.compositeAttributesFormat = S.CustomOptionsFormat.FLEXBUFFERS
    comp.builtinOptions2Type, comp.builtinOptions2 = S.BuiltinOptions2.StableHLOCompositeOptions, opts
    main.inputs, main.outputs, main.operators, main.name = [0, 1], [2], [comp], "main"
    dec = S.SubGraphT()
    dec.tensors = [_tensor("a", shape, np.float32), _tensor("x", shape, np.float32),
                   _tensor("ax", shape, np.float32), _tensor("out", shape, np.float32)]
    dec.inputs, dec.outputs, dec.name = [0, 1], [3], "my.axpb.impl"
    dec.operators = [_op(1, [0, 1], [2]), _op(2, [2, 0], [3])]  # a*x + a
    m = S.ModelT()
    m.version, m.subgraphs, m.buffers = 3, [main, dec], [S.BufferT()]
    m.operatorCodes = [_code("STABLEHLO_COMPOSITE"), _code("MUL"), _code("ADD")]
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def test_composite_runs_its_decomposition():
    data = composite_model()
    rng = np.random.default_rng(0)
    a, x = (rng.uniform(-2, 2, (2, 3)).astype(np.float32) for _ in range(2))
    ours = pyruntime.Interpreter(model_content=data).run([a, x])
    np.testing.assert_allclose(ours, a * x + a, rtol=1e-6)
    ref = LiteRT(model_content=data, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    ref.allocate_tensors()
    ins = ref.get_input_details()
    for d, v in zip(ins, (a, x)):
        ref.set_tensor(d["index"], v)
    ref.invoke()
    assert mk.max_rel_error(ours, ref.get_tensor(ref.get_output_details()[0]["index"])) <= 1e-6
