"""Models pyruntime cannot run name what is missing: custom ops; control flow ops
whose operands make no sense name the op."""
from pathlib import Path

import pytest

import pyruntime
from model_edit import BuiltinOperator, edited

DEMO = Path(pyruntime.__file__).parent / "data" / "digits_int8.tflite"


def _with_first_opcode(edit):
    def change(model):
        edit(model.operatorCodes[0])
    return edited(DEMO.read_bytes(), change)


@pytest.mark.parametrize("op", ["WHILE", "IF", "CALL_ONCE"])
def test_control_flow_named(op):
    def edit(code):
        code.builtinCode = getattr(BuiltinOperator, op)
        # Codes > 127 only fit the new field; the old one holds the placeholder.
        code.deprecatedBuiltinCode = min(code.builtinCode, 127)
    # The CONV_2D's operands and options do not fit a control flow op (no
    # subgraph indices, no bool condition, inputs for CALL_ONCE).
    with pytest.raises(pyruntime.ModelError, match=rf"op \d+ \({op}\): "):
        pyruntime.Interpreter(model_content=_with_first_opcode(edit))


def test_custom_op_named():
    def edit(code):
        code.builtinCode = code.deprecatedBuiltinCode = BuiltinOperator.CUSTOM
        code.customCode = b"MyFancyOp"
    with pytest.raises(pyruntime.ModelError) as info:
        pyruntime.Interpreter(model_content=_with_first_opcode(edit))
    message = str(info.value)
    assert "CUSTOM(MyFancyOp) (op " in message and "custom ops" in message
    assert "control flow" not in message
