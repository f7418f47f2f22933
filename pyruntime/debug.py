"""Which layer does quantization break? Per-layer error of a quantized model.

    report = pyruntime.debug_quantization(keras_model, "model_int8.tflite", x_val, y_val)
    print(report)                 # layers ranked worst first
    report.plot("sqnr.png")       # SQNR along the network, local vs accumulated

Both models run on pyruntime with every intermediate tensor kept. Each
quantized op output (int8 or int16) is matched to the float model's tensor of
the same name (the converter keeps TensorFlow's names; a trailing digit it
appends when it renames is ignored, as TF's QuantizationDebugger does), else
to the next float op of the same type in execution order. Two errors per layer:

- local: the quantized output, dequantized, minus the *float op* evaluated
  on the quantized model's own inputs to that op (dequantized; a QUANTIZE'd
  float tensor is taken before quantization) and on the float model's
  weights. This is what TF's NumericVerify ops compute in the debug model of
  `tf.lite.experimental.QuantizationDebugger`; we run the float op as a
  one-op model cut out of the float .tflite (`pyruntime.one_op`), with
  shape inputs computed at run time frozen at their values. (TF's debug
  model checks same-scale ops such as AVERAGE_POOL_2D against an int8 copy
  of themselves, which always gives 0; we use the float op there too.)
- accumulated: the same quantized output minus the float model's tensor,
  end to end (all error from the input up to this layer).

Metrics, per sample then averaged over samples (as TF's debugger does):
num_elements, stddev, mean_error, max_abs_error, mean_squared_error of the
float32 differences (dequantized - float), SQNR in dB (10 log10 of float
power over difference power; samples with no difference are left out of the
mean) and `clipped`, the share of float values beyond the quantized range by
more than half a step. Ops with several outputs (SPLIT) give one layer per
quantized output. The ranking is by local SQNR: the layer that adds the most
error relative to its own signal comes first.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Union

import numpy as np

from pyruntime.interpreter import Interpreter
from pyruntime.quantization import dequantize, quantize

# TF's _DEFAULT_LAYER_DEBUG_METRICS: same definitions, so results can be checked against it.
TF_LAYER_METRICS = {
    "num_elements": lambda diffs: diffs.size,
    "stddev": np.std,
    "mean_error": np.average,
    "max_abs_error": lambda diffs: np.max(np.abs(diffs)),
    "mean_squared_error": lambda diffs: np.average(diffs ** 2),
}
_IO_OPS = ("QUANTIZE", "DEQUANTIZE")
_BATCH_BYTES = 256 << 20  # memory a batch of samples may take


@dataclass
class LayerStats:
    """Error of one quantized op output against the float model."""

    position: int                 # rank along the network (execution order of matched layers)
    op_index: int                 # op index in the quantized model
    op_name: str
    tensor_index: int             # output tensor in the quantized model
    tensor_name: str              # the float model's name (what --keep-float takes)
    label: str                    # a readable name (the weights' name when the output's is generic)
    dtype: str
    scale: float
    zero_point: int
    local: Dict[str, float] = field(default_factory=dict)
    accumulated: Dict[str, float] = field(default_factory=dict)

    @property
    def local_sqnr(self) -> float:
        return self.local.get("sqnr_db", float("nan"))


@dataclass
class DebugReport:
    layers: List[LayerStats]      # in network order
    samples: int
    float_accuracy: Optional[float] = None
    quantized_accuracy: Optional[float] = None
    notes: List[str] = field(default_factory=list)

    def ranked(self) -> List[LayerStats]:
        """Worst first: lowest local SQNR (layers without a local value last)."""
        return sorted(self.layers, key=lambda s: (np.isnan(s.local_sqnr), s.local_sqnr))

    def as_dict(self) -> dict:
        """Plain Python values only (numpy scalars converted), ready for json.dumps."""
        return _plain({"samples": self.samples, "float_accuracy": self.float_accuracy,
                       "quantized_accuracy": self.quantized_accuracy, "notes": self.notes,
                       "layers": [asdict(s) for s in self.layers],
                       "ranked": [s.tensor_name for s in self.ranked()]})

    def __str__(self) -> str:
        def f(v, width, fmt, scale=1.0):
            missing = v is None or (isinstance(v, float) and np.isnan(v))
            return f"{'-' if missing else format(scale * v, fmt):>{width}}"

        head = (f"{'rank':>4} {'op':>4} {'type':16} {'SQNR dB':>8} {'accum dB':>8} {'MSE':>10} "
                f"{'max|err|':>9} {'clipped%':>8} {'scale':>10}  layer")
        lines = [f"per-layer quantization error, {self.samples} samples (worst local SQNR first)", head]
        for k, s in enumerate(self.ranked()):
            lo, acc = s.local, s.accumulated
            lines.append(
                f"{k + 1:>4} {s.op_index:>4} {s.op_name[:16]:16} {f(lo.get('sqnr_db'), 8, '.2f')} "
                f"{f(acc.get('sqnr_db'), 8, '.2f')} {f(lo.get('mean_squared_error'), 10, '.3g')} "
                f"{f(lo.get('max_abs_error'), 9, '.3g')} {f(lo.get('clipped'), 8, '.2f', 100)} "
                f"{s.scale:>10.4g}  {s.label}")
        if self.float_accuracy is not None:
            lines.append(f"accuracy float {100 * self.float_accuracy:.2f}% / quantized "
                         f"{100 * self.quantized_accuracy:.2f}%")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def plot(self, path: Union[str, os.PathLike], title: str = "") -> None:
        """Per-layer SQNR along the network, local vs accumulated, as a PNG."""
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            raise ImportError('the chart needs matplotlib: pip install "pyruntime[convert]"') from None
        x = np.arange(len(self.layers))
        fig, ax = plt.subplots(figsize=(max(5.0, 0.35 * len(x) + 2), 3.2))
        ax.plot(x, [s.local.get("sqnr_db", np.nan) for s in self.layers], "o-", label="local (this op)")
        ax.plot(x, [s.accumulated.get("sqnr_db", np.nan) for s in self.layers], "s--",
                label="accumulated (end to end)")
        ax.set_xticks(x)
        ax.set_xticklabels([f"{s.op_index}:{s.label[-18:]}" for s in self.layers],
                           rotation=45 if len(x) > 3 else 0, ha="right" if len(x) > 3 else "center", fontsize=7)
        ax.set_ylabel("SQNR (dB)")
        ax.set_title(title or "per-layer SQNR, float vs quantized", fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(str(path), dpi=90)
        plt.close(fig)


def _short(name: str, width: int = 48) -> str:
    """The most telling part of a converter tensor name ('a/b/MatMul;a/b/Relu' -> 'b/MatMul')."""
    first = name.split(";")[0]
    parts = first.split("/")
    short = "/".join(parts[-2:]) if len(parts) > 1 else first
    return short if len(short) <= width else "..." + short[-width + 3:]


def float_tflite(model) -> bytes:
    """A float .tflite of `model`: .tflite bytes or path as is; a Keras model,
    .keras/.h5 file or SavedModel directory converted with TensorFlow."""
    if isinstance(model, (bytes, bytearray)):
        return bytes(model)
    if isinstance(model, (str, os.PathLike)) and str(model).endswith(".tflite"):
        return Path(model).read_bytes()
    from pyruntime.convert import _converter, _tf

    tf = _tf()
    with contextlib.redirect_stdout(sys.stderr):
        return bytes(_converter(tf, model).convert())


def layer_label(tensors: List[dict], op: dict) -> str:
    """A readable name for an op: its output's, or its first named constant
    input's when the output has a generic name (graph outputs are
    'StatefulPartitionedCall:0')."""
    name = tensors[op["outputs"][0]]["name"]
    if "/" in name:
        return _short(name)
    for t in op["inputs"][1:]:
        if t >= 0 and "/" in tensors[t]["name"]:
            return _short(tensors[t]["name"])
    return name


def _strip_renamed(name: str) -> str:
    return name[:-1] if name and re.match(r"\d", name[-1]) else name


def _match_layers(qi: Interpreter, fi: Interpreter) -> List[tuple]:
    """(quantized op, float op) pairs, in the quantized model's op order."""
    qt, ft = qi.get_tensor_details(), fi.get_tensor_details()
    fops = [op for op in fi._get_ops_details() if op["op_name"] not in _IO_OPS]
    by_name = {ft[op["outputs"][0]]["name"]: k for k, op in enumerate(fops)}
    pairs, used, cursor = [], set(), 0

    def same_kind(k: int, op: dict) -> bool:
        return fops[k]["op_name"] == op["op_name"] and len(fops[k]["outputs"]) == len(op["outputs"])

    for op in qi._get_ops_details():
        if op["op_name"] in _IO_OPS or not any(_is_activation(qt[t]) for t in op["outputs"]):
            continue  # a layer left in float, or integer outputs that are not activations
        name = qt[op["outputs"][0]]["name"]
        k = by_name.get(name, by_name.get(_strip_renamed(name)))
        if k is None or k in used or not same_kind(k, op):
            k = next((j for j in range(cursor, len(fops)) if j not in used and same_kind(j, op)), None)
        if k is None:
            continue
        used.add(k)
        cursor = max(cursor, k + 1)
        pairs.append((op, fops[k]))
    return pairs


def _is_activation(details: dict) -> bool:
    return np.dtype(details["dtype"]) in (np.int8, np.int16) and details["quantization"][0] != 0


def _plain(value):
    """numpy scalars inside dicts and lists -> Python numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value


def _row_metrics(got: np.ndarray, reference: np.ndarray, lo: float, hi: float) -> Dict[str, np.ndarray]:
    """Per-sample metrics of a batch (first axis = samples), one value per row.

    As TF computes them: float32 diffs (dequantized - float), their mean and
    the mean of their squares by NumPy's pairwise float32 sums; the variance
    from those two (in float64) unless the mean dominates it, then two passes
    as np.std. Each row is reduced on its own, so a sample's numbers do not
    depend on the batch it came in.
    """
    rows = len(got)
    ref = reference.astype(np.float32, copy=False).reshape(rows, -1)
    diffs = np.subtract(got.reshape(rows, -1), ref, dtype=np.float32)
    n = diffs.shape[1]
    scratch = np.multiply(diffs, diffs)
    # float32 quotients as np.average's: averaged over samples, their rounding is what TF reports
    mean = (np.add.reduce(diffs, axis=1) / np.float32(n)).astype(np.float64)
    mse = (np.add.reduce(scratch, axis=1) / np.float32(n)).astype(np.float64)
    np.multiply(ref, ref, out=scratch)
    signal = np.add.reduce(scratch, axis=1).astype(np.float64)
    var = mse - mean * mean
    for r in np.flatnonzero(var < 0.01 * mse):  # cancellation: recompute as np.std does
        var[r] = float(np.std(diffs[r])) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        sqnr = np.where(mse == 0, np.inf, np.where(signal > 0, 10 * np.log10(signal / (mse * n)), -np.inf))
    clipped = np.zeros(rows)
    outside = (ref.min(axis=1) < lo) | (ref.max(axis=1) > hi)
    for r in np.flatnonzero(outside):
        clipped[r] = (np.count_nonzero(ref[r] < lo) + np.count_nonzero(ref[r] > hi)) / n
    max_abs = np.maximum(diffs.max(axis=1), -diffs.min(axis=1)).astype(np.float64)
    return {"num_elements": np.full(rows, float(n)), "stddev": np.sqrt(np.maximum(var, 0)),
            "mean_error": mean, "max_abs_error": max_abs, "mean_squared_error": mse, "sqnr_db": sqnr,
            "clipped": clipped}


def _dequantizer(details: dict):
    """float32(q) - zero point, times scale, in place: quantization.dequantize's values in fewer passes."""
    scale, zero_point = np.float32(details["quantization"][0]), np.float32(details["quantization"][1])

    def run(q: np.ndarray) -> np.ndarray:
        x = q.astype(np.float32)
        x -= zero_point
        x *= scale
        return x

    return run


def _mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return float(values[0]) if len(values) else float("nan")
    return float(np.mean(finite))


class _LocalOp:
    """The float op of one layer, run alone on chosen inputs: a batch of
    samples at once where its inputs' batch is free, else one at a time."""

    def __init__(self, extractor, float_op: dict, quant_op: dict, frozen: Dict[int, np.ndarray],
                 batch: int, num_threads: int):
        self.batched = False
        if batch > 1:
            try:
                model, graph_inputs = extractor.extract(float_op["index"], frozen, batch=batch)
                self.interp = Interpreter(model_content=model, num_threads=num_threads)
                want = [batch] * len(graph_inputs)
                self.batched = [int(d["shape"][0]) for d in self.interp.get_input_details()] == want
            except (ValueError, RuntimeError):
                pass
        if not self.batched:
            model, graph_inputs = extractor.extract(float_op["index"], frozen)
            self.interp = Interpreter(model_content=model, num_threads=num_threads)
        # float tensor index -> the quantized model's tensor at the same input position
        position = {t: k for k, t in enumerate(float_op["inputs"])}
        self.sources = [quant_op["inputs"][position[t]] for t in graph_inputs]

    def __call__(self, values: List[np.ndarray]) -> List[np.ndarray]:
        if self.batched or len(values[0]) == 1:
            out = self.interp.run(values)
            return [np.asarray(a) for a in out] if isinstance(out, (list, tuple)) else [np.asarray(out)]
        rows = [self([v[k:k + 1] for v in values]) for k in range(len(values[0]))]
        return [np.concatenate([r[j] for r in rows]) for j in range(len(rows[0]))]


def _free_batch(interp: Interpreter, batch: int) -> bool:
    """Re-plans `interp` for `batch` samples a run, if its input's batch is free."""
    d = interp.get_input_details()[0]
    if batch == 1 or len(d["shape"]) == 0 or int(d["shape"][0]) == batch:
        return batch == 1 or int(d["shape"][0]) == batch
    try:
        interp.resize_tensor_input(d["index"], [batch] + [int(v) for v in d["shape"][1:]])
        interp.allocate_tensors()
        return True
    except (ValueError, RuntimeError):
        return False


def debug_quantization(float_model, quantized_tflite: Union[bytes, str, os.PathLike], data: np.ndarray,
                       labels: Optional[np.ndarray] = None, batch_size: int = 32,
                       num_threads: int = 1) -> DebugReport:
    """Per-layer error of `quantized_tflite` (int8 or 16x8) against `float_model`
    (Keras model, .keras file, SavedModel directory or float .tflite) on `data`
    (first axis = samples).

    Samples go through the models `batch_size` at a time (fewer where a batch
    would take more than about 256 MB) when both models leave their batch
    free, else one at a time; each sample's numbers are the same either way.
    `num_threads` is each interpreter's."""
    data = np.asarray(data, dtype=np.float32)
    if data.ndim < 2 or len(data) == 0:
        raise ValueError("data must be an array of samples (first axis = samples)")
    if labels is not None and len(labels) != len(data):
        raise ValueError(f"{len(labels)} labels for {len(data)} samples")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if not isinstance(quantized_tflite, (bytes, bytearray)):
        quantized_tflite = Path(quantized_tflite).read_bytes()
    float_bytes = float_tflite(float_model)
    qi = Interpreter(model_content=bytes(quantized_tflite), preserve_all_tensors=True, num_threads=num_threads)
    fi = Interpreter(model_content=float_bytes, preserve_all_tensors=True, num_threads=num_threads)
    for name, interp in (("quantized", qi), ("float", fi)):
        if len(interp.get_input_details()) != 1:
            raise ValueError(f"the {name} model has {len(interp.get_input_details())} inputs; "
                             "debugging supports one-input models")
    ft = fi.get_tensor_details()
    quantized_ops = [op["index"] for op in fi._get_ops_details() if op["op_name"] not in _IO_OPS
                     and any(np.dtype(ft[t]["dtype"]) in (np.int8, np.uint8, np.int16) for t in op["outputs"])]
    if quantized_ops:
        raise ValueError(f"the float model has quantized ops ({len(quantized_ops)}, first op {quantized_ops[0]}): "
                         "pass the float model (Keras, SavedModel or float .tflite)")
    want = tuple(int(v) for v in fi.get_input_details()[0]["shape"][1:])
    if tuple(data.shape[1:]) != want:
        raise ValueError(f"data samples have shape {data.shape[1:]}, the float model expects {want}")
    # Kept tensors of both models, dequantized copies and local references: about 4 float
    # copies of the float model's tensors a sample; at most _BATCH_BYTES of them at once.
    sample_bytes = 16 * sum(int(np.prod(d["shape"])) for d in ft if np.dtype(d["dtype"]) == np.float32)
    batch = max(1, min(batch_size, len(data), _BATCH_BYTES // max(sample_bytes, 1)))
    if batch > 1 and not (_free_batch(qi, batch) and _free_batch(fi, batch)):
        batch = 1
        qi = Interpreter(model_content=bytes(quantized_tflite), preserve_all_tensors=True, num_threads=num_threads)
        fi = Interpreter(model_content=float_bytes, preserve_all_tensors=True, num_threads=num_threads)
    q_in, f_in = qi.get_input_details()[0], fi.get_input_details()[0]

    from pyruntime.one_op import OpExtractor

    extractor = OpExtractor(float_bytes)
    qt = qi.get_tensor_details()
    producer = {t: op for op in qi._get_ops_details() for t in op["outputs"]}
    pairs = _match_layers(qi, fi)
    notes: List[str] = []
    locals_: List[Optional[_LocalOp]] = []

    def build_local_ops() -> None:
        """After the first float run: non-float inputs that are not constants
        (shapes computed by SHAPE ops) are frozen at their values."""
        for qop, fop in pairs:
            local = None
            if len(qop["inputs"]) == len(fop["inputs"]):
                frozen = {t: fi.get_tensor(t) for t in fop["inputs"]
                          if t >= 0 and np.dtype(ft[t]["dtype"]) != np.float32 and not extractor.is_constant(t)}
                try:
                    local = _LocalOp(extractor, fop, qop, frozen, batch, num_threads)
                except (ValueError, RuntimeError) as e:
                    notes.append(f"op {qop['index']} ({qop['op_name']}): no local error ({str(e)[:100]})")
            locals_.append(local)

    dequantizers: Dict[int, object] = {}

    def dequantized(t: int, cache: Dict[int, np.ndarray]) -> np.ndarray:
        """Tensor t of the quantized model in float32, dequantized once a batch."""
        if t not in cache:
            if np.dtype(qt[t]["dtype"]) in (np.int8, np.int16):
                if t not in dequantizers:
                    dequantizers[t] = _dequantizer(qt[t])
                cache[t] = dequantizers[t](qi.get_tensor(t))
            else:
                cache[t] = dequantize(qi.get_tensor(t), qt[t])
        return cache[t]

    def source_value(t: int, cache: Dict[int, np.ndarray]) -> np.ndarray:
        """The float value the float op sees for the quantized model's tensor t."""
        op = producer.get(t)
        if op is not None and op["op_name"] == "QUANTIZE" and np.dtype(qt[op["inputs"][0]]["dtype"]) == np.float32:
            return qi.get_tensor(op["inputs"][0])
        return dequantized(t, cache)

    # One layer per quantized activation output: (pair, output position, range without clipping).
    outputs = []
    for p, (qop, _) in enumerate(pairs):
        for j, t in enumerate(qop["outputs"]):
            if _is_activation(qt[t]):
                info = np.iinfo(np.dtype(qt[t]["dtype"]))
                scale, zp = qt[t]["quantization"]
                outputs.append((p, j, (info.min - zp - 0.5) * scale, (info.max - zp + 0.5) * scale))
    per_sample: List[Dict[str, List[Dict[str, np.ndarray]]]] = [{"local": [], "accumulated": []} for _ in outputs]
    q_top1, f_top1 = [], []
    for start in range(0, len(data), batch):
        samples = data[start:start + batch]
        real = len(samples)
        if real < batch:  # the last batch, padded with its last sample: the plan stays
            samples = np.concatenate([samples, np.repeat(samples[-1:], batch - real, axis=0)])
        qi.set_tensor(q_in["index"], quantize(samples, q_in))
        qi.invoke()
        fi.set_tensor(f_in["index"], samples)
        fi.invoke()
        if not locals_:
            build_local_ops()
        if labels is not None:
            q_out = qi.get_tensor(qi.get_output_details()[0]["index"])
            f_out = fi.get_tensor(fi.get_output_details()[0]["index"])
            q_top1 += [int(np.argmax(v)) for v in q_out[:real]]
            f_top1 += [int(np.argmax(v)) for v in f_out[:real]]
        cache: Dict[int, np.ndarray] = {}
        references = [local([source_value(s, cache) for s in local.sources]) if local is not None else None
                      for local in locals_]
        for k, (p, j, lo, hi) in enumerate(outputs):
            qop, fop = pairs[p]
            got = dequantized(qop["outputs"][j], cache)[:real]
            per_sample[k]["accumulated"].append(_row_metrics(got, fi.get_tensor(fop["outputs"][j])[:real], lo, hi))
            if references[p] is not None:
                per_sample[k]["local"].append(_row_metrics(got, references[p][j][:real], lo, hi))
    layers = []
    for k, ((p, j, _, _), samples) in enumerate(zip(outputs, per_sample)):
        qop, fop = pairs[p]
        t = qop["outputs"][j]
        scale, zp = qt[t]["quantization"]
        label = layer_label(ft, fop) + (f" [{j}]" if len(qop["outputs"]) > 1 else "")
        stats = LayerStats(position=k, op_index=qop["index"], op_name=qop["op_name"], tensor_index=t,
                           tensor_name=ft[fop["outputs"][j]]["name"], label=label,
                           dtype=np.dtype(qt[t]["dtype"]).name, scale=float(scale), zero_point=int(zp))
        for kind in ("local", "accumulated"):
            if samples[kind]:
                values = {n: np.concatenate([b[n] for b in samples[kind]]) for n in samples[kind][0]}
                # TF averages each metric over samples with np.nanmean; SQNR skips exact (inf) samples.
                getattr(stats, kind).update(
                    {n: (_mean(v) if n == "sqnr_db" else float(np.nanmean(v))) for n, v in values.items()})
        layers.append(stats)
    report = DebugReport(layers=layers, samples=len(data), notes=notes)
    if labels is not None:
        labels = np.asarray(labels)
        report.float_accuracy = float(np.mean(np.array(f_top1) == labels))
        report.quantized_accuracy = float(np.mean(np.array(q_top1) == labels))
    return report
