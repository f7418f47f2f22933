"""Hand-built one-op .tflite models in memory, for misuse and validation tests.

Built with the flatbuffers object API LiteRT ships; tiny and instant, so
tests need no cache.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

import flatbuffers
import numpy as np
from ai_edge_litert import schema_py_generated as S

_TT = {np.float32: S.TensorType.FLOAT32, np.int8: S.TensorType.INT8,
       np.uint8: S.TensorType.UINT8, np.int16: S.TensorType.INT16, np.int32: S.TensorType.INT32}


def tensor(name: str, shape: Sequence[int], dtype, quant: Optional[Tuple[float, int]] = None,
           buffer: int = 0) -> "S.TensorT":
    t = S.TensorT()
    t.name, t.shape, t.type, t.buffer = name, list(shape), _TT[dtype], buffer
    if quant is not None:
        q = S.QuantizationParametersT()
        q.scale, q.zeroPoint = [float(quant[0])], [int(quant[1])]
        t.quantization = q
    return t


def one_op_model(op: str, tensors, inputs, outputs, graph_inputs=None, graph_outputs=None,
                 buffers=(), options=None) -> bytes:
    """A single-op model. `buffers` are raw bytes for buffer indices 1, 2, ..."""
    code = getattr(S.BuiltinOperator, op)
    oc = S.OperatorCodeT()
    oc.builtinCode, oc.deprecatedBuiltinCode, oc.version = code, min(code, 127), 1
    o = S.OperatorT()
    o.opcodeIndex, o.inputs, o.outputs = 0, list(inputs), list(outputs)
    if options is not None:
        o.builtinOptionsType, o.builtinOptions = options
    sg = S.SubGraphT()
    sg.tensors = list(tensors)
    sg.inputs = list(inputs if graph_inputs is None else graph_inputs)
    sg.outputs = list(outputs if graph_outputs is None else graph_outputs)
    sg.operators = [o]
    bufs = [S.BufferT()]
    for data in buffers:
        b = S.BufferT()
        b.data = np.frombuffer(bytes(data), np.uint8)
        bufs.append(b)
    m = S.ModelT()
    m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, [oc], [sg], bufs
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def quantize_model(shape=(4,), scale=0.5, zero_point=3, out_dtype=np.int8) -> bytes:
    """float32 -> QUANTIZE -> int8 (per-tensor)."""
    return one_op_model("QUANTIZE", [tensor("x", shape, np.float32),
                                     tensor("q", shape, out_dtype, (scale, zero_point))], [0], [1])


def add_model(shape=(4,), quant=(0.5, 0)) -> bytes:
    """int8 a + b -> int8, all with the same quantization."""
    ts = [tensor(n, shape, np.int8, quant) for n in ("a", "b", "y")]
    return one_op_model("ADD", ts, [0, 1], [2])
