"""Command line: ``pyruntime [COMMAND]`` (or ``python -m pyruntime``).

With no command it runs the demo: a small int8 CNN that ships inside the
package, on held-out images of scikit-learn's digits data set.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Callable, Dict, List, Optional

import numpy as np

import pyruntime
from pyruntime.quantization import quantize

DEMO_MODEL = "digits_int8.tflite"
DEMO_DATA = "digits_test.npz"


def _data_file(name: str) -> Path:
    return Path(str(resources.files("pyruntime") / "data" / name))


def _timings_us(fn: Callable[[], object], repeats: int) -> np.ndarray:
    times = np.empty(repeats)
    for i in range(repeats):
        t0 = time.perf_counter()
        fn()
        times[i] = time.perf_counter() - t0
    return times * 1e6


def _op_counts(interp: pyruntime.Interpreter) -> str:
    ops = Counter(op["op_name"] for op in interp._get_ops_details())
    return ", ".join(f"{name} x{n}" for name, n in sorted(ops.items()))


def run_demo(args) -> int:
    """Runs the bundled digits model and prints accuracy and latency."""
    model_path = _data_file(DEMO_MODEL)
    data = np.load(_data_file(DEMO_DATA))
    x, y = data["x"], data["y"]
    interp = pyruntime.Interpreter(model_path, num_threads=args.threads)
    inp = interp.get_input_details()[0]
    out = interp.get_output_details()[0]
    print(f"pyruntime {pyruntime.__version__} demo")
    print(f"model    {model_path.name} ({model_path.stat().st_size / 1024:.1f} KB): {_op_counts(interp)}")
    print(f"input    {inp['name']} {inp['dtype'].__name__}{inp['shape'].tolist()} "
          f"scale={inp['quantization'][0]:.6g} zero_point={inp['quantization'][1]}")
    print(f"output   {out['name']} {out['dtype'].__name__}{out['shape'].tolist()}")
    print(f"arena    {interp.arena_bytes} bytes")
    print(f"kernels  {interp.kernel_path} (this CPU runs: {', '.join(pyruntime.cpu_paths())})")
    q = quantize(x, inp)
    predictions = np.array([int(np.argmax(interp.run(q[i:i + 1]))) for i in range(len(q))])
    accuracy = float(np.mean(predictions == y))
    print(f"accuracy {accuracy * 100:.2f}% on {len(y)} held-out digits "
          f"(first predictions {predictions[:10].tolist()}, labels {y[:10].tolist()})")
    sample = q[:1]
    _timings_us(lambda: interp.run(sample), 100)
    us = float(np.median(_timings_us(lambda: interp.run(sample), 2000)))
    print(f"time     {us:.2f} us per run(x) (median of 2000, {args.threads} thread(s), incl. input/output copies)")
    return 0


def run_inspect(args) -> int:
    """Prints inputs, outputs, ops, MACs, parameter and arena bytes (and tensors) of a model."""
    interp = pyruntime.Interpreter(args.model)
    native = interp._native()
    tensors = interp.get_tensor_details()
    ops = interp._get_ops_details()
    macs = interp.count_macs()
    constants = [t for t in tensors if native.tensor_details(t["index"])["is_constant"]]
    info = {
        "model": args.model,
        "inputs": [_plain_details(d) for d in interp.get_input_details()],
        "outputs": [_plain_details(d) for d in interp.get_output_details()],
        "ops": dict(Counter(op["op_name"] for op in ops)),
        "macs": macs,
        "parameter_bytes": int(sum(int(np.prod(t["shape"])) * np.dtype(t["dtype"]).itemsize
                                   for t in constants if np.dtype(t["dtype"]).kind != "O")),
        "tensors": [_plain_details(t) for t in tensors],
        "arena_bytes": interp.arena_bytes,
        "kernel_path": interp.kernel_path,
        "cpu_paths": pyruntime.cpu_paths(),
    }
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"model {args.model}")
    for kind in ("inputs", "outputs"):
        for d in info[kind]:
            print(f"  {kind[:-1]:6} {d['index']:4} {d['name']} {d['dtype']}{d['shape']} "
                  f"scale={d['scale']:.6g} zero_point={d['zero_point']}")
    print(f"  ops    {_op_counts(interp)}")
    print(f"  MACs {macs / 1e6:.1f} M, parameters {info['parameter_bytes'] / 1024:.1f} KB, "
          f"tensors {len(tensors)}, arena {interp.arena_bytes} bytes")
    print(f"  kernels {interp.kernel_path} (this CPU runs: {', '.join(info['cpu_paths'])})")
    if args.tensors:
        for d in info["tensors"]:
            print(f"  tensor {d['index']:4} {d['dtype']:8} {str(d['shape']):22} scale={d['scale']:.6g} "
                  f"zp={d['zero_point']:5} {d['name']}")
    return 0


def _plain_details(d: Dict) -> Dict:
    return {"index": int(d["index"]), "name": d["name"], "dtype": np.dtype(d["dtype"]).name,
            "quantized_dimension": int(d["quantization_parameters"]["quantized_dimension"]),
            "scales": len(d["quantization_parameters"]["scales"]),
            "shape": [int(v) for v in d["shape"]], "scale": float(d["quantization"][0]),
            "zero_point": int(d["quantization"][1])}


def _load_inputs(path: Optional[str], interp: pyruntime.Interpreter) -> Optional[List[np.ndarray]]:
    if path is None:
        return None
    with np.load(path) as data:
        names = [d["name"] for d in interp.get_input_details()]
        keys = data.files
        if all(n in keys for n in names):
            return [data[n] for n in names]
        return [data[k] for k in keys[: len(names)]]


def run_compare(args) -> int:
    """Compares every op output with LiteRT's reference kernels."""
    from pyruntime.compare import compare_with_reference, first_divergence

    interp = pyruntime.Interpreter(args.model)
    diffs = compare_with_reference(args.model, _load_inputs(args.inputs, interp), seed=args.seed)
    first = first_divergence(diffs)
    if args.json:
        print(json.dumps({"tensors": [asdict(d) for d in diffs],
                          "first_divergence": asdict(first) if first else None}, indent=2))
        return 0 if first is None else 2
    print(f"{'op':>4} {'name':18} {'tensor':>6} {'shape':18} {'max|diff|':>10} {'differ':>12}")
    for d in diffs:
        print(f"{d.op_index:>4} {d.op_name[:18]:18} {d.tensor_index:>6} {str(list(d.shape)):18} "
              f"{d.max_abs_diff:>10g} {d.num_different:>6}/{d.size}")
    if first is None:
        print(f"all {len(diffs)} op outputs are bit-exact with LiteRT's reference kernels")
        return 0
    print(f"first divergence: op {first.op_index} ({first.op_name}), tensor {first.tensor_index} "
          f"'{first.tensor_name}': {first.num_different} of {first.size} elements differ")
    return 2


def run_bench(args) -> int:
    """Latency (median, p90) of pyruntime, and of LiteRT side by side."""
    from pyruntime.compare import random_inputs

    interp = pyruntime.Interpreter(args.model, num_threads=args.threads)
    inputs = random_inputs(interp)
    contenders: Dict[str, Callable[[], object]] = {"pyruntime": lambda: interp.run(inputs)}
    if args.against == "litert":
        from ai_edge_litert.interpreter import Interpreter as LiteRT

        ref = LiteRT(model_path=args.model, num_threads=args.threads)
        ref.allocate_tensors()
        in_details, out_details = ref.get_input_details(), ref.get_output_details()

        def run_litert():
            for d, x in zip(in_details, inputs):
                ref.set_tensor(d["index"], x)
            ref.invoke()
            return [ref.get_tensor(d["index"]) for d in out_details]

        contenders["litert"] = run_litert
    for fn in contenders.values():
        _timings_us(fn, args.warmup)
    times: Dict[str, List[float]] = {k: [] for k in contenders}
    with _progress(args.runs, "runs", enabled=not args.json) as bar:
        for _ in range(args.runs):  # interleaved, so drift affects all alike
            for name, fn in contenders.items():
                times[name].append(float(_timings_us(fn, 1)[0]))
            bar.update(1)
    result = {name: {"median_us": float(np.median(t)), "p90_us": float(np.percentile(t, 90))}
              for name, t in times.items()}
    if "litert" in result:
        result["ratio_pyruntime_over_litert"] = float(np.median(np.array(times["pyruntime"]) / np.array(times["litert"])))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"model {args.model}, {args.threads} thread(s), {args.runs} runs")
    for name in contenders:
        print(f"  {name:10} median {result[name]['median_us'] / 1000:9.3f} ms   p90 {result[name]['p90_us'] / 1000:9.3f} ms")
    if "litert" in result:
        print(f"  ratio pyruntime/litert (median of per-run ratios): {result['ratio_pyruntime_over_litert']:.3f}")
    return 0


def run_profile(args) -> int:
    """Per-op time of a model (median over runs), as a table and optionally a chart."""
    from pyruntime.compare import random_inputs

    interp = pyruntime.Interpreter(args.model, num_threads=args.threads, profile=True)
    inputs = random_inputs(interp)
    for _ in range(args.warmup):
        interp.run(inputs)
    runs, totals = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        interp.run(inputs)
        totals.append(time.perf_counter() - t)
        runs.append(interp.get_profile())
    rows = []
    for k, op in enumerate(runs[0]):
        seconds = float(np.median([r[k]["seconds"] for r in runs]))
        rows.append({**op, "seconds": seconds})
    total_ops = sum(r["seconds"] for r in rows)
    run_ms = float(np.median(totals)) * 1e3
    if args.plot:
        _plot_profile(rows, args.plot, args.model)
    if args.json:
        print(json.dumps({"ops": rows, "ops_total_ms": total_ops * 1e3, "run_ms": run_ms}, indent=2))
        return 0
    print(f"{'op':>4} {'name':20} {'output':20} {'MMACs':>8} {'ms':>8} {'share':>6}")
    for r in rows:
        print(f"{r['op_index']:>4} {r['op_name'][:20]:20} {str(r['output_shape']):20} "
              f"{r['macs'] / 1e6:>8.2f} {r['seconds'] * 1e3:>8.3f} {100 * r['seconds'] / max(total_ops, 1e-12):>5.1f}%")
    by_type = Counter()
    for r in rows:
        by_type[r["op_name"]] += r["seconds"]
    print("by op type: " + ", ".join(f"{k} {v * 1e3:.2f} ms" for k, v in by_type.most_common()))
    print(f"sum of ops {total_ops * 1e3:.3f} ms; run(x) {run_ms:.3f} ms (median of {args.runs}, "
          f"{args.threads} thread(s))")
    return 0


def _plot_profile(rows, path: str, model: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("--plot needs matplotlib: pip install matplotlib") from None
    fig, ax = plt.subplots(figsize=(max(6, len(rows) * 0.12), 4))
    names = sorted({r["op_name"] for r in rows})
    colors = {n: plt.cm.tab10(i % 10) for i, n in enumerate(names)}
    ax.bar(range(len(rows)), [r["seconds"] * 1e3 for r in rows], color=[colors[r["op_name"]] for r in rows])
    ax.set_xlabel("op (execution order)")
    ax.set_ylabel("ms")
    ax.set_title(f"pyruntime per-op time: {Path(model).name}")
    ax.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=colors[n]) for n in names], labels=names, fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


@contextlib.contextmanager
def _stdout_to_stderr():
    """TensorFlow's converter prints to the C-level stdout; keep --json output clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


class _NoBar:
    """Stands in for a tqdm bar when tqdm is missing or output is not a terminal."""

    def update(self, n: int = 1) -> None:
        pass

    def __enter__(self) -> "_NoBar":
        return self

    def __exit__(self, *exc) -> None:
        pass


def _progress(total: Optional[int], unit: str, enabled: bool = True):
    """A tqdm progress bar on stderr when it is a terminal (tqdm is optional: the
    core runtime depends on numpy only), else a bar that draws nothing."""
    if not enabled or not sys.stderr.isatty():
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, unit=f" {unit}", file=sys.stderr, dynamic_ncols=True, leave=False)


@contextlib.contextmanager
def _converter_output(verbose: bool, log_path: Optional[str]):
    """TensorFlow's converter writes log lines, "Saved artifact at ..." and lists of
    TensorSpecs to the C-level stdout and stderr. Unless verbose, send both to a log
    file (``log_path``, else a temporary one whose tail is shown if conversion
    fails); when verbose, send them to stderr so stdout stays the report."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    saved_tf_level = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    if not verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.dup2(2 if verbose else log.fileno(), 1)
    if not verbose:
        os.dup2(log.fileno(), 2)
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved_out, 1)
        os.dup2(saved_err, 2)
        os.close(saved_out)
        os.close(saved_err)
        if saved_tf_level is None:
            os.environ.pop("TF_CPP_MIN_LOG_LEVEL", None)
        if failed and not verbose:
            log.seek(0)
            tail = log.read()[-4000:].decode(errors="replace").strip()
            if tail:
                print(f"converter output (last lines):\n{tail}", file=sys.stderr)
        log.close()


def _load_samples(path: str):
    """(data, labels or None) from a .npy, or a .npz with x (and y), or its first (and second) array."""
    if path.endswith(".npy"):
        return np.load(path), None
    with np.load(path) as d:
        keys = d.files
        x = d["x"] if "x" in keys else d[keys[0]]
        y = d["y"] if "y" in keys else (d[keys[1]] if len(keys) > 1 and "x" not in keys else None)
        return x, y


def run_debug(args) -> int:
    """Per-layer quantization error of a quantized model against its float model."""
    from pyruntime.debug import debug_quantization

    data, labels = _load_samples(args.data)
    if args.samples:
        data = data[:args.samples]
        labels = labels[:args.samples] if labels is not None else None
    with _stdout_to_stderr():
        report = debug_quantization(args.float_model, args.quantized, data, labels,
                                    batch_size=args.batch_size, num_threads=args.threads)
    if args.plot:
        report.plot(args.plot, title=f"per-layer SQNR: {Path(args.quantized).name}")
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0
    print(report)
    if args.plot:
        print(f"chart: {args.plot}")
    return 0


def _run_keep_float(args, calib, eval_data, labels) -> int:
    from pyruntime.selective import quantize_keep_float

    if args.mode != "int8":
        raise ValueError("--keep-float needs --mode int8 (TF 2.21 cannot denylist layers of 16x8 models)")
    if calib is None:
        raise ValueError("--keep-float needs --calib")
    keep = "auto" if args.keep_float == "auto" else [n for n in args.keep_float.split(",") if n]
    with _converter_output(args.verbose, args.log):
        tflite, report = quantize_keep_float(
            args.model, keep, calib, eval_data, labels, args.max_accuracy_drop / 100,
            int(args.max_size * 1024) if args.max_size else None)
    Path(args.output).write_bytes(tflite)
    if args.json:
        print(json.dumps({"output": args.output, "report": report.as_dict()}, indent=2))
        return 0
    print(report)
    print(f"wrote {args.output} ({len(tflite) / 1024:.1f} KB, int8 with "
          f"{len(report.steps[report.chosen].kept_float)} layer(s) in float, float32 io)")
    return 0


def run_quantize(args) -> int:
    """Quantizes a Keras/SavedModel model with TensorFlow's converter and reports the cost."""
    calib = np.load(args.calib) if args.calib else None
    eval_data = np.load(args.eval_data) if args.eval_data else None
    labels = np.load(args.eval_labels) if args.eval_labels else None
    if args.keep_float:
        return _run_keep_float(args, calib, eval_data, labels)
    with _converter_output(args.verbose, args.log):
        from pyruntime.convert import quantize as quantize_model

        tflite, report = quantize_model(args.model, args.mode, calib, args.io, eval_data, labels)
    Path(args.output).write_bytes(tflite)
    if args.json:
        print(json.dumps({"output": args.output, "report": report.as_dict() if report else None}, indent=2))
        return 0
    print(f"wrote {args.output} ({len(tflite) / 1024:.1f} KB, mode {args.mode})")
    if report:
        print(report)
    return 0


def _load_eval_data(args):
    """(samples, labels or None) from an .npz or, without --ray, a directory; with
    --ray a directory is read by Ray Data: (Dataset, label column or None)."""
    path = Path(args.data)
    if path.is_dir():
        if args.ray is None:
            return _directory_arrays(path, args.input, args.labels)
        from pyruntime.ray import read_dataset

        ds = read_dataset(path)
        columns = ds.columns()
        if args.labels and args.labels not in columns:
            raise ValueError(f"no column '{args.labels}' in {path} (columns: {columns})")
        return ds, args.labels or ("y" if "y" in columns else None)
    with np.load(path) as data:
        if args.input not in data.files:
            raise ValueError(f"no array '{args.input}' in {path} (arrays: {data.files})")
        if args.labels and args.labels not in data.files:
            raise ValueError(f"no array '{args.labels}' in {path} (arrays: {data.files})")
        label = args.labels or ("y" if "y" in data.files else None)
        return data[args.input], (data[label] if label else None)


def _column_array(column) -> np.ndarray:
    values = column.combine_chunks().to_numpy(zero_copy_only=False) if hasattr(column, "combine_chunks") \
        else column.to_numpy()
    return np.stack(values) if values.dtype == object else values


def _directory_arrays(path: Path, input_column: str, label: Optional[str]):
    """Samples and labels of a directory of Parquet files (columns ``input_column``
    and ``label``, default y) or .npy files (samples only; file name order), read
    here without a Ray cluster. Rows written by pyruntime.ray.dataset_from_arrays
    are put back in sample order."""
    files = sorted(p for p in path.iterdir() if p.is_file())
    if any(p.suffix == ".npy" for p in files) and not any(p.suffix == ".parquet" for p in files):
        return np.concatenate([np.load(p) for p in files if p.suffix == ".npy"]), None
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError('reading Parquet needs pyarrow: pip install "pyruntime[ray]"') from None
    try:
        import ray.data.extensions  # noqa: F401  (registers Ray Data's tensor column type)
    except ImportError:
        pass
    table = pq.read_table([str(p) for p in files if p.suffix == ".parquet"])
    names = table.column_names
    if input_column not in names:
        input_column = "data" if "data" in names else input_column
    for column in (input_column, label):
        if column is not None and column not in names:
            raise ValueError(f"no column '{column}' in {path} (columns: {names})")
    label = label or ("y" if "y" in names else None)
    x = _column_array(table.column(input_column))
    y = _column_array(table.column(label)) if label else None
    from pyruntime.ray import INDEX_COLUMN

    if INDEX_COLUMN in names:
        order = np.argsort(_column_array(table.column(INDEX_COLUMN)), kind="stable")
        x, y = x[order], (y[order] if y is not None else None)
    return x, y


def run_evaluate(args) -> int:
    """Accuracy, agreement and error of a model on a data set, here or on a Ray cluster."""
    if args.workers is not None and args.ray is None:
        raise ValueError("--workers needs --ray (a cluster ADDRESS, or 'local' to start one here)")
    if args.batch_size < 1:
        raise ValueError(f"--batch-size must be >= 1, got {args.batch_size}")
    data, labels = _load_eval_data(args)
    is_array = isinstance(data, np.ndarray)
    total = len(data) if is_array else None
    input_column = args.input
    if not is_array and input_column not in data.columns() and "data" in data.columns():
        input_column = "data"  # ray.data.read_numpy's column
    with _progress(total, "samples", enabled=True) as bar:
        if args.ray is None:
            from pyruntime.evaluation import evaluate_arrays

            report = evaluate_arrays(args.model, data, labels, args.reference, args.batch_size,
                                     args.threads, progress=bar.update)
        else:
            import logging

            from pyruntime.ray import _ray, evaluate as ray_evaluate

            ray = _ray()
            with _stdout_to_stderr() if args.json else contextlib.nullcontext():
                if not ray.is_initialized():
                    # "local" always starts a new cluster (address=None would join one found on this machine).
                    ray.init(address=args.ray, logging_level=logging.WARNING,
                             log_to_driver=args.verbose)
                logging.getLogger("ray.data").setLevel(logging.ERROR)
                report = ray_evaluate(args.model, data, labels, args.reference,
                                      input_column=None if is_array else input_column,
                                      batch_size=args.batch_size, workers=args.workers,
                                      num_cpus=args.threads, progress=bar.update)
    if args.json:
        info = {k: (v if not isinstance(v, float) or np.isfinite(v) else None)
                for k, v in report.as_dict().items()}
        info.update(model=args.model, data=args.data, ray=args.ray, workers=args.workers)
        print(json.dumps(info, indent=2))
        if args.ray is not None:
            # Ray's threads may still print (a memory-monitor warning at
            # shutdown was seen): the document stays the only thing on stdout.
            sys.stdout.flush()
            os.dup2(2, 1)
        return 0
    print(f"model {args.model} on {args.data}" + (f" (Ray: {args.ray})" if args.ray else ""))
    print(report)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyruntime", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"pyruntime {pyruntime.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="run the bundled digits model (the default)")
    demo.add_argument("--threads", type=int, default=1, help="threads for ops (default 1)")
    inspect = sub.add_parser("inspect", help="a model's inputs, outputs, ops and memory")
    inspect.add_argument("model", help="path of a .tflite file")
    inspect.add_argument("--tensors", action="store_true", help="also list every tensor")
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    compare = sub.add_parser("compare", help="compare every op output with LiteRT's reference kernels")
    compare.add_argument("model", help="path of a .tflite file")
    compare.add_argument("--inputs", help=".npz with the inputs (by input name, or in order); default random")
    compare.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    compare.add_argument("--json", action="store_true", help="machine-readable output")
    bench = sub.add_parser("bench", help="latency, optionally side by side with LiteRT")
    bench.add_argument("model", help="path of a .tflite file")
    bench.add_argument("--threads", type=int, default=1, help="threads for both runtimes (default 1)")
    bench.add_argument("--against", choices=["litert"], help="also time LiteRT (default CPU path, XNNPACK)")
    bench.add_argument("--runs", type=int, default=100, help="timed runs (default 100)")
    bench.add_argument("--warmup", type=int, default=10, help="untimed runs first (default 10)")
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    profile = sub.add_parser("profile", help="per-op time, MACs and output shapes")
    profile.add_argument("model", help="path of a .tflite file")
    profile.add_argument("--threads", type=int, default=1, help="threads for ops (default 1)")
    profile.add_argument("--runs", type=int, default=20, help="profiled runs (median per op; default 20)")
    profile.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    profile.add_argument("--plot", help="write a per-op bar chart (PNG; needs matplotlib)")
    profile.add_argument("--json", action="store_true", help="machine-readable output")
    quantize = sub.add_parser("quantize", help="quantize a Keras model / SavedModel (needs tensorflow)")
    quantize.add_argument("model", help="a .keras/.h5 file or a SavedModel directory")
    quantize.add_argument("--mode", required=True, choices=["dynamic", "int8", "float16", "int16x8"])
    quantize.add_argument("--calib", help=".npy of representative inputs (first axis = samples); needed for int8/int16x8")
    quantize.add_argument("--io", default="int8", choices=["int8", "uint8", "float32"],
                          help="input/output type of full-integer models (default int8)")
    quantize.add_argument("--eval-data", help=".npy of evaluation inputs (default: the calibration data)")
    quantize.add_argument("--eval-labels", help=".npy of integer labels for --eval-data")
    quantize.add_argument("-o", "--output", required=True, help="where to write the .tflite")
    quantize.add_argument("--keep-float", metavar="auto|NAME,...",
                          help="leave these layers in float (names or unique parts of names, as `debug` shows), "
                               "or 'auto': the worst-ranked ones until --max-accuracy-drop is met (int8 only)")
    quantize.add_argument("--max-accuracy-drop", type=float, default=1.0,
                          help="with --keep-float auto: accuracy points below float allowed (default 1)")
    quantize.add_argument("--max-size", type=float, help="with --keep-float auto: size budget in KB")
    quantize.add_argument("--json", action="store_true", help="machine-readable output")
    quantize.add_argument("--verbose", action="store_true", help="show TensorFlow's converter output (on stderr)")
    quantize.add_argument("--log", help="write the converter's output to this file (default: discarded)")
    evaluate = sub.add_parser("evaluate", help="accuracy/agreement on a data set, here or on a Ray cluster")
    evaluate.add_argument("model", help="path of a .tflite file")
    evaluate.add_argument("data", help=".npz (samples under --input, labels under --labels) or a directory "
                                       "of Parquet / .npy files (read with Ray Data)")
    evaluate.add_argument("--input", default="x", help="array / column of the samples (default x)")
    evaluate.add_argument("--labels", help="array / column of integer labels (default y when present)")
    evaluate.add_argument("--reference", help="a reference .tflite (e.g. the float model): agreement, error, SQNR")
    evaluate.add_argument("--batch-size", type=int, default=256, help="samples per batch (default 256)")
    evaluate.add_argument("--ray", metavar="ADDRESS",
                          help="run on the Ray cluster at ADDRESS (HOST:PORT), or 'local' to start one here")
    evaluate.add_argument("--workers", type=int, help="Ray actors, one Interpreter each (default: one per CPU)")
    evaluate.add_argument("--threads", type=int, default=1,
                          help="threads per Interpreter; on Ray, CPUs per actor (default 1)")
    evaluate.add_argument("--verbose", action="store_true", help="show the Ray workers' logs")
    evaluate.add_argument("--json", action="store_true", help="machine-readable output")
    debug = sub.add_parser("debug", help="per-layer quantization error against the float model (needs tensorflow)")
    debug.add_argument("float_model", help="the float model: .keras/.h5, SavedModel directory or float .tflite")
    debug.add_argument("quantized", help="the quantized .tflite (int8 or 16x8)")
    debug.add_argument("--data", required=True, help=".npz with x (samples) and optional y (labels), or a .npy")
    debug.add_argument("--samples", type=int, help="use only the first N samples")
    debug.add_argument("--plot", help="write the per-layer SQNR chart (PNG; needs matplotlib)")
    debug.add_argument("--json", action="store_true", help="machine-readable output")
    debug.add_argument("--threads", type=int, default=1, help="threads per interpreter (default 1)")
    debug.add_argument("--batch-size", type=int, default=32,
                       help="samples per run when the models' batch is free (default 32)")
    return parser


COMMANDS = {"inspect": run_inspect, "compare": run_compare, "bench": run_bench, "quantize": run_quantize,
            "profile": run_profile, "debug": run_debug, "evaluate": run_evaluate}


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        args.threads = 1
    try:
        return COMMANDS.get(args.command, run_demo)(args)
    except (ValueError, OSError, RuntimeError, ImportError) as e:
        print(f"pyruntime: error: {e}", file=sys.stderr)
        return 1
