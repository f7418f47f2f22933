"""Deterministic corruptions of .tflite files for robustness tests.

Byte-level mutations hit the flatbuffer structure (offsets, vtables, lengths);
structured ones go through the object API to produce well-formed flatbuffers
whose contents are wrong (indices, shapes, quantization, graph topology),
which only the runtime's semantic validation can catch.
"""

from __future__ import annotations

import random
import struct
from typing import Callable, Iterator, List

import numpy as np

from model_edit import dump, load

INTERESTING_WORDS = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000,
                     0xFFFFFFFF, 0xFFFFFFFE, 0x40000000, 16, 64, 1 << 20]


def truncations(data: bytes, count: int, rng: random.Random) -> Iterator[bytes]:
    for _ in range(count):
        yield data[: rng.randrange(len(data))]


def byte_flips(data: bytes, count: int, rng: random.Random, window: int = 0) -> Iterator[bytes]:
    """Flip 1-8 random bytes; within the first `window` bytes when window > 0."""
    limit = min(window, len(data)) if window else len(data)
    for _ in range(count):
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(limit)] ^= 1 << rng.randrange(8)
        yield bytes(b)


def word_overwrites(data: bytes, count: int, rng: random.Random) -> Iterator[bytes]:
    for _ in range(count):
        b = bytearray(data)
        pos = rng.randrange(0, max(1, len(b) - 4)) & ~3
        word = rng.choice(INTERESTING_WORDS + [len(data), len(data) - pos, rng.getrandbits(32)])
        b[pos:pos + 4] = struct.pack("<I", word & 0xFFFFFFFF)
        yield bytes(b)


def random_files(count: int, rng: random.Random) -> Iterator[bytes]:
    yield b""
    for _ in range(count - 1):
        n = rng.choice([1, 4, 8, 12, 16, 64, 256, 4096])
        body = bytes(rng.getrandbits(8) for _ in range(n))
        # Half of them carry the right identifier so they get past the first check.
        if n >= 8 and rng.random() < 0.5:
            body = body[:4] + b"TFL3" + body[8:]
        yield body


def _structured_edits(rng: random.Random) -> List[Callable]:
    """Edits of the object tree; each picks its target at random."""

    def pick(seq):
        return seq[rng.randrange(len(seq))] if seq else None

    def sg(m):
        return m.subgraphs[0]

    def bad_index():
        return rng.choice([-2, -1, 10_000, 2**31 - 1, -(2**31)])

    def op_input_out_of_range(m):
        op = pick(sg(m).operators)
        if op is not None and op.inputs is not None and len(op.inputs):
            op.inputs[rng.randrange(len(op.inputs))] = bad_index()

    def op_output_out_of_range(m):
        op = pick(sg(m).operators)
        if op is not None and op.outputs is not None and len(op.outputs):
            op.outputs[0] = bad_index()

    def swap_tensor_indices(m):
        op = pick(sg(m).operators)
        if op is not None and op.inputs is not None and len(op.inputs) > 1:
            i, j = rng.sample(range(len(op.inputs)), 2)
            op.inputs[i], op.inputs[j] = op.inputs[j], op.inputs[i]

    def random_tensor_index(m):
        op = pick(sg(m).operators)
        if op is not None and op.inputs is not None and len(op.inputs):
            op.inputs[rng.randrange(len(op.inputs))] = rng.randrange(len(sg(m).tensors))

    def cycle(m):
        ops = sg(m).operators
        if ops and len(ops) > 1:
            first, last = ops[0], ops[-1]
            if first.inputs is not None and len(first.inputs) and last.outputs is not None and len(last.outputs):
                first.inputs[0] = last.outputs[0]

    def opcode_out_of_range(m):
        op = pick(sg(m).operators)
        if op is not None:
            op.opcodeIndex = rng.choice([len(m.operatorCodes), 255, 2**32 - 1])

    def builtin_code_garbage(m):
        code = pick(m.operatorCodes)
        if code is not None:
            code.builtinCode = rng.choice([-1, 127, 209, 10_000, rng.randrange(210)])
            code.deprecatedBuiltinCode = rng.choice([0, 127, -1])

    def huge_or_negative_shape(m):
        t = pick(sg(m).tensors)
        if t is not None:
            dims = t.shape if t.shape is not None and len(t.shape) else np.array([1], np.int32)
            dims = np.array(dims, dtype=np.int64)
            dims[rng.randrange(len(dims))] = rng.choice([-1, -7, 0, 2**31 - 1, 65536, 1 << 20])
            t.shape = dims.astype(np.int64).clip(-(2**31), 2**31 - 1).astype(np.int32)

    def change_rank(m):
        t = pick(sg(m).tensors)
        if t is not None:
            t.shape = np.ones(rng.choice([0, 1, 2, 3, 5, 7, 9]), dtype=np.int32)

    def wrong_dtype(m):
        t = pick(sg(m).tensors)
        if t is not None:
            t.type = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 13, 17, 18, 42])

    def buffer_index(m):
        t = pick(sg(m).tensors)
        if t is not None:
            t.buffer = rng.choice([len(m.buffers), 2**32 - 1, rng.randrange(len(m.buffers))])

    def buffer_size(m):
        b = pick([b for b in m.buffers if b.data is not None and len(b.data)])
        if b is not None:
            n = len(b.data)
            b.data = np.asarray(b.data)[: rng.choice([0, 1, n // 2, max(0, n - 1)])]

    def quantization(m):
        t = pick([t for t in sg(m).tensors if t.quantization is not None and t.quantization.scale is not None])
        if t is None:
            return
        q = t.quantization
        kind = rng.randrange(6)
        if kind == 0:
            q.scale = np.array([rng.choice([0.0, -1.0, float("nan"), float("inf"), 1e-30, 1e30])], np.float32)
        elif kind == 1:
            q.zeroPoint = np.array([rng.choice([-129, 128, 256, 2**40, -(2**40)])], np.int64)
        elif kind == 2:
            q.quantizedDimension = rng.choice([-1, 4, 100])
            q.scale = np.ones(3, np.float32)
            q.zeroPoint = np.zeros(3, np.int64)
        elif kind == 3:
            q.zeroPoint = np.zeros(len(q.scale) + 1, np.int64)
        elif kind == 4:
            q.scale = np.ones(max(2, len(q.scale) * 2), np.float32)
        else:
            q.scale = np.array([], np.float32)

    def io_indices(m):
        s = sg(m)
        if rng.random() < 0.5 and s.inputs is not None and len(s.inputs):
            s.inputs[0] = bad_index()
        elif s.outputs is not None and len(s.outputs):
            s.outputs[0] = bad_index()

    def drop_inputs(m):
        op = pick(sg(m).operators)
        if op is not None and op.inputs is not None:
            op.inputs = np.asarray(op.inputs)[: rng.randrange(len(op.inputs) + 1)]

    def extra_inputs(m):
        op = pick(sg(m).operators)
        if op is not None and op.inputs is not None:
            op.inputs = np.concatenate([np.asarray(op.inputs, np.int32),
                                        np.array([rng.randrange(len(sg(m).tensors))] * rng.randint(1, 4), np.int32)])

    def options(m):
        op = pick(sg(m).operators)
        if op is not None and op.builtinOptions is not None:
            opts = op.builtinOptions
            for name in vars(opts):
                if rng.random() < 0.5:
                    value = getattr(opts, name)
                    if isinstance(value, bool):
                        setattr(opts, name, not value)
                    elif isinstance(value, int):
                        setattr(opts, name, rng.choice([-1, 0, 1, 2, 3, 7, 100, 2**31 - 1, -(2**31)]))
                    elif isinstance(value, float):
                        setattr(opts, name, rng.choice([0.0, -1.0, float("nan"), 1e30]))

    def options_type(m):
        op = pick(sg(m).operators)
        if op is not None:
            op.builtinOptionsType = rng.randrange(130)

    def no_subgraphs(m):
        m.subgraphs = []

    return [op_input_out_of_range, op_output_out_of_range, swap_tensor_indices, random_tensor_index, cycle,
            opcode_out_of_range, builtin_code_garbage, huge_or_negative_shape, change_rank, wrong_dtype,
            buffer_index, buffer_size, quantization, io_indices, drop_inputs, extra_inputs, options,
            options_type, no_subgraphs]


def structured(data: bytes, count: int, rng: random.Random) -> Iterator[bytes]:
    edits = _structured_edits(rng)
    for _ in range(count):
        model = load(data)
        try:
            for _ in range(rng.randint(1, 3)):
                rng.choice(edits)(model)
            yield dump(model)
        except Exception:  # an edit did not apply (e.g. no subgraph left) or would not pack
            continue


def corpus(seeds: List[bytes], per_seed: int, seed: int = 0) -> List[bytes]:
    """About `per_seed` mutants of each seed model, mixed over all strategies."""
    rng = random.Random(seed)
    out: List[bytes] = []
    share = per_seed // 5
    for data in seeds:
        out += truncations(data, share // 2, rng)
        out += byte_flips(data, share, rng)
        out += byte_flips(data, share // 2, rng, window=128)
        out += word_overwrites(data, share, rng)
        out += structured(data, share * 2, rng)
    out += random_files(max(10, per_seed // 20), rng)
    return out
