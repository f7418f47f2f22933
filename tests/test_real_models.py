"""Real models (tests/real_models.py) against LiteRT, per model and kind.

int8: bit-exact against BUILTIN_REF on random full-range inputs, on every
kernel path this CPU runs (pyruntime.cpu_paths(), forced with PYRUNTIME_ISA). float32:
the float oracle (model_kinds.float_oracle) against BUILTIN_REF, bounds from
LiteRT default's own errors on the same inputs (relative RMS and max).
A model/kind TensorFlow cannot convert is listed in CONVERTER_FAILURES with
its error; the test checks it still fails that way (so a TensorFlow upgrade
that fixes it shows up). Models using ops pyruntime does not implement yet
fail at load with ModelError naming them.
"""
import numpy as np
import pytest

import model_kinds
import model_zoo
import real_models as rm
from bitexact import assert_bit_exact
import pyruntime

SEEDS = (0, 1)
# Many draws: how much a network amplifies rounding differences varies by
# orders of magnitude between inputs (EfficientNetV2B0's pooled relative RMS
# error, ours and XNNPACK's alike, spans 4e-7 to 5e-4 across groups of six),
# so a few draws compare two runtimes' luck, not their accuracy.
FLOAT_SEEDS = tuple(range(24))

# (name, kind) -> regex on the converter's error (TensorFlow 2.21).
CONVERTER_FAILURES: dict = {}

# Ops each hand-built model exists to exercise: its builder must keep them.
KEY_OPS = {
    "unet": {"TRANSPOSE_CONV", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "CONCATENATION"},
    "transformer": {"BATCH_MATMUL", "SOFTMAX", "GELU", "RSQRT", "SQUARED_DIFFERENCE", "MEAN"},
    "kws_dscnn": {"CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "FULLY_CONNECTED"},
    "mlp": {"FULLY_CONNECTED"},
}

CASES = [(n, k) for n in rm.MODEL_NAMES for k in rm.KINDS]


def _model(name, kind):
    expected = CONVERTER_FAILURES.get((name, kind))
    if expected is None:
        return rm.get_model(name, kind)
    with pytest.raises(rm.ConversionError, match=expected):
        rm.get_model(name, kind)
    return None


def _check_int8(path):
    refs = assert_bit_exact(path, seeds=SEEDS, num_threads=2)
    # The comparison means something only if the output depends on the input.
    assert refs[0][0].tobytes() != refs[1][0].tobytes(), f"{path.name}: constant output"


def _check_float32(path):
    sets = [model_kinds.random_float_inputs(path, s) for s in FLOAT_SEEDS]
    oracle = model_kinds.float_oracle(path, sets)
    interp = pyruntime.Interpreter(str(path))
    oracle.check([interp.run(inputs) for inputs in sets], path.name)
    assert not np.array_equal(oracle.refs[0][0], oracle.refs[1][0]), f"{path.name}: constant output"


@pytest.mark.parametrize("name,kind", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_real_model(name, kind):
    path = _model(name, kind)
    if path is None:
        return
    (_check_int8 if kind == "int8" else _check_float32)(path)


@pytest.mark.parametrize("isa", [p for p in pyruntime.cpu_paths() if p != pyruntime.cpu_paths()[0]])
@pytest.mark.parametrize("name", rm.MODEL_NAMES)
def test_int8_real_model_on_other_paths(monkeypatch, name, isa):
    """The int8 check of test_real_model (which runs the best path) on each
    other path."""
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    path = _model(name, "int8")
    if path is not None:
        _check_int8(path)


@pytest.mark.parametrize("name", sorted(KEY_OPS))
def test_builder_keeps_key_ops(name):
    for kind in rm.KINDS:
        path = _model(name, kind)
        if path is not None:
            missing = KEY_OPS[name] - set(model_zoo.distinct_ops(path))
            assert not missing, f"{name}/{kind} lacks {sorted(missing)}"


def test_int8_models_are_fully_integer_at_the_borders():
    for name in rm.MODEL_NAMES:
        path = _model(name, "int8")
        if path is None:
            continue
        io = model_zoo.model_io_details(path)
        assert {d["dtype"] for d in io["inputs"] + io["outputs"]} == {np.int8}, name


def test_conversion_error_is_cached(tmp_path, monkeypatch):
    calls = []

    def fail(name, kind):
        calls.append((name, kind))
        raise ValueError("converter says no")

    monkeypatch.setattr(rm, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(rm, "_convert", fail)
    for _ in range(2):
        with pytest.raises(rm.ConversionError, match="^ValueError: converter says no$"):
            rm.get_model("mlp", "int8")
    assert calls == [("mlp", "int8")]
    assert not rm.model_path("mlp", "int8").exists()


def test_unet_covers_every_resize_variant():
    from ai_edge_litert import schema_py_generated as schema

    path = _model("unet", "int8")
    model = schema.ModelT.InitFromPackedBuf(path.read_bytes(), 0)
    code = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    variants = set()
    for op in model.subgraphs[0].operators:
        name = code[model.operatorCodes[op.opcodeIndex].builtinCode]
        if name.startswith("RESIZE_"):
            variants.add((name, op.builtinOptions.alignCorners, op.builtinOptions.halfPixelCenters))
    assert variants == {(n, a, h) for n in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR")
                        for a, h in ((True, False), (False, True), (False, False))}
