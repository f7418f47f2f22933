"""Real-model zoo: architectures whose op sets go beyond the core zoo.

Each model is seeded (weights=None), made usable like ``model_zoo``'s (BN
statistics from one training-mode pass, classifier re-scaled so outputs depend
on the input), and converted to two kinds: ``int8`` (full-integer, int8 I/O,
checked bit-exact against LiteRT BUILTIN_REF) and ``float32`` (checked with
``model_kinds.max_rel_error`` against LiteRT builtin). Inputs are small
(64x64 or the application's minimum) so a cold build of everything stays in
the CI budget.

Cache: CACHE_DIR / "real" / "<name>_<kind>_v<ZOO_VERSION>.<VERSION>.tflite". A conversion
that fails is cached too, as "<...>.error.txt" holding the converter's
message, so warm runs do not retry it; ``get_model`` then raises
ConversionError with that message.

Command line (from the repo root)::

    python tests/real_models.py report [names...]   # build, time, list ops
"""
from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import model_kinds
import model_zoo
from model_zoo import cached_build

VERSION = "2"
KINDS = ("int8", "float32")
CACHE_DIR = model_zoo.CACHE_DIR / "real"
NUM_CALIB = 8
NUM_CLASSES = 10


class ConversionError(RuntimeError):
    """TFLiteConverter could not convert the model (message: its error)."""


# ----------------------------------------------------------------------------
# keras.applications
# ----------------------------------------------------------------------------

# name -> (constructor name, input side, extra kwargs). Sides are each
# application's minimum or 64; widths reduced where the constructor allows.
APPS = {
    "densenet121": ("DenseNet121", 64, {}),
    "nasnet_mobile": ("NASNetMobile", 64, {}),
    "inception_v3": ("InceptionV3", 75, {}),
    "xception": ("Xception", 71, {}),
    "efficientnet_v2_b0": ("EfficientNetV2B0", 64, {}),
    "mobilenet_v3_large": ("MobileNetV3Large", 64, {"alpha": 0.75}),
    "convnext_tiny": ("ConvNeXtTiny", 64, {}),
}


def _app(keras, name):
    ctor, side, kwargs = APPS[name]
    inp = keras.Input(batch_shape=(1, side, side, 3), name="input")
    model = getattr(keras.applications, ctor)(input_tensor=inp, weights=None, classes=NUM_CLASSES, **kwargs)
    return model, [model_zoo.calibration_data(0, NUM_CALIB, (side, side, 3))]


# ----------------------------------------------------------------------------
# Hand-built models
# ----------------------------------------------------------------------------

def _unet(keras):
    """Encoder-decoder with skip connections and every resize flavour the
    converter emits: RESIZE_BILINEAR (align_corners, half_pixel_centers,
    legacy), RESIZE_NEAREST_NEIGHBOR (align_corners, half_pixel_centers,
    legacy), plus Conv2DTranspose. Not Keras 3's UpSampling2D(nearest): it
    lowers to RESHAPE/TILE/RESHAPE, and BUILTIN_REF has no int8 TILE (v3)."""
    import tensorflow as tf

    L = keras.layers
    x = keras.Input(batch_shape=(1, 32, 32, 3), name="image")

    def block(t, c):
        t = L.Conv2D(c, 3, padding="same", use_bias=False)(t)
        t = L.BatchNormalization()(t)
        return L.ReLU()(t)

    e1 = block(x, 8)                                        # 32
    e2 = block(L.MaxPooling2D()(e1), 16)                    # 16
    e3 = block(L.MaxPooling2D()(e2), 24)                    # 8
    b = block(L.MaxPooling2D()(e3), 32)                     # 4
    r = lambda f, **kw: L.Lambda(lambda t: f(t, **kw))  # noqa: E731
    u_tc = L.Conv2DTranspose(24, 3, strides=2, padding="same")(b)                      # 8
    u_ac = r(tf.compat.v1.image.resize_bilinear, size=(8, 8), align_corners=True)(b)
    d3 = block(L.Concatenate()([u_tc, u_ac, e3]), 24)
    u_hp = L.UpSampling2D(interpolation="bilinear")(d3)                                # 16, half-pixel
    u_nn = r(tf.compat.v1.image.resize_nearest_neighbor, size=(16, 16))(d3)
    u_na = r(tf.compat.v1.image.resize_nearest_neighbor, size=(16, 16), align_corners=True)(d3)
    d2 = block(L.Concatenate()([u_hp, u_nn, u_na, e2]), 16)
    u_lg = r(tf.compat.v1.image.resize_bilinear, size=(32, 32), half_pixel_centers=False)(d2)
    u_nh = r(tf.image.resize, size=(32, 32), method="nearest")(d2)                     # half-pixel
    d1 = block(L.Concatenate()([u_lg, u_nh, e1]), 8)
    out = L.Conv2D(4, 1, name="logits")(d1)
    return keras.Model(x, out), [model_zoo.calibration_data(0, NUM_CALIB, (32, 32, 3))]


def _transformer(keras, tokens: int = 16, features: int = 12, dim: int = 32, heads: int = 4):
    """Two pre-norm encoder blocks: one with MultiHeadAttention, one with
    hand-written attention (tf.matmul + softmax); GELU MLPs, residual adds."""
    import tensorflow as tf

    L = keras.layers
    x = keras.Input(batch_shape=(1, tokens, features), name="tokens")
    h = L.Dense(dim, name="embed")(x)

    def mlp(t):
        t = L.Dense(2 * dim, activation="gelu")(t)
        return L.Dense(dim)(t)

    a = L.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
    n = L.LayerNormalization(epsilon=1e-6)(h)
    h = L.Add()([h, a(n, n)])
    h = L.Add()([h, mlp(L.LayerNormalization(epsilon=1e-6)(h))])

    n = L.LayerNormalization(epsilon=1e-6)(h)
    q, k, v = (L.Dense(dim, use_bias=False)(n) for _ in range(3))

    def attention(qkv):
        q_, k_, v_ = qkv
        s = tf.matmul(q_, k_, transpose_b=True) * (1.0 / float(np.sqrt(dim)))
        return tf.matmul(tf.nn.softmax(s, axis=-1), v_)

    h = L.Add()([h, L.Dense(dim)(L.Lambda(attention)([q, k, v]))])
    h = L.Add()([h, mlp(L.LayerNormalization(epsilon=1e-6)(h))])
    h = L.GlobalAveragePooling1D()(L.LayerNormalization(epsilon=1e-6)(h))
    out = L.Dense(NUM_CLASSES, name="logits")(h)
    return keras.Model(x, out), [model_zoo.calibration_data(0, NUM_CALIB, (tokens, features))]


def _kws(keras, batch=1):
    """DS-CNN keyword spotter on a 49x10 MFCC map (the MLPerf Tiny layout)."""
    L = keras.layers
    x = keras.Input(batch_shape=(batch, 49, 10, 1), name="mfcc")
    t = L.Conv2D(32, (10, 4), strides=(2, 2), padding="same", use_bias=False)(x)
    t = L.ReLU()(L.BatchNormalization()(t))
    for _ in range(3):
        t = L.DepthwiseConv2D(3, padding="same", use_bias=False)(t)
        t = L.ReLU()(L.BatchNormalization()(t))
        t = L.Conv2D(32, 1, use_bias=False)(t)
        t = L.ReLU()(L.BatchNormalization()(t))
    t = L.AveragePooling2D(pool_size=(t.shape[1], t.shape[2]))(t)
    t = L.Dense(12, name="logits")(L.Flatten()(t))
    out = L.Softmax()(t)
    return keras.Model(x, out), [model_zoo.calibration_data(0, NUM_CALIB, (49, 10, 1))]


def _mlp(keras):
    L = keras.layers
    x = keras.Input(batch_shape=(1, 64), name="features")
    t = L.Dense(96, activation="relu")(x)
    out = L.Dense(NUM_CLASSES, name="logits")(t)
    return keras.Model(x, out), [model_zoo.calibration_data(0, NUM_CALIB, (64,))]


CUSTOM = {"unet": _unet, "transformer": _transformer, "kws_dscnn": _kws, "mlp": _mlp}
MODEL_NAMES = tuple(APPS) + tuple(CUSTOM)

# ----------------------------------------------------------------------------
# Build + cache
# ----------------------------------------------------------------------------

_KERAS: dict = {}


def keras_model(name: str, seed: int = 0):
    """(calibrated Keras model, calibration inputs: one array per model input,
    SavedModel directory of it shared by both kinds' conversions)."""
    if name in _KERAS:
        return _KERAS[name]
    _, keras = model_zoo._tf()
    keras.utils.set_random_seed(seed)
    model, xs = _app(keras, name) if name in APPS else CUSTOM[name](keras)
    model_zoo.calibrate_batchnorm(model, xs[0])
    model_zoo.calibrate_classifier(model, xs[0])
    for _, (_, _, d) in _KERAS.items():  # at most one model in memory
        d.cleanup()
    _KERAS.clear()
    _KERAS[name] = (model, xs, _export(keras, model))
    return _KERAS[name]


def _export(keras, model) -> tempfile.TemporaryDirectory:
    """The SavedModel TFLiteConverter.from_keras_model writes for a Keras 3
    functional model (inference call, the inputs' static shapes). Exporting
    is about half the cost of a conversion: do it once for both kinds."""
    import tensorflow as tf

    saved = tempfile.TemporaryDirectory(prefix="pyrt_real_")
    archive = keras.export.ExportArchive()
    archive.track(model)
    spec = [tf.TensorSpec(t.shape, dtype=t.dtype, name=t.name) for t in model.inputs]
    archive.add_endpoint("serve", lambda *a: model(*a, training=False), spec if len(spec) == 1 else [spec])
    with contextlib.redirect_stdout(io.StringIO()), model_zoo._warnings_off():
        archive.write_out(saved.name)
    return saved


def _convert(name: str, kind: str) -> bytes:
    """model_zoo.convert_int8 / model_kinds.convert_float recipes, from the
    shared SavedModel export."""
    tf, _ = model_zoo._tf()
    model, xs, saved = keras_model(name)
    converter = tf.lite.TFLiteConverter.from_saved_model(saved.name)
    if kind == "int8":
        names = [t.name for t in model.inputs]  # signature input names
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: (
            {n: x[i : i + 1] for n, x in zip(names, xs)} for i in range(len(xs[0])))
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()), model_zoo._warnings_off():
        return converter.convert()


def model_path(name: str, kind: str) -> Path:
    return CACHE_DIR / f"{name}_{kind}_v{model_zoo.ZOO_VERSION}.{VERSION}.tflite"


def error_path(name: str, kind: str) -> Path:
    return model_path(name, kind).with_suffix(".error.txt")


def get_model(name: str, kind: str) -> Path:
    """Cached .tflite of ``name`` / ``kind``; raises ConversionError (with the
    converter's message, also cached) when TensorFlow cannot convert it."""
    if name not in MODEL_NAMES or kind not in KINDS:
        raise ValueError(f"unknown model/kind {name!r}/{kind!r}; known {MODEL_NAMES} x {KINDS}")
    path, err = model_path(name, kind), error_path(name, kind)
    if err.is_file():
        raise ConversionError(err.read_text())

    def build() -> bytes:
        try:
            return _convert(name, kind)
        except Exception as e:  # the converter raises assorted types
            message = f"{type(e).__name__}: {e}"
            model_zoo._atomic_write(err, message.encode())
            raise ConversionError(message) from e

    return cached_build(path, build)


# ----------------------------------------------------------------------------
# Multi-subgraph models (SavedModel with several signatures -> converter)
# ----------------------------------------------------------------------------

def _signature_module(tf):
    """Three float32 signatures; the converter sorts subgraphs by key, so
    "decode" is subgraph 0, "encode" 1 and "loop" 2 (a WHILE whose cond and
    body are subgraphs 3 and 4). decode/encode take a free batch dimension."""
    rng = np.random.default_rng(0)
    spec = lambda shape, name: [tf.TensorSpec(shape, tf.float32, name=name)]  # noqa: E731

    class Module(tf.Module):
        def __init__(self):
            super().__init__()
            self.w_enc = tf.Variable(rng.standard_normal((8, 16)).astype(np.float32))
            self.b_enc = tf.Variable(rng.standard_normal(16).astype(np.float32))
            self.w_dec = tf.Variable(rng.standard_normal((4, 8)).astype(np.float32))

        @tf.function(input_signature=spec([None, 8], "x"))
        def encode(self, x):
            return {"code": tf.nn.relu(tf.matmul(x, self.w_enc) + self.b_enc)}

        @tf.function(input_signature=spec([None, 4], "z"))
        def decode(self, z):
            return {"recon": tf.matmul(z, self.w_dec) * 0.5}

        @tf.function(input_signature=spec([1, 4], "s"))
        def loop(self, s):
            body = lambda i, v: (i + 1, tf.tanh(v) * 1.5 + 0.1)  # noqa: E731
            return {"state": tf.while_loop(lambda i, v: i < 3, body, [tf.constant(0), s])[1]}

    return Module()


def signature_model(keys=("decode", "encode", "loop")) -> Path:
    """Cached float32 .tflite with one subgraph per signature in ``keys``."""
    keys = sorted(keys)
    path = CACHE_DIR / f"signatures_{'_'.join(keys)}_v{VERSION}.tflite"

    def build() -> bytes:
        tf, _ = model_zoo._tf()
        module = _signature_module(tf)
        with tempfile.TemporaryDirectory() as d, contextlib.redirect_stdout(io.StringIO()):
            tf.saved_model.save(module, d, signatures={k: getattr(module, k) for k in keys})
            return tf.lite.TFLiteConverter.from_saved_model(d, signature_keys=list(keys)).convert()

    return cached_build(path, build)


def dynamic_kws_model() -> Path:
    """The keyword spotter in float32 with a free batch dimension."""
    path = CACHE_DIR / f"kws_dscnn_dynamic_float32_v{VERSION}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(0)
        model, xs = _kws(keras, batch=None)
        model_zoo.calibrate_batchnorm(model, xs[0])
        return model_kinds.convert_float(model, "float32")

    return cached_build(path, build)


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------

def unsupported_ops(path) -> str:
    """What pyruntime says when loading ``path`` ("" when it loads)."""
    import pyruntime

    try:
        pyruntime.Interpreter(str(path))
    except Exception as e:  # noqa: BLE001 - reported verbatim
        return f"{type(e).__name__}: {e}"
    return ""


def _report(names) -> int:
    for name in names:
        for kind in KINDS:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                p = get_model(name, kind)
            except ConversionError as e:
                print(f"## {name}/{kind}: CONVERSION FAILED ({time.perf_counter() - t0:.1f}s)\n{e}\n", flush=True)
                continue
            tb, cb = time.perf_counter() - t0, time.process_time() - c0
            t0 = time.perf_counter()
            if kind == "int8":
                model_zoo.reference_outputs(p, [model_zoo.random_inputs(p, s) for s in (0, 1, 2)])
            else:
                model_kinds.float_oracle(p, [model_kinds.random_float_inputs(p, s) for s in (0, 1, 2)])
            tr = time.perf_counter() - t0
            print(f"## {name}/{kind}: build {tb:.1f}s ({cb:.1f}s CPU), 3 reference runs {tr:.1f}s, {p.stat().st_size / 1e6:.2f} MB\n"
                  f"ops: {' '.join(model_zoo.distinct_ops(p))}\n"
                  f"pyruntime: {unsupported_ops(p) or 'loads'}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if len(sys.argv) < 2 or sys.argv[1] != "report":
        sys.exit(__doc__)
    sys.exit(_report(sys.argv[2:] or MODEL_NAMES))
