"""IF, WHILE, CALL_ONCE and resource variables against LiteRT's reference kernels.

Models come from tf.function code converted by TensorFlow (tests/stateful_models.py):
tf.cond -> IF, tf.while_loop -> WHILE (data-dependent and fixed trip counts, an IF
nested in a WHILE body), tf.Variable -> VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE
initialized by CALL_ONCE. int8 outputs must be equal to BUILTIN_REF's, float32 ones
within 1e-5 relative; stateful models are compared call after call in one process.
"""
import numpy as np
import pytest
from ai_edge_litert.interpreter import Interpreter as LiteRT
from ai_edge_litert.interpreter import OpResolverType

import model_kinds as mk
import model_zoo
import stateful_models as sm
from model_edit import edited
import pyruntime

BOUND = 1e-5


def _litert(path):
    interp = LiteRT(model_path=str(path), num_threads=1,
                    experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interp.allocate_tensors()
    return interp


def _ref_run(ref, x):
    ref.set_tensor(ref.get_input_details()[0]["index"], x)
    ref.invoke()
    return [ref.get_tensor(d["index"]) for d in ref.get_output_details()]


def _our_run(ours, x):
    out = ours.run(x)
    return out if isinstance(out, list) else [out]


def _assert_match(ours, refs, int8):
    assert len(ours) == len(refs)
    for o, r in zip(ours, refs):
        assert o.dtype == r.dtype and o.shape == r.shape
        if int8 or o.dtype != np.float32:
            assert np.array_equal(o, r), f"{o} != {r}"
        else:
            assert mk.max_rel_error(o, r) <= BOUND, f"{o} vs {r}"


def _inputs(int8, n=6):
    rng = np.random.default_rng(7)
    xs = [rng.uniform(-2, 2, (1, 4)).astype(np.float32) for _ in range(n // 2)]
    xs += [-x for x in xs]  # both signs of sum(x): both IF branches
    if int8:
        return [rng.integers(-128, 128, (1, 4)).astype(np.int8) for _ in range(n // 2)] + \
               [np.full((1, 4), v, np.int8) for v in (-128, 0, 127)]
    return xs


CASES = [("cond", False), ("cond", True), ("while_data", False), ("while_count", False),
         ("while_count", True), ("nested", False), ("nested", True)]


@pytest.mark.parametrize("name,int8", CASES)
def test_control_flow_matches_litert(name, int8):
    path = sm.control_flow_model(name, int8)
    ops = set(model_zoo.op_names(path))
    assert ops & {"IF", "WHILE"}, f"converter wrote no control flow: {sorted(ops)}"
    ref, ours = _litert(path), pyruntime.Interpreter(str(path))
    for x in _inputs(int8):
        _assert_match(_our_run(ours, x), _ref_run(ref, x), int8)


def test_cond_takes_both_branches():
    path = sm.control_flow_model("cond")
    ours = pyruntime.Interpreter(str(path))
    x = np.array([[0.5, -0.25, 1.0, 0.0]], np.float32)
    np.testing.assert_allclose(ours.run(x), x * 2 + 1, rtol=1e-6)
    np.testing.assert_allclose(ours.run(-x), np.tanh(-x) - 1, rtol=1e-6)


def test_while_trip_count_depends_on_data():
    ours = pyruntime.Interpreter(str(sm.control_flow_model("while_data")))
    counts = []
    for scale in (0.1, 1.0, 4.0):
        x = np.full((1, 4), scale, np.float32)
        count, value = ours.run(x)
        v, expect = x.copy(), 0
        while np.abs(v).sum() < 10:
            v, expect = v * 1.5 + 0.5, expect + 1
        assert int(count) == expect
        np.testing.assert_allclose(value, v, rtol=1e-5)
        counts.append(int(count))
    assert len(set(counts)) == 3


@pytest.mark.parametrize("kind", ["accumulator", "counter"])
def test_variables_persist_across_invokes_and_reset(kind):
    path = sm.variable_model(kind)
    ops = set(model_zoo.op_names(path))
    assert {"CALL_ONCE", "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE"} <= ops
    ref, ours = _litert(path), pyruntime.Interpreter(str(path))
    xs = _inputs(False, 8)
    for x in xs[:4]:
        _assert_match(_our_run(ours, x), _ref_run(ref, x), False)
    # The same input twice gives different outputs: the variable moved on.
    again = [_our_run(ours, xs[0])[0] for _ in range(2)]
    assert not np.array_equal(again[0], again[1])
    for _ in range(2):
        _ref_run(ref, xs[0])
    # LiteRT's reset_all_variables resets variable tensors only: resource
    # variables keep their values, and ours do too.
    ref.reset_all_variables()
    ours.reset_all_variables()
    for x in xs[4:6]:
        _assert_match(_our_run(ours, x), _ref_run(ref, x), False)
    # resource_variables=True: back to the initial state, as a fresh interpreter.
    ours.reset_all_variables(resource_variables=True)
    fresh = _litert(path)
    for x in xs[:3]:
        _assert_match(_our_run(ours, x), _ref_run(fresh, x), False)


def test_counter_values():
    ours = pyruntime.Interpreter(str(sm.variable_model("counter")))
    x = np.ones((1, 4), np.float32)
    assert [float(ours.run(x)[0, 0]) for _ in range(3)] == [4.0, 5.0, 6.0]
    ours.reset_all_variables(resource_variables=True)
    assert float(ours.run(x)[0, 0]) == 4.0


def _while_with(options_edit):
    data = sm.control_flow_model("while_count").read_bytes()

    def change(model):
        for op in model.subgraphs[0].operators:
            if op.builtinOptions is not None and hasattr(op.builtinOptions, "bodySubgraphIndex"):
                options_edit(op.builtinOptions)
    return edited(data, change)


@pytest.mark.parametrize("edit,message", [
    (lambda o: setattr(o, "bodySubgraphIndex", 99), r"WHILE\).*subgraph index 99 out of range"),
    (lambda o: setattr(o, "bodySubgraphIndex", 0), r"WHILE\).*runs subgraph 0"),
    (lambda o: setattr(o, "condSubgraphIndex", o.bodySubgraphIndex), r"WHILE\).*cond subgraph"),
])
def test_bad_subgraph_references_are_model_errors(edit, message):
    with pytest.raises(pyruntime.ModelError, match=message):
        pyruntime.Interpreter(model_content=_while_with(edit))


def test_subgraph_running_itself_is_refused():
    # The body of the nested model holds an IF; point its then-branch at the body.
    data = sm.control_flow_model("nested").read_bytes()

    def change(model):
        for k, sg in enumerate(model.subgraphs):
            for op in sg.operators:
                if op.builtinOptions is not None and hasattr(op.builtinOptions, "thenSubgraphIndex"):
                    op.builtinOptions.thenSubgraphIndex = k
    with pytest.raises(pyruntime.ModelError, match="runs itself"):
        pyruntime.Interpreter(model_content=edited(data, change))
