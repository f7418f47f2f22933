"""Batch inference and evaluation of a .tflite model on a Ray cluster (``pip install "pyruntime[ray]"``).

    import ray, pyruntime.ray
    ray.init()                                       # or ray.init(address="HOST:PORT")
    report = pyruntime.ray.evaluate("m.tflite", x, labels=y)           # x: array or ray.data.Dataset
    outputs = pyruntime.ray.predict(ray.data.read_parquet("dir/"), "m.tflite", input_column="x")

Each worker is a Ray actor holding one ``Interpreter`` built from model bytes
shipped once through the object store; it runs whole batches with as many
threads as the actor has CPUs. An actor whose process dies is restarted and its
batches retried (``max_restarts=-1``, ``max_task_retries=-1``: Ray Data's actor
defaults, and ours). ``evaluate`` returns the same numbers as the one-process
``pyruntime.evaluation.evaluate_arrays`` (exact, order-independent partial
sums; see ``pyruntime.evaluation``). Ray is imported only when used.

``evaluate`` on an array sends each batch straight to an actor (plain Ray
actors, two batches queued per actor): on 2 cores Ray Data's own processes
(stats, autoscaling and actor-location actors, the streaming executor) and
its Arrow blocks cost more CPU than the workers can spare. A Ray Dataset, and
``predict``, go through ``Dataset.map_batches``.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Union

import numpy as np

from pyruntime.evaluation import BatchRunner, EvalSums, EvaluationReport

INDEX_COLUMN = "__pyruntime_index"


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ImportError('running on Ray needs Ray Data: pip install "pyruntime[ray]"') from None
    return ray


def _model_bytes(model) -> bytes:
    if isinstance(model, (bytes, bytearray, memoryview)):
        return bytes(model)
    return Path(model).read_bytes()


def _resolve(model) -> bytes:
    """Model bytes from bytes, a path, or a one-element list holding an ObjectRef."""
    if isinstance(model, list):
        return _ray().get(model[0])
    return _model_bytes(model)


def _actor_threads() -> int:
    try:
        cpus = _ray().get_runtime_context().get_assigned_resources().get("CPU", 1)
    except Exception:  # not inside a Ray worker
        cpus = 1
    return max(1, int(round(cpus)))


class Predictor:
    """A ``Dataset.map_batches`` callable class: runs ``model`` on the ``input_column``
    of each batch and adds ``output_column`` (float32, dequantized, unless
    ``float_output=False``). ``model`` is bytes, a path, or ``[ray.put(bytes)]``
    (a list, so Ray hands the reference over unresolved and the bytes travel once).
    Other columns except the input pass through."""

    def __init__(self, model, input_column: str = "x", output_column: str = "output",
                 float_output: bool = True, num_threads: Optional[int] = None) -> None:
        self.runner = BatchRunner(_resolve(model), num_threads or _actor_threads())
        self.input_column, self.output_column, self.float_output = input_column, output_column, float_output

    def __call__(self, batch: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        if self.input_column not in batch:
            raise KeyError(f"no column '{self.input_column}' in the data (columns: {sorted(batch)})")
        out = {k: v for k, v in batch.items() if k != self.input_column}
        out[self.output_column] = self.runner.run(batch[self.input_column], self.float_output)
        return out


class EvalPredictor:
    """A ``map_batches`` class for ``evaluate``: one row per batch holding its
    pickled ``EvalSums`` (outputs never leave the worker)."""

    def __init__(self, model, reference_model=None, input_column: str = "x",
                 label_column: Optional[str] = None, index_column: Optional[str] = INDEX_COLUMN) -> None:
        threads = _actor_threads()
        self.runner = BatchRunner(_resolve(model), threads)
        self.reference = BatchRunner(_resolve(reference_model), threads) if reference_model is not None else None
        self.input_column, self.label_column, self.index_column = input_column, label_column, index_column

    def __call__(self, batch: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        for column in (self.input_column, self.label_column, self.index_column):
            if column is not None and column not in batch:
                raise KeyError(f"no column '{column}' in the data (columns: {sorted(batch)})")
        x = batch[self.input_column]
        sums = EvalSums().add(
            self.runner.run(x),
            labels=batch[self.label_column] if self.label_column else None,
            reference=self.reference.run(x) if self.reference is not None else None,
            start=0, indices=batch[self.index_column] if self.index_column else None)
        return {"partial": np.array([pickle.dumps(sums)], dtype=object)}


class EvalWorker:
    """The Ray actor of ``evaluate`` on arrays: ``run`` gives the ``EvalSums`` of
    one batch of samples starting at sample ``start`` (outputs stay here)."""

    def __init__(self, model, reference_model=None) -> None:
        threads = _actor_threads()
        self.runner = BatchRunner(_resolve(model), threads)
        self.reference = BatchRunner(_resolve(reference_model), threads) if reference_model is not None else None

    def run(self, x: np.ndarray, labels: Optional[np.ndarray], start: int) -> EvalSums:
        return EvalSums().add(self.runner.run(x), labels=labels,
                              reference=self.reference.run(x) if self.reference is not None else None, start=start)


# Batches queued per actor: the next one is there when a batch finishes, so an
# actor never waits for this process to see a result and send more.
_QUEUED_PER_WORKER = 2


def _evaluate_array(x: np.ndarray, labels: Optional[np.ndarray], model_ref, reference_ref, batch_size: int,
                    workers: int, num_cpus: float, progress) -> EvalSums:
    """``EvalSums`` of ``x`` run by ``workers`` EvalWorker actors; a batch is sent
    (copied once into the object store) only when an actor has room for it."""
    ray = _ray()
    actor_class = ray.remote(EvalWorker).options(num_cpus=num_cpus, max_restarts=-1, max_task_retries=-1)
    actors = [actor_class.remote([model_ref], [reference_ref] if reference_ref is not None else None)
              for _ in range(workers)]
    starts = iter(range(0, len(x), batch_size))
    running: Dict[Any, Any] = {}

    def send(actor) -> None:
        start = next(starts, None)
        if start is not None:
            stop = start + batch_size
            part = actor.run.remote(x[start:stop], None if labels is None else labels[start:stop], start)
            running[part] = actor

    sums = EvalSums()
    try:
        for actor in actors:
            for _ in range(_QUEUED_PER_WORKER):
                send(actor)
        while running:
            [done], _ = ray.wait(list(running), num_returns=1)
            actor = running.pop(done)
            part: EvalSums = ray.get(done)
            sums.merge(part)
            send(actor)
            if progress is not None:
                progress(part.samples)
    finally:
        for actor in actors:
            ray.kill(actor)
    return sums


def dataset_from_arrays(columns: Dict[str, np.ndarray], rows_per_block: int = 1024):
    """A Ray Dataset of equal-length arrays (multi-dimensional ones as tensor
    columns), plus a sample index column; blocks of ``rows_per_block`` rows."""
    ray = _ray()
    import pyarrow as pa
    from ray.data.extensions import ArrowTensorArray

    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError(f"columns have different lengths: { {k: len(v) for k, v in columns.items()} }")
    n = lengths.pop()
    columns = {**columns, INDEX_COLUMN: np.arange(n, dtype=np.int64)}
    tables = []
    for start in range(0, n, rows_per_block):
        part = {}
        for k, v in columns.items():
            v = np.ascontiguousarray(v[start:start + rows_per_block])
            part[k] = ArrowTensorArray.from_numpy(v) if v.ndim > 1 else pa.array(v)
        tables.append(pa.table(part))
    return ray.data.from_arrow(tables)


def _quiet_ray_data() -> None:
    ctx = _ray().data.DataContext.get_current()
    ctx.enable_progress_bars = False
    logger = logging.getLogger("ray.data")
    logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))


def _as_dataset(dataset, labels):
    """(label column or None, index column or None) of a Ray Dataset for ``evaluate``."""
    if labels is not None and not isinstance(labels, str):
        raise ValueError("labels must be a column name when the data is a Ray Dataset")
    return labels, INDEX_COLUMN if INDEX_COLUMN in dataset.columns() else None


def _workers(workers: Optional[int], num_cpus: float) -> int:
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        return workers
    return max(1, int(_ray().cluster_resources().get("CPU", 1) // num_cpus))


def predict(dataset, model, input_column: str = "x", output_column: str = "output",
            batch_size: int = 256, workers: Optional[int] = None, num_cpus: float = 1,
            float_output: bool = True):
    """A Ray Dataset with ``output_column`` added: ``model`` (a .tflite path or
    bytes) run on ``dataset[input_column]`` by ``workers`` actors (default: one per
    ``num_cpus`` CPUs of the cluster). Lazy, like every Ray Dataset; a dataset that
    still has to be read needs a CPU left free for its read tasks (or ``materialize()``)."""
    ray = _ray()
    if not ray.is_initialized():
        ray.init()
    data = _model_bytes(model)
    BatchRunner(data)  # a broken model fails here, before any actor starts
    workers = _workers(workers, num_cpus)
    return dataset.map_batches(
        Predictor, fn_constructor_kwargs={"model": [ray.put(data)], "input_column": input_column,
                                          "output_column": output_column, "float_output": float_output},
        batch_size=batch_size, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=num_cpus)


def evaluate(model, dataset, labels: Union[str, np.ndarray, None] = None, reference_model=None,
             input_column: Optional[str] = None, batch_size: int = 256, workers: Optional[int] = None,
             num_cpus: float = 1, progress: Optional[Callable[[int], Any]] = None) -> EvaluationReport:
    """Evaluates ``model`` (a .tflite path or bytes) on ``dataset`` on the Ray
    cluster this process is connected to (a local one is started if none).

    ``dataset``: a float (or input-dtype) array of samples, or a Ray Dataset whose
    ``input_column`` (default "x") holds the samples. ``labels``: an array (with an
    array dataset) or a column name; ``reference_model``: a .tflite (e.g. the float
    model) to measure agreement, error and SQNR against. ``progress(n)`` is called
    in this process as batches of ``n`` samples finish.

    The report equals ``pyruntime.evaluation.evaluate_arrays`` on the same
    samples in one process, bit for bit. A sample's position is its row order;
    for a Ray Dataset without an index column the order is kept by Ray Data's
    ``preserve_order``.
    """
    ray = _ray()
    if not ray.is_initialized():
        ray.init()
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    t0 = time.perf_counter()
    data = _model_bytes(model)
    runner = BatchRunner(data)  # a broken model raises ModelError here, before any actor starts
    reference = _model_bytes(reference_model) if reference_model is not None else None
    if reference is not None:
        BatchRunner(reference)
    workers = _workers(workers, num_cpus)
    if isinstance(dataset, np.ndarray):
        runner._as_input(dataset[:1])  # samples of the wrong shape or dtype fail here too
        if isinstance(labels, str):
            raise ValueError("labels must be an array when the data is an array")
        if labels is not None:
            labels = np.asarray(labels)
            if len(labels) != len(dataset):
                raise ValueError(f"{len(labels)} labels for {len(dataset)} samples")
        sums = _evaluate_array(dataset, labels, ray.put(data), ray.put(reference) if reference is not None else None,
                               batch_size, workers, num_cpus, progress)
        return sums.report(time.perf_counter() - t0)
    _quiet_ray_data()
    label_column, index_column = _as_dataset(dataset, labels)
    ds = dataset
    from ray.data.dataset import MaterializedDataset

    if not isinstance(ds, MaterializedDataset) and \
            workers * num_cpus >= ray.cluster_resources().get("CPU", 1):
        # The actors would hold every CPU and Ray Data's read tasks could never run
        # (a deadlock, seen with Ray 2.60): read the data first.
        ds = ds.materialize()
    input_column = input_column or "x"
    ctx = ray.data.DataContext.get_current()
    saved_order = ctx.execution_options.preserve_order
    ctx.execution_options.preserve_order = index_column is None or saved_order
    try:
        partials = ds.map_batches(
            EvalPredictor,
            fn_constructor_kwargs={"model": [ray.put(data)],
                                   "reference_model": [ray.put(reference)] if reference is not None else None,
                                   "input_column": input_column, "label_column": label_column,
                                   "index_column": index_column},
            batch_size=batch_size, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=num_cpus)
        sums = EvalSums()
        for batch in partials.iter_batches(batch_size=None, batch_format="numpy"):
            for blob in batch["partial"]:
                part: EvalSums = pickle.loads(blob)
                if index_column is None:  # arrives in order: its position is what came before
                    part.chunks = [(sums.samples + s, p) for s, p in part.chunks]
                sums.merge(part)
                if progress is not None:
                    progress(part.samples)
    finally:
        ctx.execution_options.preserve_order = saved_order
    return sums.report(time.perf_counter() - t0)


def read_dataset(path: Union[str, os.PathLike]):
    """A Ray Dataset of the Parquet or NumPy (.npy) files in directory ``path``.

    Lazy: ``evaluate`` reads it before starting its actors when they take every CPU."""
    ray = _ray()
    files = [p for p in Path(path).iterdir() if p.is_file()]
    if any(p.suffix == ".parquet" for p in files):
        return ray.data.read_parquet(str(path))
    if any(p.suffix == ".npy" for p in files):
        return ray.data.read_numpy(str(path))
    raise ValueError(f"no .parquet or .npy files in {path}")


__all__: List[str] = ["Predictor", "EvalPredictor", "EvalWorker", "predict", "evaluate", "dataset_from_arrays", "read_dataset"]
