"""Runs every .tflite under the given folders on pyruntime and on LiteRT, and
classifies each file: exact / close / mismatch / rejected / crash / hang, or
skipped when LiteRT itself cannot run it.

    python tools/corpus_check.py DIR... [--sets 2] [--timeout 120] [--cache DIR] [--json OUT]

Each runtime runs in its own subprocess with a timeout, so a crash or a hang
of either is a result, not the end of the run. LiteRT runs first
(``BUILTIN_REF``; ``AUTO``, its default XNNPACK path, gives the float bounds),
it draws the seeded random inputs from its own input details, and both
runtimes then run the same input sets in order on one interpreter (stateful
models see the same history). Integer and bool outputs must be equal; float
outputs are exact when equal bit for bit (NaN == NaN), else close when within
the float oracle of tests/model_kinds.py (relative RMS within
max(1e-5, 4x LiteRT default's) and max relative error within max(1e-5, 10x
LiteRT default's), both against BUILTIN_REF). A model that BUILTIN_REF cannot
run (an op it does not register) is compared with LiteRT's builtin kernels
instead, and says so in the ``ref`` column; a model on whose random inputs
LiteRT fails the invoke (RSQRT of a negative, a zero divisor, an index out of
range) is retried once with positive inputs (``+`` in the ``ref`` column).

LiteRT results are cached per file content (``--cache``), so a rerun after a
pyruntime change runs only pyruntime.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TOOL_VERSION = "2"
HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent.parent / "tests"))


# ---------------------------------------------------------------- inputs
def draw_inputs(details, seed: int, positive: bool = False) -> list:
    """Seeded random inputs: floats uniform in [-1, 1] (image and audio models
    expect roughly that), quantized types over their full range, int32/int64
    in [0, 4) (they are indices, positions or counts), random bools, short
    strings. ``positive`` (the retry when LiteRT fails the invoke on those, as
    RSQRT of a negative, a zero divisor or an index out of range do): floats
    in [0.1, 1], quantized values at or above the zero point, integers all 1."""
    rng = np.random.default_rng(seed)
    out = []
    for d in details:
        dtype, shape = np.dtype(d["dtype"]), tuple(int(s) for s in d["shape"])
        if dtype.kind == "f":
            out.append(rng.uniform(0.1 if positive else -1.0, 1.0, size=shape).astype(dtype))
        elif dtype.kind == "b":
            out.append(rng.integers(0, 2, size=shape).astype(bool))
        elif dtype in (np.int32, np.int64, np.uint32, np.uint64):
            out.append(np.ones(shape, dtype) if positive else rng.integers(0, 4, size=shape).astype(dtype))
        elif dtype.kind in "iu":
            info = np.iinfo(dtype)
            zp = int(d["quantization"][1]) if positive else info.min
            out.append(rng.integers(max(zp, info.min), info.max, size=shape, endpoint=True).astype(dtype))
        elif dtype.kind in "SOU":
            out.append(np.array([b"corpus%d" % v for v in rng.integers(0, 9, size=int(np.prod(shape)))],
                                dtype=object).reshape(shape))
        else:
            raise ValueError(f"input {d['name']}: no random draw for dtype {dtype}")
    return out


def _save_sets(path, sets) -> None:
    arrays = {"n_sets": np.array(len(sets))}
    for i, s in enumerate(sets):
        arrays[f"n_{i}"] = np.array(len(s))
        for j, a in enumerate(s):
            arrays[f"s{i}_{j}"] = np.asarray(a)
    np.savez(path, **arrays)


def _load_sets(path) -> list:
    with np.load(path, allow_pickle=True) as z:
        return [[z[f"s{i}_{j}"] for j in range(int(z[f"n_{i}"]))] for i in range(int(z["n_sets"]))]


# ---------------------------------------------------------------- workers (subprocesses)
def litert_worker(model, resolvers, n_sets, in_npz, out_dir, positive="0") -> None:
    """Runs LiteRT with each resolver in turn (``BUILTIN_REF,AUTO``), writing
    out_dir/<resolver>.npz after each; draws the inputs when in_npz does not
    exist yet. One process for both saves a start-up per model; a crash in
    the second still leaves the first's outputs."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    for resolver in resolvers.split(","):
        interp = Interpreter(model_path=model, num_threads=1,
                             experimental_op_resolver_type=getattr(OpResolverType, resolver))
        interp.allocate_tensors()
        ins, outs = interp.get_input_details(), interp.get_output_details()
        if Path(in_npz).exists():
            sets = _load_sets(in_npz)
        else:
            sets = [draw_inputs(ins, seed, positive == "1") for seed in range(int(n_sets))]
            _save_sets(in_npz, sets)
        results = []
        for arrays in sets:
            for d, a in zip(ins, arrays):
                interp.set_tensor(d["index"], a)
            interp.invoke()
            results.append([np.array(interp.get_tensor(d["index"]), copy=True) for d in outs])
        _save_sets(Path(out_dir) / f"{resolver}.npz", results)


def pyruntime_worker(model, in_npz, out_npz, err_txt) -> None:
    """Runs pyruntime; a Python exception is written to err_txt (rejected),
    anything else that stops the process is a crash."""
    import pyruntime

    stage = "load"
    try:
        interp = pyruntime.Interpreter(model, num_threads=1)
        stage = "invoke"
        results = []
        for arrays in _load_sets(in_npz):
            got = interp.run(list(arrays))
            got = list(got) if isinstance(got, (list, tuple)) else [got]
            results.append([np.asarray(g) for g in got])
    except Exception as e:  # noqa: BLE001 - every Python error is a classified result
        Path(err_txt).write_text(f"{stage}: {type(e).__name__}: {e}")
        return
    _save_sets(out_npz, results)


def _spawn(args, timeout):
    """(returncode or 'hang', stderr tail)."""
    import subprocess_env  # tests/: run outside the source tree, PYTHONPATH made absolute

    kw = subprocess_env.subprocess_kwargs()
    kw["env"]["TF_CPP_MIN_LOG_LEVEL"] = "3"
    try:
        proc = subprocess.run([sys.executable, str(HERE)] + [str(a) for a in args], capture_output=True,
                              text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        return "hang", ""
    return proc.returncode, proc.stderr.strip()[-600:]


# ---------------------------------------------------------------- comparison
def compare(ours, refs, defaults):
    """('exact'|'close'|'mismatch', detail). defaults: LiteRT default's
    outputs (float bounds) or None (floor only)."""
    import model_kinds

    if len(ours) != len(refs):
        return "mismatch", f"{len(ours)} input sets vs {len(refs)}"
    worst = "exact"
    floats = []
    for o_set, r_set in zip(ours, refs):
        if len(o_set) != len(r_set):
            return "mismatch", f"{len(o_set)} outputs vs reference {len(r_set)}"
        for k, (o, r) in enumerate(zip(o_set, r_set)):
            if o.shape != r.shape or o.dtype != r.dtype:
                return "mismatch", f"output {k}: {o.dtype}{o.shape} vs reference {r.dtype}{r.shape}"
            if r.dtype.kind == "f":
                floats.append(k)
                if not np.array_equal(o, r, equal_nan=True):
                    worst = "close?"
            elif r.dtype.kind == "O" or r.dtype.kind == "S":
                if not np.array_equal(o.astype(bytes), r.astype(bytes)):
                    return "mismatch", f"output {k}: strings differ"
            elif not np.array_equal(o, r):
                n = int(np.sum(o != r))
                diff = int(np.max(np.abs(o.astype(np.int64) - r.astype(np.int64)))) if r.dtype.kind in "iu" else 1
                return "mismatch", f"output {k}: {n}/{r.size} elements differ (max |diff| {diff})"
    if worst == "exact":
        return "exact", ""
    # Float outputs that are not bit-equal: the float oracle on those outputs.
    fl = sorted(set(floats))
    pick = lambda sets: [[s[k] for k in fl] for s in sets]  # noqa: E731
    if defaults is not None:
        d_rms, d_max = model_kinds._error_stats(pick(defaults), pick(refs), "LiteRT default")
    else:
        d_rms, d_max = [0.0] * len(fl), [0.0] * len(fl)
    oracle = model_kinds.FloatOracle(pick(refs), d_rms, d_max)
    try:
        err = oracle.check(pick(ours), "")
    except AssertionError as e:
        return "mismatch", str(e).lstrip(": ")
    return "close", f"max rel err {err:.1e}"


# ---------------------------------------------------------------- one file
def litert_reference(model: Path, n_sets: int, timeout: float, cache: Path):
    """LiteRT's inputs and outputs for one model: dict with 'inputs', 'refs',
    'defaults' (None when all outputs are exact types), 'ref' (resolver used),
    or 'skip' (why LiteRT cannot run it)."""
    key = hashlib.sha256(model.read_bytes()).hexdigest()[:20] + f"_s{n_sets}_v{TOOL_VERSION}"
    d = cache / key
    meta = d / "meta.json"
    info = json.loads(meta.read_text()) if meta.exists() else None
    if info is None or ("skip" in info and "positive_tried" not in info):
        d.mkdir(parents=True, exist_ok=True)
        in_npz = d / "in.npz"
        failures = []
        # BUILTIN_REF (with AUTO for the float bounds), then the builtin kernels
        # (ops BUILTIN_REF does not register); each with the usual inputs, then
        # the positive ones when the first fail.
        for resolvers, positive in (("BUILTIN_REF,AUTO", "0"), ("BUILTIN_REF,AUTO", "1"),
                                    ("BUILTIN_WITHOUT_DEFAULT_DELEGATES", "0"),
                                    ("BUILTIN_WITHOUT_DEFAULT_DELEGATES", "1")):
            first = resolvers.split(",")[0]
            in_npz.unlink(missing_ok=True)
            rc, err = _spawn(["--litert", model, resolvers, n_sets, in_npz, d, positive], timeout)
            if (d / f"{first}.npz").exists():
                break
            failures.append(f"{first}{' (positive inputs)' if positive == '1' else ''}: {_rc_text(rc)} "
                            f"{err[-160:]}")
        info = {"ref": "BUILTIN_REF" if first == "BUILTIN_REF" else "builtin", "positive_tried": True}
        info["ref"] += "+" if positive == "1" else ""
        if not (d / f"{first}.npz").exists():
            info["skip"] = " | ".join(failures)
        elif first != "BUILTIN_REF":
            (d / f"{first}.npz").rename(d / "BUILTIN_REF.npz")
        info["default"] = first == "BUILTIN_REF" and (d / "AUTO.npz").exists()
        meta.write_text(json.dumps(info))
    if "skip" in info:
        return {"skip": info["skip"]}
    return {"inputs": d / "in.npz", "refs": _load_sets(d / "BUILTIN_REF.npz"), "ref": info["ref"],
            "defaults": _load_sets(d / "AUTO.npz") if info["default"] else None}


def _rc_text(rc) -> str:
    if rc == "hang":
        return "timeout"
    return f"signal {-rc}" if isinstance(rc, int) and rc < 0 else f"exit {rc}"


def check_file(model: Path, n_sets: int, timeout: float, cache: Path) -> dict:
    row = {"file": str(model)}
    ref = litert_reference(model, n_sets, timeout, cache)
    if "skip" in ref:
        row.update(result="litert-fails", detail=ref["skip"])
        return row
    row["ref"] = ref["ref"]
    with tempfile.TemporaryDirectory(prefix="corpus_") as td:
        out_npz, err_txt = Path(td) / "out.npz", Path(td) / "err.txt"
        t0 = time.time()
        rc, stderr = _spawn(["--pyruntime", model, ref["inputs"], out_npz, err_txt], timeout)
        row["seconds"] = round(time.time() - t0, 2)
        if rc == "hang":
            row.update(result="hang", detail=f"no result after {timeout:.0f} s")
        elif err_txt.exists():
            row.update(result="rejected", detail=err_txt.read_text().strip().replace("\n", " | "))
        elif rc != 0 or not out_npz.exists():
            row.update(result="crash", detail=f"{_rc_text(rc)}: {stderr[-300:]}")
        else:
            result, detail = compare(_load_sets(out_npz), ref["refs"], ref["defaults"])
            row.update(result=result, detail=detail)
    return row


RESULTS = ("exact", "close", "mismatch", "rejected", "crash", "hang")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dirs", nargs="+", type=Path)
    p.add_argument("--sets", type=int, default=2, help="random input sets per model (default 2)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per subprocess (default 120)")
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "corpus_check_cache",
                   help="where LiteRT's inputs and outputs are kept between runs")
    p.add_argument("--json", type=Path, help="write the rows here too")
    p.add_argument("--litert-only", action="store_true", help="only fill the LiteRT cache")
    args = p.parse_args(argv)
    files = sorted({f.resolve() for d in args.dirs for f in ([d] if d.is_file() else d.rglob("*.tflite"))})
    rows = []
    for f in files:
        if args.litert_only:
            ref = litert_reference(f, args.sets, args.timeout, args.cache)
            print(f"{'litert-fails' if 'skip' in ref else ref['ref']:<13} {os.path.relpath(f)} {ref.get('skip', '')[:300]}",
                  flush=True)
            continue
        row = check_file(f, args.sets, args.timeout, args.cache)
        rows.append(row)
        name = os.path.relpath(f)
        print(f"{row['result']:<13} {row.get('ref', '-'):<11} {name}  {row.get('detail', '')[:300]}", flush=True)
    if args.litert_only:
        return 0
    counts = {r: sum(1 for x in rows if x["result"] == r) for r in RESULTS + ("litert-fails",)}
    runnable = len(rows) - counts["litert-fails"]
    good = counts["exact"] + counts["close"]
    print(f"\n{len(files)} files, {runnable} LiteRT-runnable, {counts['litert-fails']} LiteRT cannot run: "
          + ", ".join(f"{counts[r]} {r}" for r in RESULTS)
          + f"; exact or close {good}/{runnable} ({100.0 * good / max(runnable, 1):.1f}%)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--litert":
        litert_worker(*sys.argv[2:8])
    elif len(sys.argv) > 1 and sys.argv[1] == "--pyruntime":
        pyruntime_worker(*sys.argv[2:6])
    else:
        sys.exit(main())
