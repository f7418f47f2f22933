"""The per-channel table fusion (csrc/interpreter/channel_table_fusion.h):
chains of int8 ADD / SUB / MUL whose other operand is a scalar or
per-channel constant (up to 16 channels) run as one table lookup per
channel, bit-exact with LiteRT's reference kernels (each op run alone); it
must not fire when an intermediate is needed elsewhere, on tensors with few
rows, or on wide channel constants (those stay ops, also checked exact).

Hand-built flatbuffers, so scales, zero points, operand order and fused
activations can be set; inputs cover every int8 value in every channel.
"""

from __future__ import annotations

import numpy as np
import pytest

import model_zoo
import op_models
import pyruntime
from model_zoo import args_key, cached_build, reference_outputs

SCHEMA = model_zoo._schema()
CACHE = op_models.OP_CACHE_DIR / "channel_table_fusion"
OPTIONS = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions"}


def _tensor(name, shape, quant, buffer=0):
    t = SCHEMA.TensorT()
    t.name, t.shape, t.type, t.buffer = name, list(shape), SCHEMA.TensorType.INT8, buffer
    q = SCHEMA.QuantizationParametersT()
    q.scale, q.zeroPoint = [float(quant[0])], [int(quant[1])]
    t.quantization = q
    return t


def chain_model(steps, shape, in_q=(0.05, 3), extra_output=None, seed=0):
    """x -> op_1(., k_1) -> ... -> op_n(., k_n). steps: (op, const shape,
    const quant, out quant, const_first, fused activation). extra_output: the
    index of an intermediate also made a graph output."""
    key = args_key(steps, list(shape), in_q, extra_output, seed)
    path = CACHE / f"chain_{key}.tflite"

    def build() -> bytes:
        import flatbuffers

        rng = np.random.default_rng(seed)
        names = sorted({s[0] for s in steps})
        codes = []
        for name in names:
            oc = SCHEMA.OperatorCodeT()
            code = getattr(SCHEMA.BuiltinOperator, name)
            oc.builtinCode, oc.deprecatedBuiltinCode, oc.version = code, min(code, 127), 1
            codes.append(oc)
        buffers = [SCHEMA.BufferT()]
        tensors = [_tensor("x", shape, in_q)]
        ops = []
        cur = 0
        for i, (op, k_shape, k_q, out_q, const_first, act) in enumerate(steps):
            b = SCHEMA.BufferT()
            b.data = list(rng.integers(-128, 128, int(np.prod(k_shape))).astype(np.int8).view(np.uint8))
            buffers.append(b)
            tensors.append(_tensor(f"k{i}", k_shape, k_q, buffer=len(buffers) - 1))
            tensors.append(_tensor(f"y{i}", shape, out_q))
            o = SCHEMA.OperatorT()
            k, out = len(tensors) - 2, len(tensors) - 1
            o.opcodeIndex, o.inputs, o.outputs = names.index(op), [k, cur] if const_first else [cur, k], [out]
            o.builtinOptionsType = getattr(SCHEMA.BuiltinOptions, OPTIONS[op])
            o.builtinOptions = getattr(SCHEMA, OPTIONS[op] + "T")()
            o.builtinOptions.fusedActivationFunction = act
            ops.append(o)
            cur = out
        outputs = [cur] + ([2 * extra_output + 2] if extra_output is not None else [])
        sg = SCHEMA.SubGraphT()
        sg.tensors, sg.inputs, sg.outputs, sg.operators = tensors, [0], outputs, ops
        m = SCHEMA.ModelT()
        m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, codes, [sg], buffers
        fb = flatbuffers.Builder(1024)
        fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())

    return cached_build(path, build)


def inputs(shape, seed=0):
    """Every int8 value in every channel (rows >= 256), then random rows."""
    rows = int(np.prod(shape[:-1]))
    c = shape[-1]
    x = np.random.default_rng(seed).integers(-128, 128, (rows, c))
    x[: min(rows, 256)] = (np.arange(min(rows, 256))[:, None] + np.arange(c)[None, :]) % 256 - 128
    return x.astype(np.int8).reshape(shape)


def check(path, shape, expect_fused_name, **kwargs):
    x = inputs(shape)
    ref = reference_outputs(path, [[x]])[0]
    interp = pyruntime.Interpreter(str(path), **kwargs)
    interp._set_profiling(True)
    ours = interp.run([x])
    ours = ours if isinstance(ours, list) else [ours]
    for o, r in zip(ours, ref):
        assert o.dtype == r.dtype and np.array_equal(o, r), f"{np.count_nonzero(o != r)} differ"
    names = [name for _, name, _ in interp._op_profile()]
    if expect_fused_name:
        assert expect_fused_name in names, names
    else:
        assert not [n for n in names if "+" in n], names
    return names


def bn(c):
    return [("MUL", (c,), (0.02, 0), (0.04, -10), False, 0), ("ADD", (1, 1, 1, c), (0.03, 5), (0.05, -128), False, 1)]


BN = bn(16)


@pytest.mark.parametrize("shape", [(1, 32, 32, 16), (2, 16, 20, 16)])
def test_batchnorm_mul_add_fused_and_exact(shape):
    check(chain_model(BN, shape), shape, "MUL+ADD")


def test_wide_channel_constants_stay_ops():
    check(chain_model(bn(64), (1, 32, 32, 64)), (1, 32, 32, 64), None)


@pytest.mark.parametrize("const_first", [False, True])
@pytest.mark.parametrize("act", [0, 1, 3])
def test_operand_order_and_activations(const_first, act):
    steps = [("MUL", (1, 1, 12), (0.01, -7), (0.03, 20), const_first, act),
             ("SUB", (12,), (0.02, 100), (0.06, -3), const_first, 0),
             ("ADD", (1, 12), (0.5, -128), (0.2, 127), not const_first, act)]
    check(chain_model(steps, (1, 24, 23, 12)), (1, 24, 23, 12), "MUL+SUB+ADD")


def test_input_normalization_scalar_then_channels():
    """EfficientNetV2's rescaling: MUL by a scalar, SUB and MUL per channel (3)."""
    steps = [("MUL", (), (0.004, -128), (0.01, -30), False, 0),
             ("SUB", (1, 1, 1, 3), (0.02, 10), (0.03, 2), False, 0),
             ("MUL", (1, 1, 1, 3), (0.05, 0), (0.07, -1), False, 0)]
    check(chain_model(steps, (1, 64, 64, 3)), (1, 64, 64, 3), "MUL+SUB+MUL")


def test_scalar_chain_becomes_one_table():
    steps = [("ADD", (1,), (0.1, 9), (0.2, -4), True, 0), ("MUL", (1, 1), (0.003, -90), (0.01, 33), False, 3)]
    check(chain_model(steps, (1, 7, 9, 5)), (1, 7, 9, 5), "ADD+MUL")


@pytest.mark.parametrize("channels", [1, 2, 3, 7, 8, 9, 15, 16, 17, 33])
def test_channel_counts_and_threads(channels):
    shape = (1, 600, channels)
    steps = [("MUL", (channels,), (0.02, 0), (0.04, -10), False, 0), ("ADD", (channels,), (0.03, 5), (0.05, 1), False, 0)]
    check(chain_model(steps, shape), shape, "MUL+ADD" if channels <= 16 else None, num_threads=2)


def test_not_fused_when_intermediate_is_needed_or_tensor_is_small():
    check(chain_model(BN, (1, 32, 32, 16), extra_output=0), (1, 32, 32, 16), "ADD")
    check(chain_model(BN, (1, 32, 32, 16)), (1, 32, 32, 16), None, preserve_all_tensors=True)
    # 14 x 14 rows: the tables would cost more to read than the ops.
    check(chain_model(BN, (1, 14, 14, 16)), (1, 14, 14, 16), None)
