"""The arena planner alone: no two simultaneously live buffers overlap."""

import numpy as np
import pytest

from pyruntime import _core


def check_plan(requests, alignment=64):
    offsets, total = _core._plan_arena(requests, alignment)
    assert len(offsets) == len(requests)
    for i, (size_i, first_i, last_i) in enumerate(requests):
        assert offsets[i] % alignment == 0
        assert offsets[i] + size_i <= total
        for j in range(i):
            size_j, first_j, last_j = requests[j]
            if first_i <= last_j and first_j <= last_i:  # both alive at some step
                assert offsets[i] + size_i <= offsets[j] or offsets[j] + size_j <= offsets[i], (i, j)
    return offsets, total


def test_chain_reuses_memory():
    # A chain a -> b -> c -> d: only neighbours are alive together.
    requests = [(1000, 0, 1), (1000, 1, 2), (1000, 2, 3), (1000, 3, 4)]
    _, total = check_plan(requests)
    assert total == 2 * 1024  # two buffers suffice, each rounded up to 64


def test_all_alive_needs_sum():
    requests = [(100, 0, 5), (200, 0, 5), (300, 0, 5)]
    _, total = check_plan(requests)
    assert total == 128 + 256 + 320


def test_empty_and_zero_sized():
    assert _core._plan_arena([], 64) == ([], 0)
    offsets, total = check_plan([(0, 0, 0), (10, 0, 0)])
    assert total >= 64


@pytest.mark.parametrize("seed", range(20))
def test_random_lifetimes_never_overlap(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    requests = []
    for _ in range(n):
        first = int(rng.integers(-1, 30))
        requests.append((int(rng.integers(0, 5000)), first, first + int(rng.integers(0, 10))))
    _, total = check_plan(requests, alignment=int(rng.choice([1, 16, 64])))
    assert total <= sum(-(-max(s, 1) // 64) * 64 for s, _, _ in requests)
