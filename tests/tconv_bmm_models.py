"""Models for the TRANSPOSE_CONV / BATCH_MATMUL tests.

Two kinds:
* hand-built one-op flatbuffers (instant, full control over zero points,
  per-channel scales, fused activations and options the converter never
  emits), written to a caller-given directory;
* cached Keras conversions (Conv2DTranspose, tf.matmul, attention) in int8
  (``op_models.op_model``) and float32 (``model_kinds.convert_float``).
"""
from __future__ import annotations

from pathlib import Path
import numpy as np
from ai_edge_litert import schema_py_generated as S

import model_kinds
import op_models
import model_zoo
import tiny_models
from model_zoo import args_key, cached_build
from op_models import _inp, op_model

ACT = {None: S.ActivationFunctionType.NONE, "relu": S.ActivationFunctionType.RELU,
       "relu6": S.ActivationFunctionType.RELU6, "relu_n1_to_1": S.ActivationFunctionType.RELU_N1_TO_1}
PAD = {"same": S.Padding.SAME, "valid": S.Padding.VALID}


def _quant(scales, zero_points, dim=0) -> "S.QuantizationParametersT":
    q = S.QuantizationParametersT()
    q.scale = [float(s) for s in np.atleast_1d(scales)]
    q.zeroPoint = [int(z) for z in np.atleast_1d(zero_points)]
    q.quantizedDimension = dim
    return q


def _t(name, shape, dtype, quant=None, buffer=0) -> "S.TensorT":
    t = tiny_models.tensor(name, shape, dtype, buffer=buffer)
    t.quantization = quant
    return t


def _spread_scale(real_per_unit: float, depth: float) -> float:
    """Output scale that maps +-3 std of a sum of `depth` products of
    uniform int8 values (scaled by real_per_unit) onto the int8 range."""
    return float(3.0 * 74.0 * 74.0 * np.sqrt(max(depth, 1.0)) * real_per_unit / 127.0)


def _write(directory: Path, name: str, data: bytes) -> Path:
    path = Path(directory) / f"{name}.tflite"
    path.write_bytes(data)
    return path


def tconv_model(directory, in_shape=(1, 5, 5, 3), out_hw=None, out_c=4, kernel=(3, 3), strides=(2, 2),
                padding="same", activation=None, bias=True, dtype=np.int8, in_q=(0.05, 3),
                out_q=(None, -5), w_scales=None, w_zero_point=0, seed=0, name="tconv") -> Path:
    """One TRANSPOSE_CONV. out_hw defaults to what Keras computes (in * stride
    for SAME, (in - 1) * stride + kernel for VALID). w_scales: one scale
    (per-tensor) or out_c scales; default per-channel. An output scale of
    None spreads typical outputs over the int8 range. w_zero_point: stored
    weight zero point (the reference ignores it)."""
    rng = np.random.default_rng(seed)
    n, h, w, c = in_shape
    kh, kw = kernel
    sh, sw = strides
    if out_hw is None:
        out_hw = (h * sh, w * sw) if padding == "same" else ((h - 1) * sh + kh, (w - 1) * sw + kw)
    out_shape = (n, out_hw[0], out_hw[1], out_c)
    shape_buf = np.array(out_shape, np.int32).tobytes()
    if dtype == np.int8:
        weights = rng.integers(-127, 128, (out_c, kh, kw, c)).astype(np.int8)
        if w_scales is None:
            w_scales = rng.uniform(0.002, 0.02, out_c)
        w_scales = np.atleast_1d(w_scales)
        wq = _quant(w_scales, np.full(len(w_scales), w_zero_point, np.int64), 0)
        if out_q[0] is None:
            depth = kh * kw * c / (sh * sw)
            out_q = (_spread_scale(in_q[0] * float(np.mean(w_scales)), depth), out_q[1])
        bias_vals = rng.integers(-3000, 3000, out_c).astype(np.int32)
        bq = _quant(in_q[0] * w_scales if len(w_scales) > 1 else [in_q[0] * w_scales[0]],
                    np.zeros(len(w_scales), np.int64))
        tensors = [_t("output_shape", [4], np.int32, buffer=1),
                   _t("weights", weights.shape, np.int8, wq, buffer=2),
                   _t("x", in_shape, np.int8, _quant(*in_q)),
                   _t("bias", [out_c], np.int32, bq, buffer=3),
                   _t("y", out_shape, np.int8, _quant(*out_q))]
    else:
        weights = (rng.standard_normal((out_c, kh, kw, c)) * 0.3).astype(np.float32)
        bias_vals = (rng.standard_normal(out_c) * 0.5).astype(np.float32)
        tensors = [_t("output_shape", [4], np.int32, buffer=1),
                   _t("weights", weights.shape, np.float32, buffer=2),
                   _t("x", in_shape, np.float32), _t("bias", [out_c], np.float32, buffer=3),
                   _t("y", out_shape, np.float32)]
    opts = S.TransposeConvOptionsT()
    opts.padding, opts.strideH, opts.strideW = PAD[padding], sh, sw
    opts.fusedActivationFunction = ACT[activation]
    inputs = [0, 1, 2, 3] if bias else [0, 1, 2]
    data = tiny_models.one_op_model(
        "TRANSPOSE_CONV", tensors, inputs, [4], graph_inputs=[2], graph_outputs=[4],
        buffers=[shape_buf, weights.tobytes(), bias_vals.tobytes()],
        options=(S.BuiltinOptions.TransposeConvOptions, opts))
    return _write(directory, name, data)


def bmm_model(directory, lhs_shape=(2, 3, 4), rhs_shape=(2, 4, 5), adj_x=False, adj_y=False,
              dtype=np.int8, lhs_q=(0.05, 3), rhs_q=(0.04, -7), out_q=(None, 10), rhs_const=False,
              seed=0, name="bmm") -> Path:
    """One BATCH_MATMUL; the output shape is left for the runtime to compute
    (given as the numpy matmul shape)."""
    rng = np.random.default_rng(seed)
    a = np.zeros(lhs_shape)
    b = np.zeros(rhs_shape)
    out_shape = np.matmul(np.swapaxes(a, -1, -2) if adj_x else a, np.swapaxes(b, -1, -2) if adj_y else b).shape
    if out_q[0] is None:
        out_q = (_spread_scale(lhs_q[0] * rhs_q[0], lhs_shape[-2 if adj_x else -1]), out_q[1])
    q = (lambda qq: _quant(*qq)) if dtype == np.int8 else (lambda qq: None)
    buffers = []
    rhs_buf = 0
    if rhs_const:
        vals = (rng.integers(-128, 128, rhs_shape).astype(np.int8) if dtype == np.int8
                else rng.standard_normal(rhs_shape).astype(np.float32))
        buffers, rhs_buf = [vals.tobytes()], 1
    tensors = [_t("lhs", lhs_shape, dtype, q(lhs_q)), _t("rhs", rhs_shape, dtype, q(rhs_q), buffer=rhs_buf),
               _t("out", out_shape, dtype, q(out_q))]
    opts = S.BatchMatMulOptionsT()
    opts.adjX, opts.adjY = adj_x, adj_y
    data = tiny_models.one_op_model(
        "BATCH_MATMUL", tensors, [0, 1], [2], graph_inputs=[0] if rhs_const else [0, 1],
        buffers=buffers, options=(S.BuiltinOptions.BatchMatMulOptions, opts))
    return _write(directory, name, data)


# ---- Keras conversions (cached) ----

def _tconv_layers(keras, x, filters, kernel, strides, padding, use_bias, activation):
    init = keras.initializers.RandomNormal(stddev=0.3)
    return keras.layers.Conv2DTranspose(filters, kernel, strides=strides, padding=padding, use_bias=use_bias,
                                        bias_initializer=init, activation=activation)(x)


def _matmul(keras, a, b, transpose_a, transpose_b, scale=None):
    tf, _ = model_zoo._tf()

    def fn(t):
        y = tf.matmul(t[0], t[1], transpose_a=transpose_a, transpose_b=transpose_b)
        return y if scale is None else y * tf.constant(scale, tf.float32)
    return keras.layers.Lambda(fn)([a, b])


def _attention(keras, shape, batch_size):
    """softmax(q k^T / sqrt(d)) v on [B, H, T, D] inputs q, k, v."""
    q, k, v = (_inp(keras, shape, batch_size, i) for i in range(3))
    s = _matmul(keras, q, k, False, True, scale=float(1.0 / np.sqrt(shape[-1])))
    return [q, k, v], _matmul(keras, keras.layers.Softmax()(s), v, False, False)


@op_model
def tconv_keras(keras, in_shape=(5, 6, 3), filters=4, kernel=3, strides=2, padding="same", use_bias=True,
                batch_size=1):
    x = _inp(keras, in_shape, batch_size)
    return x, _tconv_layers(keras, x, filters, kernel, strides, padding, use_bias, None)


@op_model
def matmul_keras(keras, shape_a=(5, 6), shape_b=(7, 6), transpose_a=False, transpose_b=True, batch_size=1):
    a, b = _inp(keras, shape_a, batch_size, 0), _inp(keras, shape_b, batch_size, 1)
    return [a, b], _matmul(keras, a, b, transpose_a, transpose_b)


@op_model
def attention_keras(keras, shape=(2, 5, 8), batch_size=1):
    return _attention(keras, shape, batch_size)


def float_model(kind: str, batch: int = 1, seed: int = 0, weights: str = "float32", **kw) -> Path:
    """Float conversion of one of the Keras graphs above: kind in {"tconv",
    "matmul", "attention", "unet"}; weights "float32" or "float16" (DEQUANTIZE'd
    constants); kw are the builder's arguments."""
    key = args_key(kind, batch, seed, weights, sorted(kw.items()), "1")
    path = model_kinds.CACHE_DIR / f"tconv_bmm_{kind}_{key}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(seed)
        if kind == "tconv":
            x = _inp(keras, kw["in_shape"], batch)
            ins, out = x, _tconv_layers(keras, x, kw["filters"], kw["kernel"], kw["strides"], kw["padding"],
                                        kw.get("use_bias", True), kw.get("activation"))
        elif kind == "matmul":
            a, b = _inp(keras, kw["shape_a"], batch, 0), _inp(keras, kw["shape_b"], batch, 1)
            ins, out = [a, b], _matmul(keras, a, b, kw.get("transpose_a", False), kw.get("transpose_b", True))
        elif kind == "attention":
            ins, out = _attention(keras, kw["shape"], batch)
        elif kind == "unet":
            ins, out = _unet(keras, kw["in_shape"], kw["width"], batch)
        else:
            raise ValueError(kind)
        return model_kinds.convert_float(keras.Model(ins, out), weights)

    return cached_build(path, build)


# ---- many models, one LiteRT subprocess ----

def litert_outputs_many(jobs, resolver: str = "BUILTIN_REF"):
    """Runs LiteRT on several models in ONE subprocess (start-up dominates
    the cost of tiny models). jobs: {key: (model_path, input_sets)}.
    resolver: an OpResolverType name (BUILTIN_REF: the reference kernels).
    Returns {key: list of output lists per input set, or the error text
    when LiteRT failed on that model}."""
    import pickle
    import subprocess
    import sys
    import tempfile

    from subprocess_env import subprocess_kwargs

    with tempfile.TemporaryDirectory(prefix="pyrt_many_") as td:
        src, dst = Path(td) / "in.pkl", Path(td) / "out.pkl"
        src.write_bytes(pickle.dumps({k: (str(p), [[np.asarray(a) for a in s] for s in sets])
                                      for k, (p, sets) in jobs.items()}))
        cmd = [sys.executable, str(Path(__file__).resolve()), resolver, str(src), str(dst)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **subprocess_kwargs())
        if proc.returncode != 0:
            raise RuntimeError(f"LiteRT subprocess failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return pickle.loads(dst.read_bytes())


def _many_main(resolver: str, src: str, dst: str) -> None:
    import pickle

    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    result = {}
    for key, (path, sets) in pickle.loads(Path(src).read_bytes()).items():
        try:
            interp = Interpreter(model_path=path, num_threads=1,
                                 experimental_op_resolver_type=getattr(OpResolverType, resolver))
            interp.allocate_tensors()
            ins, outs = interp.get_input_details(), interp.get_output_details()
            result[key] = []
            for s in sets:
                if any(tuple(d["shape"]) != a.shape for d, a in zip(interp.get_input_details(), s)):
                    for d, a in zip(ins, s):  # e.g. another batch size
                        interp.resize_tensor_input(d["index"], list(a.shape))
                    interp.allocate_tensors()
                for d, a in zip(ins, s):
                    interp.set_tensor(d["index"], a)
                interp.invoke()
                result[key].append([np.array(interp.get_tensor(d["index"]), copy=True) for d in outs])
        except Exception as e:  # reported to the test, which decides
            result[key] = f"{type(e).__name__}: {e}"
    Path(dst).write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    import os
    import sys

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _many_main(*sys.argv[1:4])


def tconv_dynamic_batch_keras() -> Path:
    """int8 Conv2DTranspose with a free batch dimension: the converter
    computes output_shape with SHAPE -> STRIDED_SLICE -> PACK."""
    path = op_models.OP_CACHE_DIR / f"tconv_dynamic_batch_{args_key('1', model_zoo.ZOO_VERSION)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(0)
        x = keras.Input(shape=(5, 6, 3), name="in0")
        y = _tconv_layers(keras, x, 4, 3, 2, "same", True, None)
        rng = np.random.default_rng(0)
        rep = [[rng.standard_normal((1, 5, 6, 3)).astype(np.float32)] for _ in range(8)]
        return model_zoo.convert_int8(keras.Model(x, y), rep)

    return cached_build(path, build)


def _unet(keras, in_shape, width, batch_size):
    """A two-level U-Net: conv, pool, conv, Conv2DTranspose up, skip concat."""
    L = keras.layers
    init = keras.initializers.RandomNormal(stddev=0.3)
    x = _inp(keras, in_shape, batch_size)
    e1 = L.Conv2D(width, 3, padding="same", activation="relu", bias_initializer=init)(x)
    e2 = L.Conv2D(2 * width, 3, padding="same", activation="relu", bias_initializer=init)(L.MaxPooling2D()(e1))
    u1 = L.Conv2DTranspose(width, 2, strides=2, padding="same", bias_initializer=init)(e2)
    y = L.Conv2D(width, 3, padding="same", activation="relu", bias_initializer=init)(L.Concatenate()([u1, e1]))
    return x, L.Conv2D(2, 1, bias_initializer=init)(y)


@op_model
def unet_keras(keras, in_shape=(16, 16, 3), width=8, batch_size=1):
    return _unet(keras, in_shape, width, batch_size)
