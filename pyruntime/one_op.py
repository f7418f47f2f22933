"""Cut one op out of a .tflite model as a model of its own.

The quantization debugger evaluates each float op on inputs it chooses (the
dequantized activations of the quantized model), which needs the op alone:
its constants are kept, every other input becomes a graph input.

Uses the flatbuffers object API of TFLite's schema as TensorFlow (or LiteRT)
ships it; pyruntime itself never writes models.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import numpy as np


def _schema():
    # LiteRT's copy first: importing it is much faster than importing TensorFlow.
    try:
        from ai_edge_litert import schema_py_generated as schema
    except ImportError:
        try:
            from tensorflow.lite.python import schema_py_generated as schema
        except ImportError:
            raise ImportError('the quantization debugger needs TensorFlow: pip install "pyruntime[convert]"') from None
    return schema


class OpExtractor:
    """Builds single-op models from the ops of subgraph 0 of `model_bytes`."""

    def __init__(self, model_bytes: bytes):
        self.schema = _schema()
        self.model = self.schema.ModelT.InitFromPackedBuf(bytearray(model_bytes), 0)
        self.graph = self.model.subgraphs[0]

    def is_constant(self, tensor_index: int) -> bool:
        buffer = self.graph.tensors[tensor_index].buffer
        data = self.model.buffers[buffer].data if 0 < buffer < len(self.model.buffers) else None
        return data is not None and len(data) > 0

    def extract(self, op_index: int, frozen: Optional[Dict[int, np.ndarray]] = None,
                batch: Optional[int] = None) -> Tuple[bytes, List[int]]:
        """The bytes of a model running only op `op_index` (in file order) and
        the original indices of its graph inputs, in order. `frozen` inputs
        (e.g. a RESHAPE's shape, computed by SHAPE ops in the full model)
        become constants with the given values. `batch`: graph inputs whose
        first dimension the model leaves free (-1) get that size."""
        frozen = frozen or {}
        import flatbuffers

        schema = self.schema
        op = self.graph.operators[op_index]
        used = [t for t in list(op.inputs) + list(op.outputs) if t >= 0]
        order = list(dict.fromkeys(used))
        remap = {t: k for k, t in enumerate(order)}
        buffers = [schema.BufferT()]
        tensors = []
        for t in order:
            src = self.graph.tensors[t]
            tensor = schema.TensorT()
            for field in ("shape", "type", "name", "quantization", "shapeSignature", "isVariable"):
                setattr(tensor, field, getattr(src, field, None))
            tensor.buffer = 0
            if self.is_constant(t):
                buffers.append(self.model.buffers[src.buffer])
                tensor.buffer = len(buffers) - 1
            elif t in frozen:
                value = np.ascontiguousarray(frozen[t])
                buffer = schema.BufferT()
                buffer.data = np.frombuffer(value.tobytes(), dtype=np.uint8)
                buffers.append(buffer)
                tensor.buffer = len(buffers) - 1
                tensor.shape = list(value.shape)
                tensor.shapeSignature = None
            elif batch is not None and t in set(op.inputs) and tensor.shape is not None and len(tensor.shape) \
                    and tensor.shapeSignature is not None and len(tensor.shapeSignature) \
                    and tensor.shapeSignature[0] == -1:
                tensor.shape = [batch] + list(tensor.shape[1:])
            tensors.append(tensor)
        graph_inputs = [t for t in order if t in set(op.inputs) and not self.is_constant(t) and t not in frozen]
        new_op = schema.OperatorT()
        for field in ("opcodeIndex", "builtinOptionsType", "builtinOptions", "customOptions",
                      "builtinOptions2Type", "builtinOptions2"):
            if hasattr(op, field):
                setattr(new_op, field, getattr(op, field))
        new_op.inputs = [remap[t] if t >= 0 else -1 for t in op.inputs]
        new_op.outputs = [remap[t] for t in op.outputs]
        graph = schema.SubGraphT()
        graph.tensors = tensors
        graph.inputs = [remap[t] for t in graph_inputs]
        graph.outputs = [remap[t] for t in op.outputs]
        graph.operators = [new_op]
        graph.name = "one_op"
        model = schema.ModelT()
        model.version = 3
        model.operatorCodes = self.model.operatorCodes
        model.subgraphs = [graph]
        model.buffers = buffers
        model.description = "one op"
        builder = flatbuffers.Builder(1024)
        builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output()), graph_inputs
