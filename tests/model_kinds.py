"""Model kinds other than full-integer int8: float32 and float16-weight models,
and the float oracle every float comparison uses.

Builders convert seeded Keras models (the zoo's calibrated keras.applications
models via ``model_zoo.keras_model``, or small multi-op models below) with the
plain float recipe and cache the .tflite under CACHE_DIR / "kinds".

The float oracle (``float_oracle``) does not depend on the CPU: the target is
LiteRT's reference kernels (``BUILTIN_REF``, portable code), and the bound is
what LiteRT's default path (XNNPACK) achieves against that target on the same
inputs in the same run. Two statistics per output, over all input sets:
the pooled relative RMS error sqrt(sum (ours - ref)^2 / sum ref^2) must be
within max(1e-5, 4 x LiteRT default's), and the max relative error
max |ours - ref| / max |ref| (``max_rel_error``) within max(1e-5, 10 x LiteRT
default's). The RMS bound says "as accurate as XNNPACK"; the max bound catches
a localized bug that the RMS would dilute. Rounding noise in deep float
networks is amplified chaotically per input (ConvNeXt: 1e-5 to 6e-4 between
seeds, for both runtimes; per seed, ours / LiteRT's ranged 0.5x-5x on
Xception with both about as accurate over 8 seeds), so a tight factor on a few
draws is flaky: a 2x bound on the max failed on a fresh ConvNeXt build. Bugs
and lossy kernels (bf16, approximate exp) sit orders of magnitude above these. LiteRT's builtin
kernels are not a target: they pick different code, and round differently,
on different CPUs (AVX2 vs AVX-512). ``builtin_outputs`` remains for the
hybrid kernels, which are matched bit for bit against LiteRT's builtin ones.
"""
from __future__ import annotations

import contextlib
import io as _io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import model_zoo
from model_zoo import args_key, cached_build

KINDS_VERSION = "1"
KINDS = ("float32", "float16")
CACHE_DIR = model_zoo.CACHE_DIR / "kinds"


def convert_float(model, kind: str) -> bytes:
    """float32: no optimization. float16: weights stored as float16 constants
    feeding DEQUANTIZE, compute in float32."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    tf, _ = model_zoo._tf()
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if kind == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    with contextlib.redirect_stdout(_io.StringIO()), model_zoo._warnings_off():
        return converter.convert()


def zoo_model(name: str, kind: str) -> Path:
    """Cached float32 / float16-weight version of zoo model ``name``."""
    path = CACHE_DIR / f"{name}_{kind}_v{model_zoo.ZOO_VERSION}.{KINDS_VERSION}.tflite"
    return cached_build(path, lambda: convert_float(model_zoo.keras_model(name)[0], kind))


def _mixed_ops(keras, batch: int):
    """Every float op of this round in one graph, with odd sizes, stride 2,
    SAME/VALID, depth multiplier 2, broadcasting and fused activations."""
    L = keras.layers
    init = keras.initializers.RandomNormal(stddev=0.3, seed=1)
    x = keras.Input(batch_shape=(batch, 13, 11, 5), name="image")
    v = keras.Input(batch_shape=(batch, 1, 1, 8), name="gain")
    a = L.Conv2D(8, 3, strides=2, padding="same", activation="relu6", bias_initializer=init)(x)
    b = L.Conv2D(8, (2, 3), padding="valid", dilation_rate=1, bias_initializer=init)(x)
    b = L.MaxPooling2D(2, strides=2, padding="same")(b)
    b = L.ZeroPadding2D(((0, 1), (0, 1)))(b)
    b = b[:, : a.shape[1], : a.shape[2], :]
    c = L.DepthwiseConv2D(3, depth_multiplier=2, padding="same", bias_initializer=init)(x)
    c = L.AveragePooling2D(3, strides=2, padding="same")(c)
    c = L.Conv2D(8, 1, activation="relu", bias_initializer=init)(c)
    y = L.Add()([a, b])
    y = L.Subtract()([y, c])
    y = L.Multiply()([y, v])
    y = L.Activation("hard_swish")(y)
    y = L.Concatenate()([y, L.Activation("sigmoid")(a)])
    y = L.DepthwiseConv2D(3, padding="valid", activation="relu6", bias_initializer=init)(y)
    m = keras.ops.mean(y, axis=(1, 2))
    d = L.Dense(10, bias_initializer=init)(L.Reshape((-1,))(y))
    out = L.Softmax()(L.Dense(7, bias_initializer=init)(L.Concatenate()([m, d])))
    return [x, v], [out, m]


def mixed_ops_model(kind: str = "float32", batch: int = 1, seed: int = 0) -> Path:
    path = CACHE_DIR / f"mixed_ops_{args_key(kind, batch, seed, KINDS_VERSION)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(seed)
        inputs, outputs = _mixed_ops(keras, batch)
        return convert_float(keras.Model(inputs, outputs), kind)

    return cached_build(path, build)


def max_rel_error(ours, ref) -> float:
    """max |ours - ref| / max |ref| (one output)."""
    ours = np.asarray(ours, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if ours.shape != ref.shape:
        raise AssertionError(f"shape {ours.shape} != reference shape {ref.shape}")
    scale = np.max(np.abs(ref)) if ref.size else 0.0
    return float(np.max(np.abs(ours - ref)) / scale) if scale > 0 else float(np.max(np.abs(ours)) if ours.size else 0.0)


def _error_stats(per_set, refs, what: str = ""):
    """(pooled relative RMS error, max relative error) per output over all
    input sets. per_set / refs: per input set, one array or a list of them."""
    assert len(per_set) == len(refs), f"{what}: {len(per_set)} input sets, reference has {len(refs)}"
    sq, ref_sq, worst = None, None, None
    for got, ref in zip(per_set, refs):
        got = list(got) if isinstance(got, (list, tuple)) else [got]
        assert len(got) == len(ref), f"{what}: {len(got)} outputs, reference has {len(ref)}"
        if sq is None:
            sq, ref_sq, worst = [0.0] * len(ref), [0.0] * len(ref), [0.0] * len(ref)
        for k, (o, r) in enumerate(zip(got, ref)):
            assert o.shape == r.shape and o.dtype == r.dtype, (
                f"{what}: output {k}: {o.dtype}{o.shape} vs reference {r.dtype}{r.shape}")
            o64, r64 = o.astype(np.float64), r.astype(np.float64)
            sq[k] += float(np.sum((o64 - r64) ** 2))
            ref_sq[k] += float(np.sum(r64 ** 2))
            worst[k] = max(worst[k], max_rel_error(o, r))
    rms = [float(np.sqrt(a / b)) if b > 0 else float(np.sqrt(a)) for a, b in zip(sq, ref_sq)]
    return rms, worst


FLOAT_FLOOR = 1e-5
RMS_FACTOR = 4.0  # as accurate as LiteRT's default path, with room for noise
MAX_FACTOR = 10.0  # a localized error far beyond rounding noise is a bug


class FloatOracle:
    """Reference outputs (BUILTIN_REF) per input set, and the error bounds
    from LiteRT default's errors (see the module docstring)."""

    def __init__(self, refs, default_rms, default_max, floor: float = FLOAT_FLOOR):
        self.refs = refs
        self.rms_bounds = [max(floor, RMS_FACTOR * e) for e in default_rms]
        self.max_bounds = [max(floor, MAX_FACTOR * e) for e in default_max]
        self.default_rms, self.default_max = default_rms, default_max

    def check(self, ours_per_set, what: str = "") -> float:
        """Asserts every output is within both bounds; returns the worst max
        relative error. ours_per_set: per input set, one array or a list of them."""
        rms, worst = _error_stats(ours_per_set, self.refs, what)
        for k in range(len(rms)):
            assert worst[k] <= self.max_bounds[k], (
                f"{what}: output {k}: max relative error vs BUILTIN_REF {worst[k]:.3e} > bound "
                f"{self.max_bounds[k]:.2e} (LiteRT default: {self.default_max[k]:.2e})")
            assert rms[k] <= self.rms_bounds[k], (
                f"{what}: output {k}: relative RMS error vs BUILTIN_REF {rms[k]:.3e} > bound "
                f"{self.rms_bounds[k]:.2e} (LiteRT default: {self.default_rms[k]:.2e})")
        return max(worst, default=0.0)


def float_oracle(model_path, input_sets, floor: float = FLOAT_FLOOR) -> FloatOracle:
    """Runs BUILTIN_REF and LiteRT's default path (AUTO: XNNPACK) on each input
    set in one subprocess; see the module docstring."""
    refs, _ = builtin_outputs(model_path, input_sets, resolver="BUILTIN_REF")
    defaults, _ = builtin_outputs(model_path, input_sets, resolver="AUTO")
    default_rms, default_max = _error_stats(defaults, refs, f"{model_path} (LiteRT default)")
    return FloatOracle(refs, default_rms, default_max, floor)


def builtin_outputs(model_path, input_sets, repeats: int = 0,
                    resolver: str = "BUILTIN_WITHOUT_DEFAULT_DELEGATES"):
    """LiteRT with ``resolver`` (default: builtin kernels without delegates),
    1 thread, on each input set (list with one array per input, input-detail order).
    Returns (outputs per set, best invoke seconds over ``repeats`` extra runs
    of the first set, or None)."""
    with tempfile.TemporaryDirectory(prefix="pyrt_kinds_") as td:
        in_npz, out_npz = Path(td) / "in.npz", Path(td) / "out.npz"
        arrays = {"n_sets": np.array(len(input_sets))}
        for i, s in enumerate(input_sets):
            arrays[f"n_in_{i}"] = np.array(len(s))
            arrays.update({f"s{i}_i{j}": np.asarray(a) for j, a in enumerate(s)})
        np.savez(in_npz, **arrays)
        cmd = [sys.executable, str(Path(__file__).resolve()), str(model_path), str(in_npz),
               str(out_npz), str(repeats), resolver]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            raise RuntimeError(f"LiteRT builtin run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        with np.load(out_npz) as z:
            outs = [[z[f"s{i}_o{j}"] for j in range(int(z[f"n_out_{i}"]))] for i in range(len(input_sets))]
            best = float(z["best"]) if repeats else None
    return outs, best


def _builtin_main(model_path: str, in_npz: str, out_npz: str, repeats: str,
                  resolver: str = "BUILTIN_WITHOUT_DEFAULT_DELEGATES") -> None:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interp = Interpreter(model_path=model_path, num_threads=1,
                         experimental_op_resolver_type=getattr(OpResolverType, resolver))
    interp.allocate_tensors()
    ins, outs = interp.get_input_details(), interp.get_output_details()
    result = {}
    with np.load(in_npz) as z:
        for i in range(int(z["n_sets"])):
            arrays = [z[f"s{i}_i{j}"] for j in range(len(ins))]
            # Inputs of another size along a free dim (a free sequence length): resize first.
            current = [tuple(d["shape"]) for d in interp.get_input_details()]
            if any(a.shape != c for a, c in zip(arrays, current)):
                for d, a in zip(ins, arrays):
                    interp.resize_tensor_input(d["index"], a.shape)
                interp.allocate_tensors()
            for d, a in zip(ins, arrays):
                interp.set_tensor(d["index"], a)
            interp.invoke()
            result[f"n_out_{i}"] = np.array(len(outs))
            for j, d in enumerate(outs):
                result[f"s{i}_o{j}"] = np.array(interp.get_tensor(d["index"]), copy=True)
            if i == 0 and int(repeats):
                times = []
                for _ in range(int(repeats)):
                    t0 = time.perf_counter()
                    interp.invoke()
                    times.append(time.perf_counter() - t0)
                result["best"] = np.array(min(times))
    np.savez(out_npz, **result)


def random_float_inputs(model_path, seed: int = 0) -> list[np.ndarray]:
    """Unit-variance float inputs, one per input detail."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.7, 1.7, size=tuple(d["shape"])).astype(np.float32)
            for d in model_zoo.model_io_details(model_path)["inputs"]]


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _builtin_main(*sys.argv[1:6])
