"""Selective quantization: int8 everywhere except the layers that lose accuracy.

    tflite, report = pyruntime.quantize_keep_float(keras_model, "auto", x_calib, x_val, y_val)
    print(report)        # one row per step: layers kept in float, size, accuracy, latency

The model is calibrated once; each candidate is quantized from the calibrated
model by TensorFlow's MLIR quantizer with `denylisted_nodes` (the mechanism
behind `tf.lite.experimental.QuantizationDebugOptions`): those ops stay float
with DEQUANTIZE/QUANTIZE around them, every other op stays int8. Inputs and
outputs are float32, so a float layer may sit at either end.

`auto` ranks the layers with `pyruntime.debug_quantization` on the evaluation
data (worst local SQNR first) and keeps the worst ones in float one at a time
until accuracy (top-1 against labels, or agreement with the float model
without labels) is within `max_accuracy_drop` of the float model's, or the
next step would exceed `max_size_bytes`.

16x8 models are not supported: TF 2.21's MLIR quantizer emits asymmetric int16
activations for them (not valid 16x8), and its 16x8 quantizer has no denylist.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

from pyruntime.convert import _median_ms, _representative, _tf


@dataclass
class SelectiveStep:
    kept_float: List[str]               # float tensor names (the converter's denylist)
    kept_labels: List[str]              # the same, readable (as in the debug table)
    size_bytes: int
    accuracy: float
    latency_ms: float


@dataclass
class SelectiveReport:
    float_accuracy: float
    metric: str                         # "accuracy" (labels) or "top-1 agreement" (with the float model)
    max_accuracy_drop: float
    steps: List[SelectiveStep] = field(default_factory=list)
    chosen: int = 0                     # index into steps of the returned model
    ranking: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        lines = [f"float model {self.metric}: {100 * self.float_accuracy:.2f}% "
                 f"(target: at most {100 * self.max_accuracy_drop:.2f} points lower)",
                 f"{'step':>4} {'float layers':>12} {'size KB':>8} {self.metric:>16} {'ms (pyruntime)':>14}"
                 "  kept in float"]
        for k, s in enumerate(self.steps):
            mark = "*" if k == self.chosen else " "
            kept = ", ".join(s.kept_labels or s.kept_float) if s.kept_float else "(none: full int8)"
            lines.append(f"{k:>3}{mark} {len(s.kept_float):>12} {s.size_bytes / 1024:>8.1f} "
                         f"{100 * s.accuracy:>15.2f}% {s.latency_ms:>14.4f}  {kept}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


class _Requantizer:
    """Calibrates once, then quantizes with any denylist."""

    def __init__(self, model, representative_data):
        from pyruntime.convert import _converter

        tf = _tf()
        loaded = model
        if isinstance(model, (str, os.PathLike)) and not Path(model).is_dir():
            loaded = tf.keras.models.load_model(str(model))
        with contextlib.redirect_stdout(sys.stderr):
            self.float_model = bytes(_converter(tf, loaded).convert())
            converter = _converter(tf, loaded)
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
            converter.representative_dataset = _representative(representative_data, loaded)
            converter._experimental_calibrate_only = True  # the documented route of QuantizationDebugger
            self.calibrated = converter.convert()
        self.labels = self._labels()

    def _labels(self) -> dict:
        """Output tensor name -> readable name (as `debug` shows it), for every op."""
        from pyruntime.debug import layer_label
        from pyruntime.interpreter import Interpreter

        interp = Interpreter(model_content=self.float_model)
        tensors = interp.get_tensor_details()
        return {tensors[op["outputs"][0]]["name"]: layer_label(tensors, op)
                for op in interp._get_ops_details() if op["outputs"]}

    def resolve(self, names: Sequence[str]) -> List[str]:
        """Float tensor names for exact names or unique substrings of a name or its label."""
        out = []
        for name in names:
            if name in self.labels:
                out.append(name)
                continue
            hits = [n for n, label in self.labels.items() if name in n or name in label]
            if len(hits) != 1:
                raise ValueError(f"--keep-float '{name}' matches {len(hits)} layers"
                                 + (f": {hits[:5]}" if hits else f"; layers are: {list(self.labels.values())}"))
            out.append(hits[0])
        return out

    def quantize(self, keep_float: Sequence[str]) -> bytes:
        from tensorflow.lite.python import convert as tf_convert

        with contextlib.redirect_stdout(sys.stderr):
            return bytes(tf_convert.mlir_quantize(self.calibrated, denylisted_nodes=list(keep_float) or None))


def _predictions(tflite: bytes, data: np.ndarray) -> Tuple[np.ndarray, float]:
    from pyruntime.interpreter import Interpreter

    interp = Interpreter(model_content=tflite)
    top1 = np.array([int(np.argmax(interp.run(x[None], float_io=True))) for x in data])
    return top1, _median_ms(lambda x: interp.run(x, float_io=True), data[:1])


def quantize_keep_float(model, keep_float: Union[str, Sequence[str]], representative_data: np.ndarray,
                        eval_data: Optional[np.ndarray] = None, eval_labels: Optional[np.ndarray] = None,
                        max_accuracy_drop: float = 0.01, max_size_bytes: Optional[int] = None,
                        max_steps: int = 20) -> Tuple[bytes, SelectiveReport]:
    """int8 with the layers `keep_float` (names, or "auto") left in float.

    `max_accuracy_drop` is a fraction (0.01 = 1 point). Returns the chosen
    model's bytes and a report of every step.
    """
    data = np.asarray(eval_data if eval_data is not None else representative_data, dtype=np.float32)
    requant = _Requantizer(model, representative_data)
    float_top1, _ = _predictions(requant.float_model, data)
    truth = np.asarray(eval_labels) if eval_labels is not None else float_top1
    metric = "accuracy" if eval_labels is not None else "top-1 agreement"
    report = SelectiveReport(float_accuracy=float(np.mean(float_top1 == truth)), metric=metric,
                             max_accuracy_drop=max_accuracy_drop)

    def step(kept: List[str]) -> Tuple[bytes, SelectiveStep]:
        tflite = requant.quantize(kept)
        top1, ms = _predictions(tflite, data)
        return tflite, SelectiveStep(list(kept), [requant.labels.get(n, n) for n in kept], len(tflite),
                                     float(np.mean(top1 == truth)), ms)

    if keep_float != "auto":
        names = [keep_float] if isinstance(keep_float, str) else list(keep_float)
        tflite, s = step(requant.resolve(names))
        report.steps.append(s)
        return tflite, report

    from pyruntime.debug import debug_quantization

    tflite, s = step([])
    report.steps.append(s)
    best = tflite
    ranking = [layer.tensor_name for layer in debug_quantization(requant.float_model, tflite, data).ranked()]
    report.ranking = ranking
    kept: List[str] = []
    for name in ranking[:max_steps]:
        if report.float_accuracy - report.steps[report.chosen].accuracy <= max_accuracy_drop + 1e-12:
            break
        candidate, s = step(kept + [name])
        if max_size_bytes is not None and s.size_bytes > max_size_bytes:
            report.notes.append(f"keeping '{name}' in float would exceed the size budget "
                                f"({s.size_bytes} > {max_size_bytes} bytes); stopped")
            break
        kept.append(name)
        report.steps.append(s)
        report.chosen = len(report.steps) - 1
        best = candidate
    if report.float_accuracy - report.steps[report.chosen].accuracy > max_accuracy_drop + 1e-12:
        report.notes.append(f"target not reached: {metric} is "
                            f"{100 * (report.float_accuracy - report.steps[report.chosen].accuracy):.2f} "
                            "points below float")
    return best, report
