"""Test-model zoo: generates quantized TFLite models and reference outputs.

Models are generated on demand with TensorFlow/Keras (imported lazily, only
when a model has to be built) and cached as .tflite files under CACHE_DIR.
Reference outputs come from LiteRT's *reference* kernels
(``OpResolverType.BUILTIN_REF``), run in a subprocess because some reference
kernels (SOFTMAX) can abort the whole process on unexpected quantization
parameters.

Command line (from the repo root)::

    python tests/model_zoo.py generate            # all 7 zoo variants, timed
    python tests/model_zoo.py generate resnet50 --io int8
    python tests/model_zoo.py ops some_model.tflite

Conversion recipe (TF 2.21 / Keras 3.15): ``tf.lite.TFLiteConverter.
from_keras_model(model)`` works directly on a Keras 3 functional model (it
exports a temporary SavedModel internally). ``from_concrete_functions`` on a
``tf.function`` wrapping a Keras 3 model does NOT work: the variables are not
frozen and the converted model fails at run time in READ_VARIABLE.
Representative samples are fed as {signature input name: array} dicts (a
plain list is matched to the *graph* input order, which can differ from the
Keras input order for multi-input models).

Zoo models (weights=None, seed 0, static batch 1) are made usable before
conversion: BatchNorm moving statistics are set from one training-mode pass
(``calibrate_batchnorm``), and the classifier is re-centred/scaled so logits
depend on the input (``calibrate_classifier``). Calibration data are uniform
on [-sqrt(3), sqrt(3)], so full-range random int8 inputs are in-distribution.
"""

from __future__ import annotations

import contextlib
import hashlib
import io as _io
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("PYRUNTIME_MODEL_CACHE", REPO_ROOT / "tests" / ".model_cache"))

# Bump when the generation recipe changes: it is part of every cache key.
ZOO_VERSION = "1"

MODEL_NAMES = ("mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0", "resnet50")
IO_TYPES = ("int8", "uint8", "float32")
# The 7 variants the test-suite uses.
ZOO_VARIANTS = (
    ("mobilenet_v1", "int8"),
    ("mobilenet_v2", "int8"),
    ("mobilenet_v2", "uint8"),
    ("mobilenet_v2", "float32"),
    ("mobilenet_v3_small", "int8"),
    ("efficientnet_b0", "int8"),
    ("resnet50", "int8"),
)

INPUT_SHAPE = (1, 224, 224, 3)
NUM_CALIB_SAMPLES = 8
# Std of the (input-centred) logits after calibrating the classifier head.
CLASSIFIER_LOGIT_STD = 3.0


# ----------------------------------------------------------------------------
# TensorFlow helpers (lazy)
# ----------------------------------------------------------------------------

def _tf():
    """Import TensorFlow and Keras quietly, return (tf, keras)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import tensorflow as tf  # noqa: WPS433
    import keras  # noqa: WPS433

    tf.get_logger().setLevel("ERROR")
    return tf, keras


def _io_tf_dtype(tf, io: str):
    if io not in IO_TYPES:
        raise ValueError(f"io must be one of {IO_TYPES}, got {io!r}")
    return {"int8": tf.int8, "uint8": tf.uint8, "float32": tf.float32}[io]


def convert_int8(model, representative: Sequence[Sequence[np.ndarray]], io: str = "int8") -> bytes:
    """Full-integer quantization of a Keras model.

    ``representative`` is a list of samples; each sample is a list with one
    float32 array per model input (``model.inputs`` order, batch dim included).
    ``io`` selects the type of the model's inputs and outputs (int8, uint8 or
    float32; with float32 the model gets QUANTIZE/DEQUANTIZE at its borders).
    """
    tf, _ = _tf()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]

    # Feed samples as {signature input name: array}: a plain list would be
    # matched against the *graph* input order, which for multi-input models
    # can differ from model.inputs (e.g. a 3-input PACK model gets inputs
    # in2, in0, in1). The signature input names are the Keras Input names.
    names = [t.name for t in model.inputs]

    def rep():
        for sample in representative:
            if len(sample) != len(names):
                raise ValueError(f"sample has {len(sample)} arrays, model has {len(names)} inputs")
            yield {n: np.asarray(a, dtype=np.float32) for n, a in zip(names, sample)}

    converter.representative_dataset = rep
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = _io_tf_dtype(tf, io)
    converter.inference_output_type = _io_tf_dtype(tf, io)
    # from_keras_model prints "Saved artifact at ..." for its temp SavedModel.
    with contextlib.redirect_stdout(_io.StringIO()), _warnings_off():
        return converter.convert()


# ----------------------------------------------------------------------------
# Cache helpers
# ----------------------------------------------------------------------------

def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _file_lock(path: Path):
    """Inter-process lock so parallel test workers do not build twice."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name("." + path.name + ".lock")
    with open(lock_path, "a+") as f:
        try:
            import fcntl

            fcntl.flock(f, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - non-POSIX
            pass
        yield


def cached_build(path: Path, build: Callable[[], bytes]) -> Path:
    """Return ``path``, calling ``build()`` and writing it atomically if missing."""
    path = Path(path)
    if path.is_file():
        return path
    with _file_lock(path):
        if path.is_file():
            return path
        _atomic_write(path, build())
    return path


def args_key(*parts) -> str:
    """Stable short hash of JSON-serialisable arguments."""
    blob = json.dumps(parts, sort_keys=True, default=repr, separators=(",", ":"))
    return hashlib.sha1(blob.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------
# Flatbuffer inspection (pure python, no native library)
# ----------------------------------------------------------------------------

def _schema():
    from ai_edge_litert import schema_py_generated as schema

    return schema


def _enum_names(cls) -> dict[int, str]:
    return {v: k for k, v in vars(cls).items() if not k.startswith("_") and isinstance(v, int)}


_NP_OF_TFL = {
    "FLOAT32": np.float32, "FLOAT16": np.float16, "INT32": np.int32, "UINT8": np.uint8,
    "INT64": np.int64, "BOOL": np.bool_, "INT16": np.int16, "INT8": np.int8, "FLOAT64": np.float64,
    "UINT32": np.uint32, "UINT16": np.uint16, "UINT64": np.uint64,
}


def _load_fb(model_path):
    schema = _schema()
    buf = Path(model_path).read_bytes()
    return schema, schema.Model.GetRootAs(buf, 0)


def op_names(model_path) -> list[str]:
    """Builtin op names of subgraph 0, in execution order."""
    schema, model = _load_fb(model_path)
    names = _enum_names(schema.BuiltinOperator)
    codes = []
    for i in range(model.OperatorCodesLength()):
        oc = model.OperatorCodes(i)
        code = max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode())
        codes.append(names.get(code, f"CUSTOM({oc.CustomCode()})" if code == 32 else str(code)))
    sg = model.Subgraphs(0)
    return [codes[sg.Operators(i).OpcodeIndex()] for i in range(sg.OperatorsLength())]


def distinct_ops(model_path) -> list[str]:
    return sorted(set(op_names(model_path)))


def model_io_details(model_path) -> dict[str, list[dict]]:
    """Inputs/outputs of subgraph 0 (same order as the interpreter's details).

    Each entry: name, shape (tuple), dtype (numpy type), scale, zero_point
    (floats / ints, per-tensor; 0.0 / 0 when not quantized).
    """
    schema, model = _load_fb(model_path)
    tnames = _enum_names(schema.TensorType)
    sg = model.Subgraphs(0)

    def det(idx):
        t = sg.Tensors(idx)
        q = t.Quantization()
        scale = float(q.Scale(0)) if q is not None and q.ScaleLength() else 0.0
        zp = int(q.ZeroPoint(0)) if q is not None and q.ZeroPointLength() else 0
        return {
            "name": t.Name().decode(),
            "index": idx,
            "shape": tuple(int(d) for d in t.ShapeAsNumpy()) if t.ShapeLength() else (),
            "dtype": _NP_OF_TFL[tnames[t.Type()]],
            "scale": scale,
            "zero_point": zp,
        }

    return {
        "inputs": [det(sg.Inputs(i)) for i in range(sg.InputsLength())],
        "outputs": [det(sg.Outputs(i)) for i in range(sg.OutputsLength())],
    }


# ----------------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------------

def random_input(details_or_shape, dtype=None, seed: int = 0) -> np.ndarray:
    """Random tensor: full-range uniform for integer types, N(0,1) for floats.

    ``details_or_shape`` is a shape tuple or an input-details dict (from
    ``model_io_details`` or the LiteRT interpreter) providing shape and dtype;
    an explicit ``dtype`` overrides the one in the details.
    """
    if isinstance(details_or_shape, dict):
        shape = tuple(int(d) for d in details_or_shape["shape"])
        if dtype is None:
            dtype = details_or_shape["dtype"]
    else:
        shape = tuple(int(d) for d in details_or_shape)
    if dtype is None:
        raise ValueError("dtype is required when a shape is given")
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(int(info.min), int(info.max) + 1, size=shape, dtype=dtype)
    if dtype.kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    raise TypeError(f"unsupported dtype {dtype}")


def random_inputs(model_path, seed: int = 0) -> list[np.ndarray]:
    """One random array per model input (input-detail order)."""
    ins = model_io_details(model_path)["inputs"]
    return [random_input(d, seed=seed * 1000 + i) for i, d in enumerate(ins)]


# ----------------------------------------------------------------------------
# Reference outputs (LiteRT BUILTIN_REF kernels, in a subprocess)
# ----------------------------------------------------------------------------

class ReferenceRunError(RuntimeError):
    """The reference-interpreter subprocess failed or died."""


def _normalize_sets(input_sets) -> list[list[np.ndarray]]:
    if isinstance(input_sets, np.ndarray):
        raise TypeError("input_sets must be a list of input sets, e.g. [x] or [[a, b]]")
    sets = []
    for s in input_sets:
        if isinstance(s, np.ndarray):
            sets.append([s])
        else:
            sets.append([np.asarray(a) for a in s])
    return sets


# A directory where LiteRT's outputs are kept and reused, keyed by model, inputs,
# threads and machine (unset: always run). tools/aarch64_check.sh --models sets it:
# there every emulated reference run takes up to minutes and its outputs do not
# depend on which pyruntime path is under test.
REFERENCE_CACHE = os.environ.get("PYRUNTIME_REFERENCE_CACHE", "")


def _reference_cache_file(model_path: Path, sets, threads: int) -> Path | None:
    if not REFERENCE_CACHE:
        return None
    h = hashlib.sha1(model_path.read_bytes())
    h.update(f"{threads} {platform.machine()} {len(sets)}".encode())
    for s in sets:
        for a in s:
            h.update(f"|{a.dtype.str} {a.shape}|".encode())
            h.update(np.ascontiguousarray(a).tobytes())
    return Path(REFERENCE_CACHE) / f"{h.hexdigest()}.npz"


def _load_outputs(npz: Path, n_sets: int) -> list[list[np.ndarray]]:
    with np.load(npz) as z:
        return [[z[f"s{i}_o{j}"] for j in range(int(z[f"n_out_{i}"]))] for i in range(n_sets)]


def reference_outputs(model_path, input_sets, threads: int = 1, timeout: float = 1800.0) -> list[list[np.ndarray]]:
    """Run the LiteRT reference kernels on several input sets.

    ``input_sets``: list of input sets. Each set is a list/tuple with one array
    per model input, in input-detail (subgraph input) order; a bare ndarray is
    accepted as a set for single-input models. Returns one list of output
    arrays (output-detail order) per input set. All sets run in ONE
    subprocess, so batch your sets to amortise the start-up cost (~0.3 s).
    Raises ReferenceRunError when the subprocess fails or is killed (e.g. the
    reference SOFTMAX aborting), with its exit code and stderr.
    """
    sets = _normalize_sets(input_sets)
    model_path = Path(model_path).resolve()
    if not model_path.is_file():
        raise FileNotFoundError(model_path)
    cached = _reference_cache_file(model_path, sets, threads)
    if cached is not None and cached.is_file():
        return _load_outputs(cached, len(sets))
    with tempfile.TemporaryDirectory(prefix="pyrt_ref_") as td:
        in_npz = Path(td) / "in.npz"
        out_npz = Path(td) / "out.npz"
        arrays = {"n_sets": np.array(len(sets))}
        for i, s in enumerate(sets):
            arrays[f"n_in_{i}"] = np.array(len(s))
            for j, a in enumerate(s):
                arrays[f"s{i}_i{j}"] = a
        np.savez(in_npz, **arrays)
        cmd = [sys.executable, str(Path(__file__).resolve()), "_reference", str(model_path), str(in_npz), str(out_npz), str(int(threads))]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise ReferenceRunError(f"reference interpreter timed out after {timeout}s on {model_path}") from e
        if proc.returncode != 0 or not out_npz.is_file():
            rc = proc.returncode
            how = f"exit code {rc}"
            if rc < 0:
                with contextlib.suppress(ValueError):
                    how += f" (killed by {signal.Signals(-rc).name})"
            raise ReferenceRunError(
                f"reference interpreter failed on {model_path}: {how}\n"
                f"--- stderr (tail) ---\n{proc.stderr[-4000:]}\n--- stdout (tail) ---\n{proc.stdout[-1000:]}"
            )
        if cached is not None:
            _atomic_write(cached, out_npz.read_bytes())
        return _load_outputs(out_npz, len(sets))


def reference_output(model_path, inputs, threads: int = 1) -> list[np.ndarray]:
    """Convenience: outputs for one input set (list of arrays, or one array)."""
    return reference_outputs(model_path, [inputs], threads=threads)[0]


def _reference_main(model_path: str, in_npz: str, out_npz: str, threads: str) -> None:
    """Subprocess entry point: only numpy + ai_edge_litert are imported."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interp = Interpreter(
        model_path=model_path,
        num_threads=int(threads),
        experimental_op_resolver_type=OpResolverType.BUILTIN_REF,
    )
    interp.allocate_tensors()
    ins = interp.get_input_details()
    outs = interp.get_output_details()
    result = {}
    with np.load(in_npz) as z:
        n_sets = int(z["n_sets"])
        for i in range(n_sets):
            n_in = int(z[f"n_in_{i}"])
            if n_in != len(ins):
                raise ValueError(f"input set {i} has {n_in} arrays, model has {len(ins)} inputs")
            for j, d in enumerate(ins):
                a = z[f"s{i}_i{j}"]
                if a.dtype != d["dtype"] or tuple(a.shape) != tuple(d["shape"]):
                    raise ValueError(
                        f"input set {i}, input {j} ({d['name']}): got {a.dtype}{list(a.shape)}, "
                        f"model wants {np.dtype(d['dtype'])}{[int(v) for v in d['shape']]}"
                    )
                interp.set_tensor(d["index"], a)
            interp.invoke()
            result[f"n_out_{i}"] = np.array(len(outs))
            for j, d in enumerate(outs):
                result[f"s{i}_o{j}"] = np.array(interp.get_tensor(d["index"]), copy=True)
    tmp = out_npz + ".tmp.npz"
    np.savez(tmp, **result)
    os.replace(tmp, out_npz)


# ----------------------------------------------------------------------------
# keras.applications zoo
# ----------------------------------------------------------------------------

_KERAS_CACHE: dict = {}


def _app_ctor(keras, name):
    apps = keras.applications
    table = {
        "mobilenet_v1": apps.MobileNet,
        "mobilenet_v2": apps.MobileNetV2,
        "mobilenet_v3_small": apps.MobileNetV3Small,
        "efficientnet_b0": apps.EfficientNetB0,
        "resnet50": apps.ResNet50,
    }
    if name not in table:
        raise ValueError(f"unknown model {name!r}; known: {MODEL_NAMES}")
    return table[name]


def calibration_data(seed: int = 0, n: int = NUM_CALIB_SAMPLES, shape=INPUT_SHAPE[1:]) -> np.ndarray:
    """Seeded images, used both for BN statistics and int8 calibration.

    Uniform on [-sqrt(3), sqrt(3)] (unit variance), NOT normal: the int8 input
    range is calibrated to the min/max of these samples, so a full-range
    uniform random int8/uint8 input (``random_input``) has the same
    distribution as the calibration data. With N(0,1) calibration the input
    range is about +-5 sigma, full-range random int8 inputs are then ~3x wider
    than anything seen in calibration, every layer saturates and the int8
    model's output is almost constant.
    """
    a = np.sqrt(3.0)
    return np.random.default_rng(seed).uniform(-a, a, (n,) + tuple(shape)).astype(np.float32)


def calibrate_batchnorm(model, x: np.ndarray) -> int:
    """Set every BatchNormalization's moving stats to the batch stats of ``x``.

    One eager training-mode pass with momentum=0 (so moving = batch stats) and
    dropout disabled. In training mode each BN normalises with the batch
    statistics of its own input, which are exactly the moving statistics it
    ends up with, so every later BN sees the same input it will see in
    inference mode: a single pass is equivalent to calibrating BN layers one
    by one from first to last. Returns the number of BN layers.
    """
    _, keras = _tf()
    layers = model._flatten_layers(include_self=False) if hasattr(model, "_flatten_layers") else model.layers
    layers = list(layers)
    bns = [l for l in layers if isinstance(l, keras.layers.BatchNormalization)]
    drops = [l for l in layers if isinstance(l, (keras.layers.Dropout, keras.layers.SpatialDropout2D))]
    saved_m = [(l, l.momentum) for l in bns]
    saved_r = [(l, l.rate) for l in drops]
    try:
        for l in bns:
            l.momentum = 0.0
        for l in drops:
            l.rate = 0.0
        with _warnings_off():
            model(x, training=True)
    finally:
        for l, m in saved_m:
            l.momentum = m
        for l, r in saved_r:
            l.rate = r
    return len(bns)


@contextlib.contextmanager
def _warnings_off():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def calibrate_classifier(model, x: np.ndarray, target_std: float = CLASSIFIER_LOGIT_STD) -> str:
    """Make the classifier logits input-dependent.

    With random weights the logits are dominated by an input-independent
    offset and have a tiny spread, so the int8 softmax output is nearly
    constant. Rescale the last Dense / 1x1 Conv so that logits become
    ``s * (logits - mean_over_x(logits))`` with a std of ``target_std``.
    """
    _, keras = _tf()
    head = [l for l in model.layers if isinstance(l, (keras.layers.Dense, keras.layers.Conv2D)) and not isinstance(l, keras.layers.DepthwiseConv2D)][-1]
    feat_model = keras.Model(model.inputs, head.input)
    with _warnings_off():
        f = np.asarray(feat_model(x, training=False))
    kernel = np.asarray(head.kernel)
    k = kernel.shape[-1]
    f2 = f.reshape(-1, kernel.reshape(-1, k).shape[0])
    bias = np.asarray(head.bias) if head.use_bias else np.zeros(k, np.float32)
    logits = f2 @ kernel.reshape(-1, k) + bias
    mu = logits.mean(axis=0)
    s = target_std / max(float((logits - mu).std()), 1e-12)
    head.kernel.assign((kernel * s).astype(np.float32))
    if not head.use_bias:
        raise RuntimeError(f"classifier {head.name} has no bias")
    head.bias.assign(((bias - mu) * s).astype(np.float32))
    return head.name


def keras_model(name: str, seed: int = 0):
    """Calibrated keras.applications model (batch 1, 224x224x3, weights=None).

    Returns (model, calib_x) where calib_x are the samples used for BN
    statistics; they are also the int8 representative data set.
    """
    key = (name, seed)
    if key in _KERAS_CACHE:
        return _KERAS_CACHE[key]
    _, keras = _tf()
    ctor = _app_ctor(keras, name)
    keras.utils.set_random_seed(seed)
    inp = keras.Input(batch_shape=INPUT_SHAPE, name="input")
    model = ctor(input_tensor=inp, weights=None)
    x = calibration_data(seed)
    calibrate_batchnorm(model, x)
    calibrate_classifier(model, x)
    _KERAS_CACHE.clear()  # keep at most one model in memory
    _KERAS_CACHE[key] = (model, x)
    return model, x


def model_path(name: str, io: str = "int8") -> Path:
    return CACHE_DIR / f"{name}_{io}_v{ZOO_VERSION}.tflite"


def get_model(name: str, io: str = "int8", check: bool = True) -> Path:
    """Path of the cached .tflite for zoo model ``name`` with ``io`` borders.

    Generated (and checked for input-dependent outputs) when missing.
    """
    if name not in MODEL_NAMES:
        raise ValueError(f"unknown model {name!r}; known: {MODEL_NAMES}")
    if io not in IO_TYPES:
        raise ValueError(f"io must be one of {IO_TYPES}, got {io!r}")
    path = model_path(name, io)

    def build() -> bytes:
        t0 = time.perf_counter()
        model, x = keras_model(name)
        t1 = time.perf_counter()
        data = convert_int8(model, [[x[i : i + 1]] for i in range(len(x))], io=io)
        t2 = time.perf_counter()
        print(
            f"[model_zoo] built {name}/{io}: keras+calibration {t1 - t0:.1f}s, "
            f"convert {t2 - t1:.1f}s, {len(data) / 1e6:.2f} MB",
            flush=True,
        )
        if check:
            with tempfile.TemporaryDirectory() as td:
                p = Path(td) / "m.tflite"
                p.write_bytes(data)
                check_outputs_vary(p, label=f"{name}/{io}")
        return data

    return cached_build(path, build)


def check_outputs_vary(path, label: str = "", n: int = 4) -> None:
    """Run ``n`` random inputs through the reference kernels; fail if outputs are constant."""
    t0 = time.perf_counter()
    sets = [random_inputs(path, seed=s + 1) for s in range(n)]
    outs = [o[0] for o in reference_outputs(path, sets)]
    o = np.stack([a.reshape(-1) for a in outs]).astype(np.float64)
    distinct = len({a.tobytes() for a in outs})
    argmax = [int(a.argmax()) for a in o]
    print(
        f"[model_zoo] check {label}: {distinct}/{n} distinct outputs, argmax={argmax}, "
        f"mean |diff| between inputs={np.abs(o - o.mean(0)).mean():.3g}, "
        f"value range [{o.min():g}, {o.max():g}] ({time.perf_counter() - t0:.1f}s)",
        flush=True,
    )
    if distinct < 2:
        raise RuntimeError(f"{label}: outputs do not depend on the input")


# ----------------------------------------------------------------------------
# CLI
# ----------------------------------------------------------------------------

def _main(argv: list[str]) -> int:
    if argv and argv[0] == "_reference":
        _reference_main(*argv[1:5])
        return 0
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="generate zoo models into CACHE_DIR")
    g.add_argument("names", nargs="*", help=f"default: the 7 variants {ZOO_VARIANTS}")
    g.add_argument("--io", default="int8", choices=IO_TYPES)
    g.add_argument("--force", action="store_true", help="regenerate even if cached")
    o = sub.add_parser("ops", help="print the op list of .tflite files")
    o.add_argument("paths", nargs="+")
    args = ap.parse_args(argv)

    if args.cmd == "ops":
        for p in args.paths:
            print(p, " ".join(distinct_ops(p)))
            print("  in:", model_io_details(p)["inputs"])
            print("  out:", model_io_details(p)["outputs"])
        return 0

    variants = [(n, args.io) for n in args.names] if args.names else list(ZOO_VARIANTS)
    total = 0.0
    rows = []
    for name, io in variants:
        p = model_path(name, io)
        if args.force and p.exists():
            p.unlink()
        t0 = time.perf_counter()
        p = get_model(name, io)
        dt = time.perf_counter() - t0
        total += dt
        rows.append((name, io, dt, p.stat().st_size, distinct_ops(p)))
    print(f"\n{'model':<20}{'io':<9}{'time s':>8}{'bytes':>11}  ops")
    for name, io, dt, size, ops in rows:
        print(f"{name:<20}{io:<9}{dt:>8.1f}{size:>11}  {' '.join(ops)}")
    print(f"total generation time: {total:.1f}s (cache: {CACHE_DIR})")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
