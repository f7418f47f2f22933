"""pyruntime: a fast, bit-exact inference runtime for quantized TensorFlow Lite models.

    import pyruntime
    y = pyruntime.Interpreter("model.tflite").run(x)

Outputs are bit-exact with TFLite's reference kernels. See ``Interpreter``.
"""

from pyruntime._core import ModelError, UsageError
from pyruntime.interpreter import Interpreter, SignatureRunner


def quantize(model, mode, representative_data=None, io="int8", eval_data=None, eval_labels=None):
    """Quantizes a float model with TensorFlow's converter; returns (tflite_bytes, report).

    ``mode``: "dynamic", "int8", "float16" or "int16x8"; see ``pyruntime.convert.quantize``.
    Needs ``pip install "pyruntime[convert]"``; running models never does.
    """
    from pyruntime.convert import quantize as _quantize

    return _quantize(model, mode, representative_data, io, eval_data, eval_labels)


def evaluate(float_model, quantized_tflite, data, labels=None):
    """Compares a quantized .tflite with its float model on ``data``; returns a QuantizationReport."""
    from pyruntime.convert import evaluate as _evaluate

    return _evaluate(float_model, quantized_tflite, data, labels)

__version__ = "0.1.0"

ModelError.__doc__ = (
    "The model file is malformed or uses something pyruntime does not support. "
    "The message names the op or tensor at fault. A subclass of ValueError."
)
UsageError.__doc__ = "An API call with wrong arguments (for example a wrong input shape). A ValueError."

__all__ = ["Interpreter", "SignatureRunner", "ModelError", "UsageError", "quantize", "evaluate", "__version__"]
