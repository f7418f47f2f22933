"""Builders of models for the data-movement, resize and min/max ops
(tests/test_ops_shapeops2.py).

``Graph`` hand-builds single- or few-op TFLite models with the flatbuffer
schema (no TensorFlow): it reaches options and dtypes the converter rarely
emits. ``keras_*`` builders make converter-made int8 models (cached like
op_models) for real-world op patterns.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import flatbuffers
import numpy as np

import model_zoo
import pyruntime
from model_zoo import _schema, args_key, cached_build
from op_models import op_model

S = _schema()
_TMP = Path(tempfile.mkdtemp(prefix="pyrt_shapeops2_"))
_counter = itertools.count()

_TFL_TYPE = {
    np.float32: S.TensorType.FLOAT32, np.int32: S.TensorType.INT32, np.uint8: S.TensorType.UINT8,
    np.int64: S.TensorType.INT64, np.int8: S.TensorType.INT8, np.int16: S.TensorType.INT16,
    np.bool_: S.TensorType.BOOL, np.float64: S.TensorType.FLOAT64,
    np.uint16: S.TensorType.UINT16, np.uint32: S.TensorType.UINT32,
}
_OPTIONS = {  # op name -> BuiltinOptions member (options class is <member>T)
    "SQUEEZE": "SqueezeOptions", "EXPAND_DIMS": "ExpandDimsOptions", "SLICE": "SliceOptions",
    "SPLIT": "SplitOptions", "SPLIT_V": "SplitVOptions", "UNPACK": "UnpackOptions",
    "TRANSPOSE": "TransposeOptions", "GATHER": "GatherOptions", "TILE": "TileOptions",
    "BROADCAST_TO": "BroadcastToOptions", "RESIZE_BILINEAR": "ResizeBilinearOptions",
    "RESIZE_NEAREST_NEIGHBOR": "ResizeNearestNeighborOptions", "REDUCE_MAX": "ReducerOptions",
    "REDUCE_MIN": "ReducerOptions", "ARG_MAX": "ArgMaxOptions", "ARG_MIN": "ArgMinOptions",
    "DEPTH_TO_SPACE": "DepthToSpaceOptions", "SPACE_TO_DEPTH": "SpaceToDepthOptions",
    "ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions", "RESHAPE": "ReshapeOptions",
    "STRIDED_SLICE": "StridedSliceOptions", "PAD": "PadOptions", "CONCATENATION":
    "ConcatenationOptions", "SHAPE": "ShapeOptions", "MIRROR_PAD": "MirrorPadOptions",
    "GATHER_ND": "GatherNdOptions", "SCATTER_ND": "ScatterNdOptions", "TOPK_V2": "TopKV2Options",
    "WHERE": "WhereOptions", "SELECT": "SelectOptions", "SELECT_V2": "SelectV2Options",
    "LOGICAL_OR": "LogicalOrOptions", "LOGICAL_AND": "LogicalAndOptions",
    "LOGICAL_NOT": "LogicalNotOptions", "REDUCE_ANY": "ReducerOptions",
    "REDUCE_ALL": "ReducerOptions", "MEAN": "ReducerOptions", "SUM": "ReducerOptions",
    "LOG_SOFTMAX": "LogSoftmaxOptions", "FILL": "FillOptions",
    "CAST": "CastOptions", "CONV_2D": "Conv2DOptions",
    "DEPTHWISE_CONV_2D": "DepthwiseConv2DOptions", "FULLY_CONNECTED": "FullyConnectedOptions",
    "LEAKY_RELU": "LeakyReluOptions", "BATCH_MATMUL": "BatchMatMulOptions",
}

# BUILTIN_REF registers BROADCAST_TO from version 2 on.
_VERSION = {S.BuiltinOperator.BROADCAST_TO: 2}


class Graph:
    """A hand-built TFLite model: ``tensor()``s, ``op()``s, then ``save(outputs)``."""

    def __init__(self):
        self.tensors, self.buffers, self.ops, self.codes = [], [S.BufferT()], [], []
        self.inputs = []

    def tensor(self, shape, dtype, q=None, data=None, graph_input=False) -> int:
        t = S.TensorT()
        t.shape = list(shape)
        t.type = _TFL_TYPE[np.dtype(dtype).type]
        t.name = f"t{len(self.tensors)}"
        if q is not None:
            t.quantization = S.QuantizationParametersT()
            t.quantization.scale, t.quantization.zeroPoint = [float(q[0])], [int(q[1])]
        if data is not None:
            b = S.BufferT()
            b.data = np.ascontiguousarray(np.asarray(data, dtype=dtype).reshape(shape)).tobytes()
            t.buffer = len(self.buffers)
            self.buffers.append(b)
        self.tensors.append(t)
        if graph_input:
            self.inputs.append(len(self.tensors) - 1)
        return len(self.tensors) - 1

    def const(self, values, dtype=np.int32) -> int:
        values = np.asarray(values, dtype=dtype)
        return self.tensor(values.shape, dtype, data=values)

    def op(self, name, ins, outs, **opts):
        code = getattr(S.BuiltinOperator, name)
        if code not in self.codes:
            self.codes.append(code)
        o = S.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = self.codes.index(code), list(ins), list(outs)
        kind = _OPTIONS.get(name)
        if kind is None:  # an op without options (FLOOR, LOGICAL_NOT, ...)
            assert not opts, (name, opts)
            self.ops.append(o)
            return
        o.builtinOptionsType = getattr(S.BuiltinOptions, kind)
        o.builtinOptions = getattr(S, kind + "T")()
        for k, v in opts.items():
            assert hasattr(o.builtinOptions, k), k
            setattr(o.builtinOptions, k, v)
        self.ops.append(o)

    def save(self, outputs) -> Path:
        m = S.ModelT()
        m.version, m.buffers = 3, self.buffers
        m.operatorCodes = []
        for code in self.codes:
            oc = S.OperatorCodeT()
            oc.builtinCode, oc.deprecatedBuiltinCode = code, min(code, 127)
            oc.version = _VERSION.get(code, 1)
            m.operatorCodes.append(oc)
        sg = S.SubGraphT()
        sg.tensors, sg.inputs, sg.outputs = self.tensors, self.inputs, list(outputs)
        sg.operators = self.ops
        m.subgraphs = [sg]
        path = _TMP / f"m{next(_counter)}.tflite"
        _write(m, path)
        # Output shapes are only hints for both runtimes, but some reference
        # kernels (SLICE) check the hint's rank: store the computed shapes.
        try:
            interp = pyruntime.Interpreter(str(path))
        except pyruntime.ModelError:
            return path  # a model for an error test
        zeros = [np.zeros(self.tensors[i].shape, _NP_TYPE[self.tensors[i].type])
                 for i in self.inputs]
        try:
            result = interp.run(zeros)
        except pyruntime.ModelError:
            return path  # shapes computed at invoke: the stored ones stay hints
        for i, r in zip(outputs, result if isinstance(result, list) else [result]):
            self.tensors[i].shape = list(r.shape)
        _write(m, path)
        return path


_NP_TYPE = {v: k for k, v in _TFL_TYPE.items()}


def _write(model, path: Path) -> None:
    b = flatbuffers.Builder(1024)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    path.write_bytes(bytes(b.Output()))


def unary(name, in_shape, dtype, consts=(), q=None, out_q=None, n_out=1, **opts) -> Path:
    """One op on one graph input plus constant inputs ``consts`` (arrays, or
    (array, dtype)); outputs get ``out_q`` (default ``q``), shapes from Prepare."""
    g = Graph()
    ins = [g.tensor(in_shape, dtype, q, graph_input=True)]
    for c in consts:
        ins.append(g.const(*c) if isinstance(c, tuple) else g.const(c))
    outs = [g.tensor([1], dtype, out_q if out_q is not None else q) for _ in range(n_out)]
    g.op(name, ins, outs, **opts)
    return g.save(outs)


def fan_out(name, in_shape, dtype, cases, q=None, out_dtype=None) -> Path:
    """Several ``name`` ops on one graph input, one output each; ``cases`` is a
    list of (constant inputs, options) pairs. One reference run checks all."""
    g = Graph()
    x = g.tensor(in_shape, dtype, q, graph_input=True)
    outs = []
    for consts, opts in cases:
        ins = [x] + [g.const(*c) if isinstance(c, tuple) else g.const(c) for c in consts]
        out = g.tensor([1], out_dtype or dtype, None if out_dtype else q)
        g.op(name, ins, [out], **opts)
        outs.append(out)
    return g.save(outs)


# ----------------------------------------------------------------------------
# Converter-made models
# ----------------------------------------------------------------------------

@op_model
def keras_resize_model(keras, in_shape=(5, 7, 3), interpolation="bilinear", size=(2, 2),
                       batch_size=1):
    """UpSampling2D (RESIZE_BILINEAR / RESIZE_NEAREST_NEIGHBOR, half_pixel_centers)."""
    x = keras.Input(in_shape, batch_size=batch_size, name="in0")
    y = keras.layers.Conv2D(4, 1)(x)
    y = keras.layers.UpSampling2D(size, interpolation=interpolation)(y)
    return [x], [y]


@op_model
def keras_resizing_model(keras, in_shape=(9, 6, 2), out_hw=(4, 11), interpolation="bilinear",
                         batch_size=1):
    """keras Resizing (down in height, up in width)."""
    x = keras.Input(in_shape, batch_size=batch_size, name="in0")
    y = keras.layers.Resizing(*out_hw, interpolation=interpolation)(x)
    return [x], [y]


@op_model
def keras_movement_ops_model(keras, in_shape=(6, 4, 5), batch_size=1):
    """Permute, split, gather, reduce_max/min, expand_dims + squeeze in
    one int8 model (several outputs)."""
    import tensorflow as tf

    x = keras.Input(in_shape, batch_size=batch_size, name="in0")
    p = keras.layers.Permute((3, 1, 2))(x)
    outs = [p]
    a, b = keras.layers.Lambda(lambda t: tf.split(t, [2, 3], axis=-1))(x)
    outs += [a, b]
    outs.append(keras.layers.Lambda(lambda t: tf.gather(t, [3, 0, 0, 2], axis=2))(x))
    outs.append(keras.layers.Lambda(lambda t: tf.reduce_max(t, axis=[1, 3], keepdims=True))(x))
    outs.append(keras.layers.Lambda(lambda t: tf.reduce_min(t, axis=-1))(x))
    outs.append(keras.layers.Lambda(
        lambda t: tf.squeeze(tf.expand_dims(t, 1), axis=1) * 2.0)(x))
    return [x], outs



def _float_shape_ops(keras, batch: int):
    """Float32 graph of resize / movement / min-max layers as Keras emits them."""
    import tensorflow as tf

    L = keras.layers
    x = keras.Input(batch_shape=(batch, 7, 5, 6), name="in0")
    up = L.UpSampling2D((2, 3), interpolation="bilinear")(L.Conv2D(4, 1)(x))
    rs = L.Resizing(4, 9, interpolation="bilinear")(x)
    nn = L.Resizing(11, 3, interpolation="nearest")(x)
    p = L.Permute((3, 1, 2))(x)
    a, b = L.Lambda(lambda t: tf.split(t, [2, 4], axis=-1))(x)
    g = L.Lambda(lambda t: tf.gather(t, [4, 0, 2, 2], axis=2))(x)
    mx = L.Lambda(lambda t: tf.reduce_max(t, axis=[1, 2]))(x)
    mn = L.Lambda(lambda t: tf.reduce_min(t, axis=-1, keepdims=True))(x)
    d2s = L.Lambda(lambda t: tf.nn.depth_to_space(t, 2))(L.Conv2D(8, 1)(x))
    return [x], [up, rs, nn, p, a, b, g, mx, mn, d2s]


def float_shape_ops_model(batch: int = 1, seed: int = 0) -> Path:
    """Cached float32 .tflite of ``_float_shape_ops`` (compare with LiteRT builtin)."""
    import model_kinds as mk

    path = mk.CACHE_DIR / f"shape_ops_f32_{args_key(batch, seed, mk.KINDS_VERSION)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(seed)
        inputs, outputs = _float_shape_ops(keras, batch)
        return mk.convert_float(keras.Model(inputs, outputs), "float32")

    return cached_build(path, build)
