"""Evaluation metrics as mergeable partial sums, and batch inference on one Interpreter.

Both ``pyruntime.evaluate`` (one process) and ``pyruntime.ray.evaluate`` (a cluster)
compute their numbers here. Every sum is exact (``ExactSum``) and every other
statistic is a count, a max or an ordered list, so merging partial results in
any order gives the same report, bit for bit, as one process would.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Dict, List, Optional, Tuple, Union

import numpy as np

# Mantissas are split in two 26/27-bit halves so that int64 sums of them cannot overflow.
_HALF_BITS = 26


class ExactSum:
    """The exact sum of float64 values, independent of order and grouping.

    Each value is ``m * 2**(e - 53)`` with an integer ``m``; integers are summed
    per exponent, so ``a.merge(b)`` equals adding all values to one sum.
    ``value()`` rounds the exact sum to the nearest float64 once.
    """

    __slots__ = ("by_exponent",)

    def __init__(self) -> None:
        self.by_exponent: Dict[int, int] = {}

    def add(self, values: np.ndarray) -> "ExactSum":
        v = np.asarray(values, dtype=np.float64).ravel()
        if v.size == 0:
            return self
        if not np.all(np.isfinite(v)):
            raise ValueError("cannot sum non-finite values (inf or nan in the outputs)")
        mantissa, exponent = np.frexp(v)
        m = (mantissa * float(1 << 53)).astype(np.int64)  # exact: 53-bit mantissas
        hi, lo = m >> _HALF_BITS, m & ((1 << _HALF_BITS) - 1)
        order = np.argsort(exponent, kind="stable")
        exponent, hi, lo = exponent[order], hi[order], lo[order]
        starts = np.flatnonzero(np.r_[True, exponent[1:] != exponent[:-1]])
        hi_sums, lo_sums = np.add.reduceat(hi, starts), np.add.reduceat(lo, starts)
        for e, h, low in zip(exponent[starts].tolist(), hi_sums.tolist(), lo_sums.tolist()):
            self.by_exponent[e] = self.by_exponent.get(e, 0) + (h << _HALF_BITS) + low
        return self

    def merge(self, other: "ExactSum") -> "ExactSum":
        for e, s in other.by_exponent.items():
            self.by_exponent[e] = self.by_exponent.get(e, 0) + s
        return self

    def value(self) -> float:
        if not self.by_exponent:
            return 0.0
        low = min(self.by_exponent)
        total = sum(s << (e - low) for e, s in self.by_exponent.items())
        return float(Fraction(total) * Fraction(2) ** (low - 53))


@dataclass
class EvaluationReport:
    """What ``evaluate`` found: counts, agreement and error of a model's outputs."""

    samples: int
    accuracy: Optional[float] = None
    reference_accuracy: Optional[float] = None
    top1_agreement: Optional[float] = None
    max_abs_error: Optional[float] = None
    mean_abs_error: Optional[float] = None
    sqnr_db: Optional[float] = None
    predictions_sha256: str = ""
    seconds: float = 0.0
    samples_per_second: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        def pct(v):
            return "-" if v is None else f"{100 * v:.2f}%"

        rows = [("samples", str(self.samples)), ("accuracy", pct(self.accuracy))]
        if self.top1_agreement is not None or self.max_abs_error is not None:
            rows += [("reference accuracy", pct(self.reference_accuracy)),
                     ("top-1 agreement", pct(self.top1_agreement)),
                     ("output error max / mean", f"{self.max_abs_error:.4g} / {self.mean_abs_error:.4g}"),
                     ("SQNR", f"{self.sqnr_db:.1f} dB")]
        rows += [("predictions sha256", self.predictions_sha256),
                 ("throughput", f"{self.samples_per_second:.1f} samples/s ({self.seconds:.2f} s)")]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


class EvalSums:
    """Partial sums of an evaluation over some samples; ``merge`` combines them."""

    def __init__(self) -> None:
        self.samples = 0
        self.correct = 0
        self.reference_correct = 0
        self.agree = 0
        self.elements = 0
        self.max_abs_error = 0.0
        self.abs_error = ExactSum()
        self.squared_error = ExactSum()
        self.squared_signal = ExactSum()
        self.has_labels = False
        self.has_reference = False
        self.classifier = False
        # (first sample index, predicted classes) per chunk, to hash in sample order.
        self.chunks: List[Tuple[int, np.ndarray]] = []
        self.indexed: List[Tuple[np.ndarray, np.ndarray]] = []

    def add(self, outputs: np.ndarray, labels: Optional[np.ndarray] = None,
            reference: Optional[np.ndarray] = None, start: Optional[int] = None,
            indices: Optional[np.ndarray] = None) -> "EvalSums":
        """Adds a batch: ``outputs`` (samples x values, float), optional integer
        ``labels`` and ``reference`` outputs; the samples' positions are
        ``start, start+1, ...`` or ``indices``."""
        out = np.asarray(outputs).reshape(len(outputs), -1)
        n = len(out)
        self.classifier = out.shape[1] > 1
        predicted = out.argmax(1).astype(np.int64) if self.classifier else np.zeros(n, np.int64)
        if indices is not None:
            self.indexed.append((np.asarray(indices, dtype=np.int64), predicted))
        else:
            self.chunks.append((self.samples if start is None else int(start), predicted))
        self.samples += n
        if labels is not None:
            labels = np.asarray(labels).reshape(-1)
            if len(labels) != n:
                raise ValueError(f"{len(labels)} labels for {n} samples")
            self.has_labels = True
            self.correct += int(np.count_nonzero(predicted == labels))
        if reference is not None:
            ref = np.asarray(reference, dtype=np.float64).reshape(n, -1)
            if ref.shape != out.shape:
                raise ValueError(f"reference outputs have shape {ref.shape[1:]}, the model's {out.shape[1:]}")
            self.has_reference = True
            err = out.astype(np.float64) - ref
            if err.size:
                self.max_abs_error = max(self.max_abs_error, float(np.abs(err).max()))
            self.elements += err.size
            self.abs_error.add(np.abs(err))
            self.squared_error.add(err * err)
            self.squared_signal.add(ref * ref)
            ref_predicted = ref.argmax(1)
            self.agree += int(np.count_nonzero(ref_predicted == predicted))
            if labels is not None:
                self.reference_correct += int(np.count_nonzero(ref_predicted == labels))
        return self

    def merge(self, other: "EvalSums") -> "EvalSums":
        for name in ("samples", "correct", "reference_correct", "agree", "elements"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.max_abs_error = max(self.max_abs_error, other.max_abs_error)
        self.abs_error.merge(other.abs_error)
        self.squared_error.merge(other.squared_error)
        self.squared_signal.merge(other.squared_signal)
        self.has_labels |= other.has_labels
        self.has_reference |= other.has_reference
        self.classifier |= other.classifier
        self.chunks += other.chunks
        self.indexed += other.indexed
        return self

    def predictions(self) -> np.ndarray:
        """Predicted classes (argmax of the outputs) in sample order."""
        if self.chunks and self.indexed:
            raise ValueError("cannot mix batches given by start and by indices")
        if self.indexed:
            idx = np.concatenate([i for i, _ in self.indexed])
            pred = np.concatenate([p for _, p in self.indexed])
            order = np.argsort(idx, kind="stable")
            idx, pred = idx[order], pred[order]
        else:
            chunks = sorted(self.chunks, key=lambda c: c[0])
            idx = np.concatenate([s + np.arange(len(p)) for s, p in chunks]) if chunks else np.zeros(0, np.int64)
            pred = np.concatenate([p for _, p in chunks]) if chunks else np.zeros(0, np.int64)
        if not np.array_equal(idx, np.arange(self.samples)):
            raise RuntimeError(f"sample positions are not 0..{self.samples - 1} exactly once "
                               f"(missing or repeated samples)")
        return pred

    def report(self, seconds: float = 0.0) -> EvaluationReport:
        pred = self.predictions()
        r = EvaluationReport(samples=self.samples,
                             predictions_sha256=predictions_sha256(pred),
                             seconds=seconds,
                             samples_per_second=self.samples / seconds if seconds > 0 else 0.0)
        if self.samples == 0:
            return r
        if self.has_labels and self.classifier:
            r.accuracy = self.correct / self.samples
        if self.has_reference:
            r.max_abs_error = self.max_abs_error
            r.mean_abs_error = self.abs_error.value() / self.elements if self.elements else 0.0
            signal, noise = self.squared_signal.value(), self.squared_error.value()
            r.sqnr_db = float(10 * np.log10(signal / noise)) if noise > 0 else float("inf")
            if self.classifier:
                r.top1_agreement = self.agree / self.samples
                if self.has_labels:
                    r.reference_accuracy = self.reference_correct / self.samples
        return r


def predictions_sha256(predicted: np.ndarray) -> str:
    """SHA-256 of the predicted classes as little-endian int64, in sample order."""
    return hashlib.sha256(np.asarray(predicted, dtype="<i8").tobytes()).hexdigest()


class BatchRunner:
    """Runs whole batches of one model: one re-plan for the batch size when the
    model's batch dimension is free, else one sample at a time.

    Inputs may be float (quantized with the input's scale and zero point) or
    already in the input's dtype; outputs are float32 (dequantized) by default.
    """

    def __init__(self, model: Union[bytes, str, os.PathLike], num_threads: int = 1) -> None:
        from pyruntime.interpreter import Interpreter

        self.interp = Interpreter(model, num_threads=num_threads) if isinstance(model, (bytes, bytearray)) \
            else Interpreter(model_path=model, num_threads=num_threads)
        inputs = self.interp.get_input_details()
        if len(inputs) != 1:
            raise ValueError(f"batch inference needs a single-input model, this one has {len(inputs)} inputs")
        self.input = inputs[0]
        self.output = self.interp.get_output_details()[0]
        signature = list(self.input["shape_signature"])
        self.free_batch = len(signature) > 0 and signature[0] == -1
        self.sample_shape = tuple(int(v) for v in self.input["shape"][1:])
        self._planned_batch: Optional[int] = None

    def _as_input(self, x: np.ndarray) -> np.ndarray:
        from pyruntime.quantization import quantize

        x = np.asarray(x)
        if tuple(x.shape[1:]) != self.sample_shape:
            raise ValueError(f"input '{self.input['name']}': samples have shape {list(x.shape[1:])}, "
                             f"the model expects {list(self.sample_shape)}")
        want = np.dtype(self.input["dtype"])
        if x.dtype == want:
            return x
        if x.dtype.kind != "f":
            raise ValueError(f"input '{self.input['name']}': expected float or {want.name} samples, got {x.dtype.name}")
        return quantize(x, self.input)

    def run(self, x: np.ndarray, float_output: bool = True) -> np.ndarray:
        """Outputs of the first output tensor for the batch ``x`` (first axis = samples)."""
        from pyruntime.quantization import dequantize

        q = self._as_input(x)
        n = len(q)
        if n == 0:
            shape = (0,) + tuple(int(v) for v in self.output["shape"][1:])
            return np.zeros(shape, np.float32 if float_output else self.output["dtype"])
        if self.free_batch:
            planned = self._planned_batch
            if planned is not None and n < planned:
                # A short (last) batch: pad to the planned size rather than re-plan twice.
                q = np.concatenate([q, np.zeros((planned - n,) + q.shape[1:], q.dtype)])
            elif planned != n:
                self.interp.resize_tensor_input(self.input["index"], [n, *self.sample_shape])
                self.interp.allocate_tensors()
                self._planned_batch = n
            out = self.interp.run(np.ascontiguousarray(q))
            out = (out[0] if isinstance(out, list) else out)[:n]
        else:
            outs = []
            for i in range(n):
                o = self.interp.run(np.ascontiguousarray(q[i:i + 1]))
                outs.append(o[0] if isinstance(o, list) else o)
            out = np.concatenate(outs)
        return dequantize(out, self.output) if float_output else out


def evaluate_arrays(model, data: np.ndarray, labels: Optional[np.ndarray] = None,
                    reference_model=None, batch_size: int = 256, num_threads: int = 1,
                    progress=None) -> EvaluationReport:
    """``pyruntime.ray.evaluate`` in this process: the same numbers, no cluster.

    ``model`` and ``reference_model`` are .tflite paths or bytes run by pyruntime;
    ``progress(n)`` is called with the number of samples done after each batch.
    """
    if labels is not None and len(labels) != len(data):
        raise ValueError(f"{len(labels)} labels for {len(data)} samples")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    t0 = time.perf_counter()
    runner = BatchRunner(model, num_threads)
    reference = BatchRunner(reference_model, num_threads) if reference_model is not None else None
    sums = EvalSums()
    for start in range(0, len(data), batch_size):
        x = data[start:start + batch_size]
        sums.add(runner.run(x), None if labels is None else labels[start:start + batch_size],
                 None if reference is None else reference.run(x), start=start)
        if progress is not None:
            progress(len(x))
    return sums.report(time.perf_counter() - t0)

