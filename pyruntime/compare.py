"""Layer-by-layer comparison of pyruntime with LiteRT's reference kernels.

The tool a user reaches for when a result looks wrong: both runtimes run the
same inputs with every intermediate tensor kept, and each op output is
compared element by element, in execution order, to find the first op where
the two disagree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np

from pyruntime.interpreter import Interpreter


@dataclass
class TensorDiff:
    """How one op output differs between pyruntime and the reference."""

    op_index: int
    op_name: str
    tensor_index: int
    tensor_name: str
    shape: tuple
    max_abs_diff: float
    num_different: int
    size: int


def random_inputs(interp: Interpreter, seed: int = 0) -> List[np.ndarray]:
    """Full-range random integers (normal floats) for every graph input."""
    rng = np.random.default_rng(seed)
    out = []
    for d in interp.get_input_details():
        dtype, shape = np.dtype(d["dtype"]), tuple(d["shape"])
        if dtype.kind in "iu":
            info = np.iinfo(dtype)
            out.append(rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype))
        else:
            out.append(rng.standard_normal(shape).astype(dtype))
    return out


def run_reference(model_path, inputs: Sequence[np.ndarray], all_tensors: bool = False) -> dict:
    """Outputs (out0, ...) and, with all_tensors, every tensor (t<index>) from
    LiteRT's reference kernels, computed in a subprocess."""
    try:
        import ai_edge_litert  # noqa: F401
    except ImportError:
        raise RuntimeError("comparing needs LiteRT: pip install ai-edge-litert") from None
    with tempfile.TemporaryDirectory(prefix="pyruntime_ref_") as tmp:
        in_path, out_path = Path(tmp) / "in.npz", Path(tmp) / "out.npz"
        np.savez(in_path, **{f"in{k}": a for k, a in enumerate(inputs)})
        cmd = [sys.executable, "-m", "pyruntime._litert_worker", str(Path(model_path).resolve()),
               str(in_path), str(out_path)] + (["--all-tensors"] if all_tensors else [])
        # Run outside any source tree so the installed pyruntime is imported.
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp, env=dict(os.environ))
        if proc.returncode != 0:
            raise RuntimeError(f"LiteRT's reference interpreter failed (exit code {proc.returncode}): "
                               f"{proc.stderr.strip()[-2000:]}")
        with np.load(out_path) as data:
            return {k: data[k] for k in data.files}


def compare_with_reference(model_path, inputs: Optional[Sequence[np.ndarray]] = None,
                           seed: int = 0) -> List[TensorDiff]:
    """Per op output, in execution order: how pyruntime differs from LiteRT's reference."""
    ours = Interpreter(model_path, preserve_all_tensors=True)
    inputs = list(inputs) if inputs is not None else random_inputs(ours, seed)
    ours.run(inputs)
    reference = run_reference(model_path, inputs, all_tensors=True)
    details = {d["index"]: d for d in ours.get_tensor_details()}
    diffs = []
    for op in ours._get_ops_details():
        for t in map(int, op["outputs"]):
            ref = reference.get(f"t{t}")
            if ref is None:
                continue
            mine = ours.get_tensor(t)
            if mine.shape != ref.shape:
                diff, count = float("inf"), int(max(mine.size, ref.size))
            else:
                delta = np.abs(mine.astype(np.float64) - ref.astype(np.float64))
                diff, count = (float(delta.max()) if delta.size else 0.0), int(np.count_nonzero(delta))
            diffs.append(TensorDiff(op["index"], op["op_name"], t, details[t]["name"], tuple(mine.shape),
                                    diff, count, int(mine.size)))
    return diffs


def first_divergence(diffs: Sequence[TensorDiff]) -> Optional[TensorDiff]:
    """The first op output that differs, or None when everything matches."""
    return next((d for d in diffs if d.num_different), None)
