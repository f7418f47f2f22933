"""Pinning a 1-thread measurement to one CPU.

On shared VMs the virtual CPUs do not run at one speed, and which one is
slow changes within seconds: on a 2-vCPU Xeon (2026-12) an AMX loop ran 3x
slower on one vCPU while the other ran at full speed, then the roles swapped.
A 1-thread run that the OS moves between them mixes both speeds into its
rounds (medians 50% above the minimum); pinned, the contenders of a round
share one CPU and the rounds agree within a few percent. Threads inherit the
mask, so runtimes created inside `pinned` (their worker threads included)
stay on that CPU too.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator, Optional


@contextlib.contextmanager
def pinned(cpu: Optional[int]) -> Iterator[None]:
    """Runs the block on CPU `cpu` (no change when None)."""
    if cpu is None:
        yield
        return
    before = os.sched_getaffinity(0)
    if cpu not in before:
        raise SystemExit(f"--pin-cpu {cpu}: this process may only run on CPUs {sorted(before)}")
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def add_argument(parser) -> None:
    parser.add_argument("--pin-cpu", type=int, default=None, metavar="CPU",
                        help="run the 1-thread measurements on this CPU only (steadier rounds on "
                             "VMs whose CPUs change speed; see bench/affinity.py)")


def describe(cpu: Optional[int]) -> str:
    """For the header of a table: how its 1-thread rows were run."""
    return "1-thread runs unpinned" if cpu is None else f"1-thread runs pinned to CPU {cpu}"
