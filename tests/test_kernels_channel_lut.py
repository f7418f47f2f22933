"""Per-channel int8 table lookups (csrc/kernels/channel_lut_s8_kernel.h) on
every kernel path against numpy indexing, bit for bit: channel counts around
the 8- and 16-lane steps, one row to many, tables with every byte value,
1-3 threads."""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()


def expected(table, x):
    c = x.shape[-1]
    flat = x.reshape(-1, c).view(np.uint8).astype(np.int64)
    return table[np.arange(c)[None, :], flat].reshape(x.shape)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("channels", [1, 2, 7, 8, 9, 15, 16, 17, 31, 64, 100, 1024])
def test_channel_lut_matches_numpy(isa, channels):
    rng = np.random.default_rng(channels)
    table = rng.integers(-128, 128, (channels, 256)).astype(np.int8)
    for rows in (1, 3, 257):
        x = rng.integers(-128, 128, (rows, channels)).astype(np.int8)
        x[0] = np.arange(channels) % 256 - 128
        for threads in (1, 3):
            got = T.channel_lut_s8(table, x, isa, threads)
            np.testing.assert_array_equal(got, expected(table, x), err_msg=f"{isa} rows {rows} threads {threads}")


@pytest.mark.parametrize("isa", ISAS)
def test_every_entry_and_large_split(isa):
    channels = 48
    table = (np.arange(channels * 256).reshape(channels, 256) * 37 % 251 - 125).astype(np.int8)
    x = ((np.arange(256 * 300)[:, None] + np.arange(channels)) % 256 - 128).astype(np.int8).reshape(1, 256 * 300, channels)
    np.testing.assert_array_equal(T.channel_lut_s8(table, x, isa, 2), expected(table, x))


def test_rejects_mismatched_table():
    with pytest.raises(ValueError):
        T.channel_lut_s8(np.zeros((3, 255), np.int8), np.zeros((2, 3), np.int8), "reference")
    with pytest.raises(ValueError):
        T.channel_lut_s8(np.zeros((3, 256), np.int8), np.zeros((2, 4), np.int8), "reference")
