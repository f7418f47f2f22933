"""Quantize a float model with TensorFlow's converter and measure what it cost.

Needs TensorFlow (``pip install "pyruntime[convert]"``); running models never does.

    tflite_bytes, report = pyruntime.quantize(keras_model, "int8", representative_data=x[:100])
    print(report)                      # sizes, agreement, error, latency
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, List, Optional, Tuple, Union

import numpy as np

from pyruntime.evaluation import EvalSums

MODES = ("dynamic", "int8", "float16", "int16x8")
IO_TYPES = ("int8", "uint8", "float32")
_CHUNK = 256  # samples per metric update in evaluate


def _tf():
    try:
        import tensorflow as tf
    except ImportError:
        raise ImportError('quantizing needs TensorFlow: pip install "pyruntime[convert]"') from None
    return tf


def _converter(tf, model):
    """A TFLiteConverter for a Keras model, a .keras/.h5 file or a SavedModel directory."""
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if path.is_dir():
            return tf.lite.TFLiteConverter.from_saved_model(str(path))
        if not path.exists():
            raise FileNotFoundError(f"no model at {path}")
        model = tf.keras.models.load_model(str(path))
    if not hasattr(model, "inputs"):
        raise TypeError(f"expected a Keras model, a .keras file or a SavedModel directory, got {type(model).__name__}")
    return tf.lite.TFLiteConverter.from_keras_model(model)


def _representative(data, model) -> callable:
    """A representative_dataset callable from an array (first axis = samples) or an iterable."""
    if isinstance(data, np.ndarray):
        if data.ndim < 1 or len(data) == 0:
            raise ValueError("representative_data must hold at least one sample")
        expected = getattr(model, "inputs", None)
        if expected is not None and len(expected) == 1:
            want = tuple(expected[0].shape[1:])
            if tuple(data.shape[1:]) != want and None not in want:
                raise ValueError(f"representative_data samples have shape {data.shape[1:]}, the model expects {want}")

        def gen():
            for sample in data:
                yield [np.asarray(sample[None], dtype=np.float32)]
        return gen

    def gen():
        for sample in data:
            yield [np.asarray(s, dtype=np.float32) for s in (sample if isinstance(sample, (list, tuple)) else [sample])]
    return gen


def convert(model, mode: str, representative_data: Optional[Union[np.ndarray, Iterable]] = None,
            io: str = "int8") -> bytes:
    """The .tflite bytes of `model` quantized in `mode` (see MODES); io is the
    input/output type of full-integer models."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    if io not in IO_TYPES:
        raise ValueError(f"io must be one of {IO_TYPES}, got {io!r}")
    if mode in ("int8", "int16x8") and representative_data is None:
        raise ValueError(f"mode {mode!r} needs representative_data (a few hundred typical inputs)")
    tf = _tf()
    loaded = model
    if isinstance(model, (str, os.PathLike)) and not Path(model).is_dir():
        loaded = tf.keras.models.load_model(str(model))
    converter = _converter(tf, loaded)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    elif mode == "int8":
        converter.representative_dataset = _representative(representative_data, loaded)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = {"int8": tf.int8, "uint8": tf.uint8, "float32": tf.float32}[io]
        converter.inference_output_type = converter.inference_input_type
    elif mode == "int16x8":
        converter.representative_dataset = _representative(representative_data, loaded)
        converter.target_spec.supported_ops = [
            tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    with contextlib.redirect_stdout(sys.stderr):  # Keras export prints to stdout
        return bytes(converter.convert())


@dataclass
class QuantizationReport:
    """What quantization cost: size, agreement with the float model, error, speed."""

    float_bytes: int
    quantized_bytes: int
    compression: float
    samples: int
    top1_agreement: Optional[float] = None
    float_accuracy: Optional[float] = None
    quantized_accuracy: Optional[float] = None
    max_abs_error: float = 0.0
    mean_abs_error: float = 0.0
    sqnr_db: float = 0.0
    quantized_ms: Optional[float] = None
    float_ms: Optional[float] = None
    quantized_runtime: str = "pyruntime"
    notes: List[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        def pct(v):
            return "-" if v is None else f"{100 * v:.2f}%"

        def ms(v):
            return "-" if v is None else f"{v:.3f} ms"

        rows = [
            ("size", f"{self.float_bytes / 1024:.1f} KB -> {self.quantized_bytes / 1024:.1f} KB "
                     f"({self.compression:.2f}x smaller)"),
            ("samples", str(self.samples)),
            ("top-1 agreement", pct(self.top1_agreement)),
            ("accuracy float / quantized", f"{pct(self.float_accuracy)} / {pct(self.quantized_accuracy)}"),
            ("output error max / mean", f"{self.max_abs_error:.4g} / {self.mean_abs_error:.4g}"),
            ("SQNR", f"{self.sqnr_db:.1f} dB"),
            (f"latency quantized ({self.quantized_runtime}) / float", f"{ms(self.quantized_ms)} / {ms(self.float_ms)}"),
        ] + [("note", n) for n in self.notes]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


class _FloatRunner:
    """Runs the float reference: a Keras model (or file) or a float .tflite."""

    def __init__(self, model):
        self.tflite = None
        self.keras = None
        if isinstance(model, (bytes, bytearray)) or (isinstance(model, (str, os.PathLike))
                                                    and str(model).endswith(".tflite")):
            from pyruntime.interpreter import Interpreter
            self.tflite = Interpreter(model)
            self.size = len(model) if isinstance(model, (bytes, bytearray)) else Path(model).stat().st_size
        else:
            tf = _tf()
            self.keras = tf.keras.models.load_model(str(model)) if isinstance(model, (str, os.PathLike)) else model
            with contextlib.redirect_stdout(sys.stderr):
                float_tflite = tf.lite.TFLiteConverter.from_keras_model(self.keras).convert()
            self.size = len(float_tflite)
            # Run the float model as its float32 .tflite on pyruntime when we
            # can: same runtime for both latencies, no Keras call overhead.
            from pyruntime import ModelError
            from pyruntime.interpreter import Interpreter
            try:
                self.tflite = Interpreter(model_content=float_tflite)
                self.keras = None
            except ModelError:
                pass

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.tflite is not None:
            return np.asarray(self.tflite.run(x.astype(np.float32), float_io=True))
        return np.asarray(self.keras(x.astype(np.float32), training=False))


def _quantized_runner(tflite: bytes) -> Tuple[Any, str, List[str]]:
    import pyruntime
    try:
        interp = pyruntime.Interpreter(model_content=tflite)
        return (lambda x: np.asarray(interp.run(x, float_io=True))), "pyruntime", []
    except pyruntime.ModelError as e:
        from ai_edge_litert.interpreter import Interpreter as LiteRT

        lite = LiteRT(model_content=tflite)
        lite.allocate_tensors()
        inp, out = lite.get_input_details()[0], lite.get_output_details()[0]
        from pyruntime.quantization import dequantize, quantize

        def run(x):
            lite.set_tensor(inp["index"], quantize(x, inp))
            lite.invoke()
            return dequantize(lite.get_tensor(out["index"]), out)
        return run, "LiteRT", [f"pyruntime cannot run this model yet ({str(e)[:120]}); timed with LiteRT"]


def _median_ms(fn, x, repeats: int = 20) -> float:
    fn(x)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t)
    return float(np.median(times) * 1e3)


def evaluate(float_model, quantized_tflite: Union[bytes, str, os.PathLike], data: np.ndarray,
             labels: Optional[np.ndarray] = None) -> QuantizationReport:
    """Compares a quantized .tflite with its float model on `data` (first axis = samples)."""
    data = np.asarray(data, dtype=np.float32)
    if data.ndim < 2 or len(data) == 0:
        raise ValueError("data must be an array of samples (first axis = samples)")
    if labels is not None and len(labels) != len(data):
        raise ValueError(f"{len(labels)} labels for {len(data)} samples")
    if not isinstance(quantized_tflite, (bytes, bytearray)):
        quantized_tflite = Path(quantized_tflite).read_bytes()
    reference = _FloatRunner(float_model)
    quantized, runtime, notes = _quantized_runner(quantized_tflite)
    # Metrics as exact partial sums (pyruntime.evaluation): the same numbers as
    # pyruntime.ray.evaluate computes on a cluster.
    sums = EvalSums()
    for start in range(0, len(data), _CHUNK):
        x = data[start:start + _CHUNK]
        ref_out = np.concatenate([reference(x[i:i + 1]).reshape(1, -1) for i in range(len(x))])
        q_out = np.concatenate([quantized(x[i:i + 1]).reshape(1, -1) for i in range(len(x))])
        sums.add(q_out, None if labels is None else np.asarray(labels)[start:start + _CHUNK], ref_out, start=start)
    metrics = sums.report()
    report = QuantizationReport(
        float_bytes=reference.size, quantized_bytes=len(quantized_tflite),
        compression=reference.size / max(1, len(quantized_tflite)), samples=len(data),
        top1_agreement=metrics.top1_agreement, float_accuracy=metrics.reference_accuracy,
        quantized_accuracy=metrics.accuracy, max_abs_error=metrics.max_abs_error,
        mean_abs_error=metrics.mean_abs_error, sqnr_db=metrics.sqnr_db,
        quantized_ms=_median_ms(quantized, data[:1]), float_ms=_median_ms(reference, data[:1]),
        quantized_runtime=runtime, notes=notes)
    return report


def quantize(model, mode: str, representative_data=None, io: str = "int8",
             eval_data: Optional[np.ndarray] = None, eval_labels: Optional[np.ndarray] = None
             ) -> Tuple[bytes, Optional[QuantizationReport]]:
    """Quantizes `model` (Keras model, .keras file or SavedModel directory) in
    `mode` ("dynamic", "int8", "float16", "int16x8") with TensorFlow's converter.

    Returns the .tflite bytes and a QuantizationReport measured on
    `eval_data` (default: the representative data, if it is an array), or
    None when there is no data to evaluate on.
    """
    tflite = convert(model, mode, representative_data, io)
    data = eval_data if eval_data is not None else (
        representative_data if isinstance(representative_data, np.ndarray) else None)
    if data is None:
        return tflite, None
    return tflite, evaluate(model, tflite, data, eval_labels)
