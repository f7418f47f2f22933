"""Thread safety: one Interpreter shared by many Python threads, and several
Interpreters running in parallel (invoke releases the GIL)."""

from __future__ import annotations

import bisect
import gc
import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

import pyruntime
from op_models import conv_model

DEMO = Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"
SCALE = float(os.environ.get("PYRUNTIME_STRESS_SCALE", "1"))  # <1 under sanitizers
THREADS = 8
INVOKES = max(10, int(1000 * SCALE))


def _inputs(n, shape=(1, 8, 8, 1)):
    rng = np.random.default_rng(0)
    return [rng.integers(-128, 128, size=shape, dtype=np.int8) for _ in range(n)]


def _hammer(work, threads=THREADS):
    """Runs work(k) on `threads` threads started together; returns errors."""
    errors, barrier = [], threading.Barrier(threads)

    def target(k):
        try:
            barrier.wait()
            work(k)
        except Exception as e:  # noqa: BLE001 - reported by the test
            errors.append(repr(e))

    ts = [threading.Thread(target=target, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return errors


def test_shared_interpreter_8_threads_x_1000_runs():
    interp = pyruntime.Interpreter(DEMO, num_threads=2)
    xs = _inputs(THREADS * 4)
    expected = [pyruntime.Interpreter(DEMO).run(x) for x in xs]
    mismatches = []

    def work(k):
        for i in range(INVOKES):
            j = (k * 4 + i) % len(xs)
            if not np.array_equal(interp.run(xs[j]), expected[j]):
                mismatches.append((k, i))

    assert not _hammer(work)
    assert not mismatches, f"{len(mismatches)} of {THREADS * INVOKES} outputs differ"


def test_shared_interpreter_mixed_api_calls_never_crash():
    # set_tensor / invoke / get_tensor from many threads: each call is
    # serialized; only run() is atomic as a whole (docs/reliability.md).
    interp = pyruntime.Interpreter(DEMO)
    xs = _inputs(THREADS)
    in_index = interp.get_input_details()[0]["index"]
    out_index = interp.get_output_details()[0]["index"]
    outputs = {tuple(pyruntime.Interpreter(DEMO).run(x).ravel()) for x in xs}

    def work(k):
        for _ in range(max(10, INVOKES // 10)):
            interp.set_tensor(in_index, xs[k])
            interp.invoke()
            y = interp.get_tensor(out_index)
            assert y.shape == (1, 10)
            interp.get_input_details()

    assert not _hammer(work)
    interp.run(xs[0])
    assert tuple(interp.get_tensor(out_index).ravel()) in outputs


@pytest.mark.parametrize("num_threads", [1, 2])
def test_separate_interpreters_in_parallel_match(num_threads):
    # At 2 threads the interpreters share one pool: while one Python thread's
    # invoke holds it, the others run their ops' tasks inline.
    path = conv_model(in_shape=(32, 32, 8), filters=16)
    xs = _inputs(THREADS, (1, 32, 32, 8))
    expected = [pyruntime.Interpreter(path).run(x) for x in xs]
    interps = [pyruntime.Interpreter(path, num_threads=num_threads) for _ in range(THREADS)]
    bad = []

    def work(k):
        for _ in range(max(5, INVOKES // 20)):
            if not np.array_equal(interps[k].run(xs[k]), expected[k]):
                bad.append(k)

    assert not _hammer(work)
    assert not bad


def _os_threads():
    return len(os.listdir("/proc/self/task"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc (Linux)")
def test_interpreters_of_one_thread_count_share_workers():
    # Two pools in one process spin against each other on the same cores;
    # three 2-thread interpreters must start one worker between them (none
    # if a 2-thread pool is alive already), a 3-thread one two more.
    path = conv_model(in_shape=(32, 32, 8), filters=16)
    x = _inputs(1, (1, 32, 32, 8))[0]
    before = _os_threads()
    twos = [pyruntime.Interpreter(path, num_threads=2) for _ in range(3)]
    outputs = [m.run(x) for m in twos]
    assert _os_threads() - before <= 1
    three = pyruntime.Interpreter(path, num_threads=3)
    outputs.append(three.run(x))
    assert _os_threads() - before <= 3
    expected = pyruntime.Interpreter(path).run(x)
    assert all(np.array_equal(y, expected) for y in outputs)


@pytest.mark.skipif(not hasattr(os, "fork") or not os.path.isdir("/proc/self/task"),
                    reason="fork() and /proc (Linux)")
def test_forked_child_starts_its_own_workers():
    # The parent's workers do not exist in a child: an interpreter copied by
    # fork() and a new one must start new workers there (not run on one
    # thread, not wait for threads that are gone), and must be destroyed
    # without joining the parent's threads.
    path = conv_model(in_shape=(48, 48, 16), filters=32)
    x = _inputs(1, (1, 48, 48, 16))[0]
    expected = pyruntime.Interpreter(path).run(x)
    parent = pyruntime.Interpreter(path, num_threads=3)
    assert np.array_equal(parent.run(x), expected)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() of a threaded process
        pid = os.fork()
    if pid == 0:  # child: report, then leave without running pytest's exit
        status = 1
        try:
            os.close(read_end)
            threads_at_fork = _os_threads()
            ok = np.array_equal(parent.run(x), expected)
            ok = ok and np.array_equal(pyruntime.Interpreter(path, num_threads=3).run(x), expected)
            started = _os_threads() - threads_at_fork
            del parent
            gc.collect()
            os.write(write_end, f"{int(ok)} {started}".encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    deadline = time.monotonic() + 120
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung (joining the parent's threads?)")
        time.sleep(0.01)
    with os.fdopen(read_end) as f:
        report = f.read().split()
    assert report, "the forked child failed before reporting"
    ok, started = int(report[0]), int(report[1])
    assert ok == 1, "the forked child's outputs differ"
    assert started == 2, f"the forked child started {started} workers for 3 threads, not 2"


def test_invoke_releases_the_gil():
    # Another Python thread makes progress in the middle of an invoke; were
    # the GIL held for the call, it could not run a single bytecode there.
    # With a long switch interval the main thread lets go of the GIL only
    # where it releases it (the ticking thread hands it back after each
    # tick), so a tick inside an invoke comes from the release. One pool
    # thread leaves a core for the ticking thread; invokes repeat until
    # 0.3 s were spent inside them (an invoke can take well under a
    # millisecond, about a thread's wake-up time).
    path = conv_model(in_shape=(96, 96, 32), filters=64)
    interp = pyruntime.Interpreter(path, num_threads=1)
    interp.run(_inputs(1, (1, 96, 96, 32))[0])
    done, ticks, windows = threading.Event(), [], []

    def spin():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0)

    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        t = threading.Thread(target=spin)
        t.start()
        while not ticks:
            time.sleep(0.001)
        while sum(b - a for a, b in windows) < 0.3 and len(windows) < 5000:
            t0 = time.perf_counter()
            interp.invoke()
            windows.append((t0, time.perf_counter()))
        done.set()
        t.join()
    finally:
        sys.setswitchinterval(switch_interval)
    inside = sum(bisect.bisect_left(ticks, b - (b - a) / 4) - bisect.bisect_right(ticks, a + (b - a) / 4)
                 for a, b in windows)
    assert inside > 0, (f"no progress of another thread during {len(windows)} invokes of "
                        f"{1e3 * min(b - a for a, b in windows):.3f} ms or more")


def test_thread_pool_runs_every_task_exactly_once():
    """The pool's job word: across many back-to-back jobs of varied sizes
    (workers waking late, tasks of different lengths), each task of each job
    runs once; a task claimed from a finished or newer job would show as 0 or 2."""
    from pyruntime import _testing as T

    for threads in (2, 3, 11):
        counts = T.thread_pool_task_counts(threads, jobs=3000, max_tasks=37).reshape(3000, 37)
        for j in range(3000):
            tasks = 1 + (j * 7919) % 37
            assert (counts[j, :tasks] == 1).all(), (threads, j, counts[j, :tasks])
            assert (counts[j, tasks:] == 0).all(), (threads, j)


def test_parallel_units_run_every_unit_exactly_once():
    """UnitRanges: each worker starts on its own range and then takes units
    from the back of the others'; across many jobs of 0..41 units (some slow,
    more workers than units too) each unit runs once. And the calling thread
    always runs task 0, which is what keeps a thread on the same rows."""
    from pyruntime import _testing as T

    jobs, max_units = 2000, 41
    for threads in (2, 3, 11):
        counts = T.unit_ranges_counts(threads, jobs=jobs, max_units=max_units)
        assert counts[-1] == 0, f"task 0 ran off the calling thread in {counts[-1]} jobs ({threads} threads)"
        counts = counts[:-1].reshape(jobs, max_units)
        for j in range(jobs):
            units = (j * 7919) % (max_units + 1)
            assert (counts[j, :units] == 1).all(), (threads, j, counts[j, :units])
            assert (counts[j, units:] == 0).all(), (threads, j)
