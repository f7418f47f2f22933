"""Bit-exactness of SOFTMAX, LOGISTIC, HARD_SWISH, QUANTIZE and DEQUANTIZE.

Two kinds of models:
* Keras-converted ones (``op_models`` builders, plus ``_keras_op_model`` here
  whose representative data range we choose, to push zero points to -128 / 127);
* hand-written one-op flatbuffers (``_one_op_model``) for what the converter
  never emits: any scale / zero point / beta, int8 -> int8 requantization,
  int16, parameters the reference rejects.
"""

from __future__ import annotations

import numpy as np
import pytest

import model_zoo
import op_models
import pyruntime
from bitexact import assert_bit_exact
from model_zoo import ReferenceRunError, args_key, cached_build, convert_int8, reference_outputs

SCHEMA = model_zoo._schema()
CACHE = op_models.OP_CACHE_DIR / "activations"


# ----------------------------------------------------------------------------
# Model builders
# ----------------------------------------------------------------------------

def _keras_op_model(op: str, in_shape, batch=1, lo=-3.0, hi=3.0, io="int8", seed=0):
    """x -> op(x) with representative data uniform in [lo, hi]."""
    key = args_key(op, list(in_shape), batch, lo, hi, io, seed, model_zoo.ZOO_VERSION)
    path = CACHE / f"keras_{op}_{key}.tflite"

    def build() -> bytes:
        keras = op_models._keras()
        keras.utils.set_random_seed(seed)
        x = keras.Input(batch_shape=(batch,) + tuple(in_shape), name="in0")
        fn = {"softmax": keras.ops.softmax, "sigmoid": keras.ops.sigmoid,
              "hard_swish": keras.ops.hard_swish}[op]
        model = keras.Model(x, fn(x))
        rng = np.random.default_rng(seed)
        rep = [[rng.uniform(lo, hi, (batch,) + tuple(in_shape)).astype(np.float32)] for _ in range(16)]
        rep[0][0].flat[0], rep[0][0].flat[-1] = lo, hi  # pin the calibrated range
        return convert_int8(model, rep, io=io)

    return cached_build(path, build)


_TT = {np.float32: SCHEMA.TensorType.FLOAT32, np.int8: SCHEMA.TensorType.INT8,
       np.uint8: SCHEMA.TensorType.UINT8, np.int16: SCHEMA.TensorType.INT16}


def _tensor(name, shape, dtype, quant):
    t = SCHEMA.TensorT()
    t.name, t.shape, t.type, t.buffer = name, list(shape), _TT[dtype], 0
    if quant is not None:
        q = SCHEMA.QuantizationParametersT()
        q.scale, q.zeroPoint = [float(quant[0])], [int(quant[1])]
        t.quantization = q
    return t


def _one_op_model(op: str, shape, in_dtype, in_q, out_dtype, out_q, beta=1.0) -> "Path":
    """A model with a single op; quant params are (scale, zero_point) or None."""
    key = args_key(op, list(shape), in_dtype.__name__, in_q, out_dtype.__name__, out_q, beta)
    path = CACHE / f"oneop_{op}_{key}.tflite"

    def build() -> bytes:
        import flatbuffers

        code = getattr(SCHEMA.BuiltinOperator, op)
        oc = SCHEMA.OperatorCodeT()
        oc.builtinCode, oc.deprecatedBuiltinCode, oc.version = code, min(code, 127), 1
        o = SCHEMA.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = 0, [0], [1]
        if op == "SOFTMAX":
            o.builtinOptionsType = SCHEMA.BuiltinOptions.SoftmaxOptions
            o.builtinOptions = SCHEMA.SoftmaxOptionsT()
            o.builtinOptions.beta = float(beta)
        sg = SCHEMA.SubGraphT()
        sg.tensors = [_tensor("in0", shape, in_dtype, in_q), _tensor("out0", shape, out_dtype, out_q)]
        sg.inputs, sg.outputs, sg.operators = [0], [1], [o]
        m = SCHEMA.ModelT()
        m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, [oc], [sg], [SCHEMA.BufferT()]
        b = flatbuffers.Builder(1024)
        b.Finish(m.Pack(b), file_identifier=b"TFL3")
        return bytes(b.Output())

    return cached_build(path, build)


# ----------------------------------------------------------------------------
# Checking helpers
# ----------------------------------------------------------------------------

def _bits(a: np.ndarray) -> np.ndarray:
    """Raw bits, so that float outputs compare -0.0 != 0.0 and NaN == NaN."""
    return a.view(np.uint32) if a.dtype == np.float32 else a


def assert_same_on(path, input_sets):
    """Both runtimes on the given single-input sets; outputs must be identical."""
    refs = reference_outputs(path, [[x] for x in input_sets])
    interp = pyruntime.Interpreter(str(path))
    for x, ref in zip(input_sets, refs):
        ours = interp.run([x])
        ours = ours if isinstance(ours, list) else [ours]
        for o, r in zip(ours, ref):
            assert o.dtype == r.dtype and o.shape == r.shape
            bad = np.flatnonzero(_bits(o).ravel() != _bits(r).ravel())
            assert bad.size == 0, (f"{path}: {bad.size} differ; first inputs {x.ravel()[bad[:5]]} -> "
                                   f"ours {o.ravel()[bad[:5]]} vs ref {r.ravel()[bad[:5]]}")


def all_int8_values(shape_tail=(8,)) -> np.ndarray:
    """Every int8 value once, padded to rows of shape_tail."""
    n = int(np.prod(shape_tail))
    v = np.arange(-128, 128, dtype=np.int16)
    rows = -(-256 // n)
    v = np.concatenate([v, np.full(rows * n - 256, 127, np.int16)]).astype(np.int8)
    return v.reshape((rows,) + tuple(shape_tail))


def _first_op_output_scale(path) -> float:
    _, model = model_zoo._load_fb(path)
    sg = model.Subgraphs(0)
    return float(sg.Tensors(sg.Operators(0).Outputs(0)).Quantization().Scale(0))


def assert_rejected(path, match: str):
    """pyruntime raises ModelError where the reference fails or aborts."""
    with pytest.raises(pyruntime.ModelError, match=match):
        pyruntime.Interpreter(str(path))
    with pytest.raises((ReferenceRunError, RuntimeError, ValueError)):
        reference_outputs(path, [[model_zoo.random_inputs(path)[0]]])


# ----------------------------------------------------------------------------
# SOFTMAX
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(in_shape=(10,)),
    dict(in_shape=(10,), batch=3),
    dict(in_shape=(1,)),
    dict(in_shape=(3, 4, 7), batch=2),          # rank 4
    dict(in_shape=(257,), calib_scale=0.05),    # small input scale
    dict(in_shape=(33,), calib_scale=20.0),     # large input scale
])
def test_softmax_keras(kwargs):
    assert_bit_exact(op_models.softmax_model(**kwargs))


@pytest.mark.parametrize("lo,hi", [(0.0, 8.0), (-8.0, 0.0), (-0.01, 0.01)])
def test_softmax_extreme_zero_points(lo, hi):
    path = _keras_op_model("softmax", (2, 13), batch=2, lo=lo, hi=hi)
    assert_bit_exact(path)


@pytest.mark.parametrize("io", ["float32", "uint8"])
def test_softmax_io(io):
    assert_bit_exact(op_models.softmax_model(in_shape=(3, 11), io=io))


@pytest.mark.parametrize("in_scale,beta", [
    (0.1, 1.0), (0.1, 0.37), (0.02, 2.5), (1.7, 1.0),
    (2.0 ** -26 * 1.0001, 1.0),     # multiplier just above 1: huge diff_min radius
    (1000.0, 1e6),                  # multiplier capped at 2^31 - 1
    (0.05, 1e-3),
])
def test_softmax_beta_and_scales(in_scale, beta):
    path = _one_op_model("SOFTMAX", (3, 40), np.int8, (in_scale, 5), np.int8, (1 / 256, -128), beta)
    rng = np.random.default_rng(7)
    sets = [rng.integers(-128, 128, (3, 40), dtype=np.int8) for _ in range(3)]
    sets.append(np.stack([np.full(40, 127), np.full(40, -128), np.arange(40) * 6 - 120]).astype(np.int8))
    assert_same_on(path, sets)


def test_softmax_rejects_what_reference_aborts_on():
    # beta * scale * 2^26 <= 1: PreprocessSoftmaxScaling's CHECK aborts.
    assert_rejected(_one_op_model("SOFTMAX", (2, 5), np.int8, (1e-9, 0), np.int8, (1 / 256, -128), 1.0),
                    "must be > 1")
    assert_rejected(_one_op_model("SOFTMAX", (2, 5), np.int8, (0.1, 0), np.int8, (1 / 256, -128), -1.0),
                    "must be > 1")
    assert_rejected(_one_op_model("SOFTMAX", (2, 5), np.int8, (0.1, 0), np.int8, (1 / 256, 0)),
                    "zero point must be -128")
    assert_rejected(_one_op_model("SOFTMAX", (2, 5), np.int8, (0.1, 0), np.int8, (1 / 128, -128)),
                    "scale must be 1/256")


def test_softmax_output_scale_tolerance():
    # The reference accepts |scale - 1/256| <= 0.001/256.
    path = _one_op_model("SOFTMAX", (2, 9), np.int8, (0.2, -3), np.int8, (1.0005 / 256, -128))
    assert_bit_exact(path)


# ----------------------------------------------------------------------------
# LOGISTIC
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(in_shape=(7,), batch=3),               # rank 2
    dict(in_shape=(3, 5, 3), batch=2, calib_scale=0.01),
    dict(in_shape=(4, 4, 8), calib_scale=30.0),
    dict(io="float32"),
    dict(io="uint8"),
])
def test_logistic_keras(kwargs):
    assert_bit_exact(op_models.logistic_model(**kwargs))


@pytest.mark.parametrize("lo,hi", [(0.0, 6.0), (-6.0, 0.0)])
def test_logistic_extreme_zero_points(lo, hi):
    assert_bit_exact(_keras_op_model("sigmoid", (5, 3), lo=lo, hi=hi))


@pytest.mark.parametrize("in_q,out_zp", [((0.05, -7), -128), ((0.3, 127), 0), ((1e-4, -128), 5)])
def test_logistic_all_values(in_q, out_zp):
    # The reference does not check the output zero point.
    path = _one_op_model("LOGISTIC", (32, 8), np.int8, in_q, np.int8, (1 / 256, out_zp))
    assert_same_on(path, [all_int8_values()])


def test_logistic_rejects_output_scale():
    assert_rejected(_one_op_model("LOGISTIC", (2, 5), np.int8, (0.1, 0), np.int8, (1 / 255, -128)),
                    "1/256")


# ----------------------------------------------------------------------------
# HARD_SWISH
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(in_shape=(9,), batch=2),
    dict(in_shape=(3, 3, 5), batch=2, calib_scale=0.02),
    dict(calib_scale=40.0),
    dict(io="float32"),
    dict(io="uint8"),
])
def test_hard_swish_keras(kwargs):
    assert_bit_exact(op_models.hard_swish_model(**kwargs))


@pytest.mark.parametrize("lo,hi", [(0.0, 5.0), (-5.0, 0.0), (-200.0, 300.0)])
def test_hard_swish_extreme_zero_points(lo, hi):
    assert_bit_exact(_keras_op_model("hard_swish", (4, 5), lo=lo, hi=hi))


@pytest.mark.parametrize("in_q,out_q", [
    ((0.05, 3), (0.03, -100)),
    ((1e-5, -128), (1e-6, -128)),   # reluish exponent -10
    ((1e-8, -128), (1e-10, 100)),   # reluish exponent -20 (int16 rounding quirk)
    ((2.0, 127), (1.0, 127)),       # large positive reluish exponent
    ((0.02, 0), (0.0002, 127)),     # output multiplier close to 1
    ((0.1, -128), (500.0, 0)),      # output exponent -19 (int16 rounding quirk)
])
def test_hard_swish_all_values(in_q, out_q):
    path = _one_op_model("HARD_SWISH", (32, 8), np.int8, in_q, np.int8, out_q)
    assert_same_on(path, [all_int8_values()])


def test_hard_swish_rejects_output_multiplier_above_one():
    assert_rejected(_one_op_model("HARD_SWISH", (2, 5), np.int8, (1.0, 0), np.int8, (1e-3, 0)), "< 1")


# ----------------------------------------------------------------------------
# QUANTIZE / DEQUANTIZE
# ----------------------------------------------------------------------------

def _special_floats(scale: float, zp: int) -> np.ndarray:
    f32 = np.finfo(np.float32)
    ks = np.arange(-300, 300)
    v = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, f32.max, f32.min, f32.tiny, -f32.tiny, 1e-45,
         2.0 ** 31 * scale, -(2.0 ** 31) * scale, 2147483520.0 * scale, -2147483648.0 * scale,
         3e9 * scale, -3e9 * scale, 1e20, -1e20]
    v += list((ks + 0.5) * scale)                 # exact halves: round away from zero
    v += list((ks + 0.5) * scale * (1 + 1e-7))
    v += list(np.nextafter(((ks + 0.5) * scale).astype(np.float32), np.float32(0)))
    return np.array(v, dtype=np.float32)


@pytest.mark.parametrize("out_dtype,out_q", [
    (np.int8, (0.05, 0)), (np.int8, (0.05, -1)), (np.int8, (0.1, 127)), (np.int8, (0.003, -128)),
    (np.uint8, (0.05, 0)), (np.uint8, (0.02, 255)), (np.uint8, (0.1, 130)),
    (np.int16, (0.001, 0)), (np.int16, (0.5, -5)),
])
def test_quantize_float_special_values(out_dtype, out_q):
    x = _special_floats(*out_q)
    n = x.size
    path = _one_op_model("QUANTIZE", (n,), np.float32, None, out_dtype, out_q)
    rng = np.random.default_rng(3)
    assert_same_on(path, [x, (rng.standard_normal(n) * 300 * out_q[0]).astype(np.float32)])


@pytest.mark.parametrize("out_dtype,out_q", [(np.int8, (0.05, -1)), (np.uint8, (0.02, 255)),
                                               (np.int16, (0.001, 0))])
def test_quantize_float_large_tensor_on_every_path_and_thread_count(out_dtype, out_q, monkeypatch):
    """Large inputs (a model's float image) are quantized in slices across the
    threads: the same bytes as the reference for any split, odd length."""
    n = 200_003
    rng = np.random.default_rng(11)
    x = np.concatenate([_special_floats(*out_q), (rng.standard_normal(n) * 300 * out_q[0]).astype(np.float32)])
    x = x[rng.permutation(x.size)][:n]
    path = _one_op_model("QUANTIZE", (n,), np.float32, None, out_dtype, out_q)
    ref = reference_outputs(path, [[x]])[0][0]
    for isa in pyruntime.cpu_paths():
        monkeypatch.setenv("PYRUNTIME_ISA", isa)
        for threads in (1, 2, 3, 7):
            ours = pyruntime.Interpreter(str(path), num_threads=threads).run([x])
            bad = np.flatnonzero(ours != ref)
            assert ours.dtype == ref.dtype and bad.size == 0, f"{isa} {threads}t: {bad.size} differ"


@pytest.mark.parametrize("in_dtype,in_q,out_dtype,out_q", [
    (np.int8, (0.05, 3), np.int8, (0.07, -20)),
    (np.int8, (0.05, -128), np.int8, (0.01, 127)),     # saturating
    (np.int8, (0.05, 3), np.int8, (0.05, 3)),          # identity
    (np.int8, (0.05, 3), np.int8, (0.05 / 2 ** 30.5, 0)),  # huge multiplier (shift 31)
    (np.int8, (1e-12, 3), np.int8, (10.0, 0)),         # multiplier flushed to zero
    (np.int8, (0.05, 3), np.uint8, (0.05, 131)),       # the x ^ 0x80 fast path
    (np.int8, (0.05, 3), np.uint8, (0.09, 200)),
    (np.uint8, (0.05, 131), np.int8, (0.05, 3)),
    (np.uint8, (0.3, 255), np.int8, (0.1, -128)),
    (np.uint8, (0.3, 0), np.uint8, (0.2, 17)),
    (np.int16, (0.001, -7), np.int8, (0.05, 3)),
    (np.int16, (0.001, 0), np.int16, (0.003, 0)),
])
def test_requantize(in_dtype, in_q, out_dtype, out_q):
    path = _one_op_model("QUANTIZE", (4, 64), in_dtype, in_q, out_dtype, out_q)
    info = np.iinfo(in_dtype)
    everything = np.arange(info.min, info.max + 1)
    sets = [np.resize(everything[i::max(1, everything.size // 256)], (4, 64)).astype(in_dtype)
            for i in range(2)]
    sets.append(model_zoo.random_input((4, 64), in_dtype, seed=5))
    assert_same_on(path, sets)


@pytest.mark.parametrize("in_dtype,in_q", [
    (np.int8, (0.05, 3)), (np.int8, (0.0123, -128)), (np.int8, (3.3e-7, 127)),
    (np.uint8, (0.05, 131)), (np.uint8, (1e5, 0)), (np.int16, (1.7e-4, 0)),
])
def test_dequantize(in_dtype, in_q):
    path = _one_op_model("DEQUANTIZE", (4, 64), in_dtype, in_q, np.float32, None)
    info = np.iinfo(in_dtype)
    sets = [np.resize(np.arange(info.min, info.max + 1)[::max(1, (info.max - info.min) // 255)],
                      (4, 64)).astype(in_dtype),
            model_zoo.random_input((4, 64), in_dtype, seed=9)]
    assert_same_on(path, sets)


@pytest.mark.parametrize("lo,hi", [(0.0, 4.0), (-4.0, 0.0), (-1.0, 3.0)])
def test_float_io_special_values(lo, hi):
    """QUANTIZE at a float model's input sees NaN, +-inf, huge values and -0.0."""
    path = _keras_op_model("sigmoid", (64,), batch=1, lo=lo, hi=hi, io="float32")
    x = _special_floats(_first_op_output_scale(path), 0)
    x = np.resize(x, (x.size // 64 + 1) * 64).reshape(-1, 1, 64)
    assert_same_on(path, [row for row in x])


def test_dequantize_rejects_int16_zero_point():
    assert_rejected(_one_op_model("DEQUANTIZE", (4,), np.int16, (0.3, -300), np.float32, None),
                    "zero point 0")


def test_quantize_rejects_unsupported_types():
    with pytest.raises(pyruntime.ModelError, match="not supported"):
        pyruntime.Interpreter(str(_one_op_model("QUANTIZE", (4,), np.uint8, (0.1, 0), np.int16, (0.1, 0))))
    # Scale ratio >= 2^31: the reference shifts by >= 32 (undefined behaviour).
    with pytest.raises(pyruntime.ModelError, match="too large"):
        pyruntime.Interpreter(str(_one_op_model("QUANTIZE", (4,), np.int8, (0.05, 0), np.int8, (1e-12, 0))))
    with pytest.raises(pyruntime.ModelError, match="zero points 0"):
        pyruntime.Interpreter(str(_one_op_model("QUANTIZE", (4,), np.int16, (0.1, 1), np.int16, (0.1, 0))))
