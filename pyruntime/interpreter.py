"""The Interpreter: a TFLite-compatible Python surface over the native core."""

from __future__ import annotations

import math
import mmap
import os
import weakref
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

from pyruntime import _core
from pyruntime.quantization import dequantize, quantize

ArrayLike = Union[np.ndarray, Sequence[Any]]


def _map_file(path: str) -> Union[mmap.mmap, bytes]:
    """The model file mapped read-only (weights stay views of it; the caller
    must not truncate the file while an Interpreter uses it, as with TFLite's
    mmap loading). Empty files cannot be mapped and are read instead."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return f.read()
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


# Ops with multiply-accumulates, and how many inputs they need for counting.
_MAC_OPS = {"CONV_2D": 2, "DEPTHWISE_CONV_2D": 2, "FULLY_CONNECTED": 2, "BATCH_MATMUL": 2,
            "TRANSPOSE_CONV": 3}


class Interpreter:
    """Loads a ``.tflite`` model and runs it.

    ``Interpreter(path)``, ``Interpreter(model_path=path)`` or
    ``Interpreter(model_content=bytes)``. The model is validated and planned
    at construction: unsupported ops or malformed files raise
    ``pyruntime.ModelError`` here. Only a model whose shapes depend on values
    computed in the graph is planned (in part) at ``invoke``, which may then
    raise ``ModelError`` for an invalid computed shape.

    The constructor takes LiteRT's arguments in LiteRT's order (see
    docs/interpreter_api.md): ``num_threads`` is the number of threads ops
    may use (>= 1; None or -1: one per CPU). ``experimental_delegates`` must
    be None or empty: pyruntime runs its own kernels, never a delegate.
    ``experimental_op_resolver_type`` is accepted and changes nothing (the
    kernels match LiteRT's reference kernels). ``preserve_all_tensors=True``
    (or ``experimental_preserve_all_tensors``) keeps every intermediate
    tensor readable through ``get_tensor`` after ``invoke``.
    ``profile=True`` times every op of each invoke; see ``get_profile``.
    """

    def __init__(
        self,
        model_path: Union[str, os.PathLike, bytes, None] = None,
        model_content: Optional[bytes] = None,
        experimental_delegates: Optional[Sequence[Any]] = None,
        num_threads: Optional[int] = 1,
        experimental_op_resolver_type: Any = None,
        experimental_preserve_all_tensors: bool = False,
        experimental_disable_delegate_clustering: bool = False,
        experimental_default_delegate_latest_features: bool = False,
        experimental_compress_quantization_zero_points: bool = False,
        experimental_disable_delegate_node_fusion: bool = False,
        experimental_force_delegate_node_profiling: bool = False,
        *,
        preserve_all_tensors: bool = False,
        profile: bool = False,
        _subgraph: int = 0,
    ) -> None:
        if experimental_delegates:
            raise ValueError(
                f"pyruntime runs its own kernels and cannot use TFLite delegates; got "
                f"experimental_delegates={experimental_delegates!r} (pass None)")
        _check_op_resolver_type(experimental_op_resolver_type)
        # The delegate options have nothing to act on without delegates.
        self._experimental_compress_quantization_zero_points = bool(
            experimental_compress_quantization_zero_points)
        preserve_all_tensors = bool(preserve_all_tensors or experimental_preserve_all_tensors)
        if isinstance(model_path, (bytes, bytearray, memoryview)) and model_content is None:
            model_path, model_content = None, model_path
        if (model_path is None) == (model_content is None):
            raise ValueError("pass exactly one of model_path or model_content")
        if model_path is not None:
            model_content = _map_file(os.fspath(model_path))
        elif not isinstance(model_content, bytes):
            # Copy mutable buffers: the core keeps views into these bytes.
            model_content = bytes(model_content)
        if num_threads is None or num_threads == -1:
            num_threads = os.cpu_count() or 1
        if not isinstance(num_threads, int) or num_threads < 1:
            raise ValueError(f"num_threads must be a positive int, got {num_threads!r}")
        self._model_content = model_content
        self._num_threads = num_threads
        self._preserve_all_tensors = preserve_all_tensors
        self._core: Optional[_core.Interpreter] = _core.Interpreter(
            model_content, num_threads, preserve_all_tensors, _subgraph
        )
        self._inputs: List[int] = self._core.inputs()
        self._outputs: List[int] = self._core.outputs()
        self._input_position: Dict[int, int] = {t: k for k, t in enumerate(self._inputs)}
        self._dynamic = self._core.is_dynamic()
        # Views handed out by tensor(): a re-plan while one is alive would
        # leave it dangling, so it is refused (TFLite's rule too).
        self._views: List[weakref.ref] = []
        self._subgraph_interpreters: Dict[int, "Interpreter"] = {}
        self._needs_prepare = False
        # Input shapes set by resize_tensor_input, reported by the details
        # before allocate_tensors plans them (as LiteRT does).
        self._pending_shapes: Dict[int, List[int]] = {}
        if profile:
            self._core._set_profiling(True)
        self._release_mapped_pages()

    def _release_mapped_pages(self) -> None:
        # Packed kernels copied what they need; drop the file's pages from
        # this process so the weights are not held twice. Pages still used at
        # invoke fault back in from the page cache.
        if isinstance(self._model_content, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            self._model_content.madvise(mmap.MADV_DONTNEED)

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        """Releases the model and its memory; later calls raise ValueError."""
        self._core = None
        if isinstance(self._model_content, mmap.mmap):
            self._model_content.close()

    def __enter__(self) -> "Interpreter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _native(self) -> _core.Interpreter:
        if self._core is None:
            raise ValueError("this Interpreter was closed")
        return self._core

    # -- TFLite-compatible surface -----------------------------------------

    def allocate_tensors(self) -> None:
        """Plans memory for the current input shapes (needed after ``resize_tensor_input``)."""
        native = self._native()
        if self._needs_prepare:
            self._ensure_safe()
            native.prepare()
            self._needs_prepare = False
            self._pending_shapes.clear()
            self._release_mapped_pages()

    def get_input_details(self) -> List[Dict[str, Any]]:
        """Details of the graph inputs, in TFLite's dict format."""
        return [self._details(i) for i in self._inputs]

    def get_output_details(self) -> List[Dict[str, Any]]:
        """Details of the graph outputs, in TFLite's dict format."""
        return [self._details(i) for i in self._outputs]

    def get_tensor_details(self, subgraph_index: int = 0) -> List[Dict[str, Any]]:
        """Details of every tensor of a subgraph (the main one by default)."""
        if subgraph_index != 0:
            return self._subgraph(subgraph_index).get_tensor_details()
        return [self._details(i) for i in range(self._native().num_tensors())]

    def _get_tensor_details(self, tensor_index: int, subgraph_index: int = 0) -> Dict[str, Any]:
        """Details of one tensor, as LiteRT's method of this name."""
        if subgraph_index != 0:
            return self._subgraph(subgraph_index)._get_tensor_details(tensor_index)
        return self._details(int(tensor_index))

    def set_tensor(self, tensor_index: int, value: ArrayLike) -> None:
        """Copies ``value`` into graph input ``tensor_index``; dtype and shape must match exactly."""
        position = self._input_position.get(tensor_index)
        if position is None:
            raise ValueError(
                f"tensor {tensor_index} is not a graph input (inputs: {self._inputs})")
        core = self._core
        if type(value) is np.ndarray and core is not None and not self._needs_prepare:
            core.set_input(position, value, False)  # fast path; the core checks dtype and shape
            return
        self._set_input(position, value)

    def invoke(self) -> None:
        """Runs the model on the inputs set with ``set_tensor``. Releases the GIL."""
        if self._core is not None and not (self._needs_prepare or self._dynamic):
            self._core.invoke()
            return
        self.allocate_tensors()
        self._ensure_safe()  # a dynamic model re-plans during invoke when a shape input changes
        self._native().invoke()

    def reset_all_variables(self, resource_variables: bool = False) -> None:
        """Sets variable tensors (recurrent states) to zero (int8: their zero
        point), as TFLite's method. Resource variables (tf.Variable) keep their
        values, as in LiteRT; with ``resource_variables=True`` they return to
        the model's initial state (their CALL_ONCE init subgraph runs again at
        the next invoke)."""
        self._native().reset_variables(bool(resource_variables))
        for sub in self._subgraph_interpreters.values():  # signature runners of other subgraphs
            sub.reset_all_variables(resource_variables)

    def get_tensor(self, tensor_index: int, subgraph_index: int = 0) -> np.ndarray:
        """A copy of tensor ``tensor_index`` (inputs, outputs and constants always;
        intermediates with ``preserve_all_tensors=True``)."""
        core = self._core
        if type(tensor_index) is int and subgraph_index == 0 and core is not None:
            return core.get_tensor(tensor_index)
        if not isinstance(tensor_index, (int, np.integer)):
            raise TypeError(f"tensor index must be an int, got {type(tensor_index).__name__}")
        if subgraph_index != 0:
            return self._subgraph(subgraph_index).get_tensor(tensor_index)
        return self._native().get_tensor(int(tensor_index))

    def tensor(self, tensor_index: int):
        """A function returning a numpy view of tensor ``tensor_index``'s
        current buffer (no copy; writable except for constants), as TFLite's
        ``tensor()``. Call the function for a fresh view each time and do not
        keep views across ``allocate_tensors`` / a resize: those raise
        RuntimeError while a view is alive."""
        if not isinstance(tensor_index, (int, np.integer)):
            raise TypeError(f"tensor index must be an int, got {type(tensor_index).__name__}")
        index = int(tensor_index)
        self._native().tensor_details(index)  # an unknown index fails here, not later

        def view() -> np.ndarray:
            array = _core.Interpreter.tensor_view(self._native(), index)
            self._views.append(weakref.ref(array))  # slices keep `array` alive too
            return array

        return view

    def num_subgraphs(self) -> int:
        """Number of subgraphs in the model (pyruntime runs subgraph 0, and a
        signature's subgraph through its runner)."""
        return self._native().num_subgraphs()

    @property
    def experimental_compress_quantization_zero_points(self) -> bool:
        return self._experimental_compress_quantization_zero_points

    def resize_tensor_input(self, input_index: int, tensor_size: Sequence[int], strict: bool = False) -> None:
        """Changes the shape of graph input ``input_index`` (a tensor index);
        dimensions the model fixes cannot change. Call ``allocate_tensors`` after."""
        try:
            position = self._inputs.index(input_index)
        except ValueError:
            raise ValueError(f"tensor {input_index} is not a graph input") from None
        shape = [int(d) for d in tensor_size]
        self._ensure_safe()
        self._native().resize_input(position, shape)
        self._needs_prepare = True
        self._pending_shapes[input_index] = shape

    # -- convenience -------------------------------------------------------

    def run(self, inputs: Union[ArrayLike, Sequence[ArrayLike], Mapping[str, ArrayLike]],
            *extra: ArrayLike, float_io: bool = False):
        """Sets the inputs, invokes, and returns the outputs.

        ``inputs``: one array for a single-input model, a list of arrays in
        input order, or a dict keyed by input tensor name. A new size along a
        dimension the model leaves free (e.g. batch) re-plans once.
        Returns one array for a single-output model, else a list; arrays are
        owned copies that later calls never overwrite.

        ``float_io=True`` takes float inputs and returns float32 outputs for a
        quantized model: inputs are quantized and outputs dequantized with
        each tensor's own scale and zero point. Plain ``run`` stays strict.
        """
        if extra:  # run(a, b): a 2-input model's arrays as separate arguments
            raise TypeError(
                f"run() takes the inputs as one argument (an array, a list in input order or a "
                f"dict by name), got {1 + len(extra)} positional arguments: call run([a, b, ...])")
        if not float_io and not self._needs_prepare and self._core is not None and not self._views:
            # Fast path for the common calls (one array, or a list / tuple of
            # arrays in input order): the core checks dtype and shape. The
            # general path below costs ~25 us per call on cold caches.
            kind, arrays = type(inputs), None
            if kind is np.ndarray:
                if len(self._inputs) == 1:
                    arrays = [inputs]
            elif (kind is list or kind is tuple) and len(inputs) == len(self._inputs) \
                    and all(type(a) is np.ndarray for a in inputs):
                arrays = list(inputs)
            if arrays is not None:
                outs = self._core.run(arrays)
                return outs[0] if len(outs) == 1 else outs
        self.allocate_tensors()
        self._ensure_safe()  # a new input size or a dynamic model re-plans
        arrays = self._arrange_inputs(inputs)
        if float_io:
            arrays = [quantize(a, d) for a, d in zip(arrays, self.get_input_details())]
        outs = self._native().run(arrays)
        if float_io:
            outs = [dequantize(o, d) for o, d in zip(outs, self.get_output_details())]
        return outs[0] if len(outs) == 1 else outs

    def get_signature_list(self) -> Dict[str, Dict[str, List[str]]]:
        """``{key: {"inputs": [names], "outputs": [names]}}`` of the model's
        SignatureDefs, names sorted as TFLite lists them."""
        return {
            s["key"]: {
                "inputs": sorted(name for name, _ in s["inputs"]),
                "outputs": sorted(name for name, _ in s["outputs"]),
            }
            for s in self._native().signatures()
        }

    def get_signature_runner(self, signature_key: Optional[str] = None) -> "SignatureRunner":
        """A callable running SignatureDef ``signature_key`` (the only one when
        None): ``runner(**{input_name: array}) -> {output_name: array}``."""
        signatures = {s["key"]: s for s in self._native().signatures()}
        if signature_key is None:
            if len(signatures) != 1:
                raise ValueError(
                    f"signature_key is required: the model has {len(signatures)} signatures "
                    f"{sorted(signatures)}"
                )
            signature_key = next(iter(signatures))
        if signature_key not in signatures:
            raise ValueError(f'Invalid signature_key provided: "{signature_key}".')
        sig = signatures[signature_key]
        interp = self if sig["subgraph_index"] == 0 else self._subgraph(sig["subgraph_index"])
        return SignatureRunner(interp, signature_key, dict(sig["inputs"]), dict(sig["outputs"]))

    def _subgraph(self, index: int) -> "Interpreter":
        """An interpreter running subgraph ``index`` of the same model bytes
        (made on first use; a ModelError names what it cannot run)."""
        index = int(index)
        count = self._native().num_subgraphs()
        if not 0 <= index < count:
            raise ValueError(f"subgraph_index is out of range: {index} for the model, which has "
                             f"{count} subgraphs.")
        if index == 0:
            return self
        if index not in self._subgraph_interpreters:
            self._subgraph_interpreters[index] = Interpreter(
                model_content=self._model_content if isinstance(self._model_content, bytes)
                else bytes(self._model_content),
                num_threads=self._num_threads, preserve_all_tensors=self._preserve_all_tensors,
                _subgraph=index)
        return self._subgraph_interpreters[index]

    def _get_ops_details(self) -> List[Dict[str, Any]]:
        """Every op's details, as LiteRT's method of this name (see ``_get_op_details``)."""
        return [self._op_details(op) for op in self._native().op_details()]

    def _get_op_details(self, op_index: int) -> Dict[str, Any]:
        """index, op_name, inputs and outputs (int32 arrays, -1 for an omitted
        input), operand_types and result_types (numpy types) of op ``op_index``,
        as LiteRT's method of this name."""
        ops = self._native().op_details()
        if not 0 <= int(op_index) < len(ops):
            raise ValueError(f"op index {op_index} out of range ({len(ops)} ops)")
        return self._op_details(ops[int(op_index)])

    def _op_details(self, op: Dict[str, Any]) -> Dict[str, Any]:
        native = self._native()
        types = lambda ts: [_numpy_type(native.tensor_details(t)["dtype"]) for t in ts if t != -1]
        return {
            "index": int(op["index"]),
            "op_name": op["op_name"],
            "inputs": np.asarray(op["inputs"], dtype=np.int32),
            "outputs": np.asarray(op["outputs"], dtype=np.int32),
            "operand_types": types(op["inputs"]),
            "result_types": types(op["outputs"]),
        }

    def get_profile(self) -> List[Dict[str, Any]]:
        """Per-op timing of the latest invoke (needs ``profile=True``), in execution order:
        op_index, op_name, seconds, output_shape and macs (multiply-accumulates of
        CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED and BATCH_MATMUL;
        0 for other ops)."""
        ops = {op["index"]: op for op in self._get_ops_details()}
        out = []
        for index, name, seconds in self._native()._op_profile():
            op = ops[index]
            shape = self._first_output_shape(op)
            out.append({"op_index": index, "op_name": name, "seconds": seconds,
                        "output_shape": shape, "macs": self._macs(op, shape)})
        return out

    def count_macs(self) -> int:
        """Multiply-accumulates of one invoke at the current input shapes
        (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED and BATCH_MATMUL, as
        ``get_profile``)."""
        return sum(self._macs(op, self._first_output_shape(op)) for op in self._get_ops_details())

    def _first_output_shape(self, op: Dict[str, Any]) -> List[int]:
        """The shape of op's first output ([] for an op without outputs)."""
        outputs = op["outputs"]  # an int32 array: its truth value is ambiguous past one output
        return list(self._native().tensor_details(outputs[0])["shape"]) if len(outputs) else []

    def _macs(self, op: Dict[str, Any], out_shape: List[int]) -> int:
        name = op["op_name"]
        if name not in _MAC_OPS or len(op["inputs"]) < _MAC_OPS[name]:
            return 0
        weights = list(self._native().tensor_details(op["inputs"][1])["shape"])
        if name == "TRANSPOSE_CONV":
            # Inputs: output shape, weights [out_c, kh, kw, in_c], input. Every
            # input value meets every weight of its channel once (outputs that
            # fall in the cropped padding included, as the reference computes).
            x = list(self._native().tensor_details(op["inputs"][2])["shape"])
            return int(np.prod(x[:-1])) * int(np.prod(weights)) if x else 0
        out_elements = int(np.prod(out_shape)) if out_shape else 0
        if name == "BATCH_MATMUL":
            # Per matrix, lhs holds M*K values, rhs K*N and the output M*N
            # (whichever operands are adjointed): K = sqrt(MK * KN / MN).
            lhs = list(self._native().tensor_details(op["inputs"][0])["shape"])
            if min(len(lhs), len(weights), len(out_shape)) < 2 or out_elements == 0:
                return 0
            mk, kn, mn = (int(s[-2]) * int(s[-1]) for s in (lhs, weights, out_shape))
            return out_elements * math.isqrt(mk * kn // mn) if mn else 0
        if name == "CONV_2D":
            return out_elements * int(np.prod(weights[1:]))
        if name == "DEPTHWISE_CONV_2D":
            return out_elements * int(np.prod(weights[1:3]))
        return out_elements * int(weights[-1])

    def _set_profiling(self, on: bool) -> None:
        """Private: time every op in later invokes (see ``_op_profile``)."""
        self._native()._set_profiling(bool(on))

    def _op_profile(self) -> List[tuple]:
        """Private: ``[(op_index, op_name, seconds)]`` of the latest profiled invoke."""
        return self._native()._op_profile()

    @property
    def arena_bytes(self) -> int:
        """Bytes of the one arena holding all non-constant tensors."""
        return self._native().arena_bytes()

    @property
    def kernel_path(self) -> str:
        """The kernel path this interpreter runs (``pyruntime.cpu_paths()[0]``
        unless ``PYRUNTIME_ISA`` named another when it was built)."""
        return self._native().kernel_path()

    # -- internals ---------------------------------------------------------

    def _ensure_safe(self) -> None:
        """Refuses to re-plan while a view from ``tensor()`` is alive."""
        self._views = [v for v in self._views if v() is not None]
        if self._views:
            raise RuntimeError(
                "There is at least 1 reference to internal data in the interpreter in the form "
                "of a numpy array or slice. Be sure to only hold the function returned from "
                "tensor() if you are using raw data access.")

    def _arrange_inputs(self, inputs) -> List[Any]:
        n = len(self._inputs)
        if isinstance(inputs, Mapping):
            names = {self._native().tensor_details(t)["name"]: k for k, t in enumerate(self._inputs)}
            unknown = [k for k in inputs if k not in names]
            if unknown:
                raise ValueError(f"unknown input name(s) {unknown}; inputs are {list(names)}")
            missing = [name for name in names if name not in inputs]
            if missing:
                raise ValueError(f"missing input(s) {missing}")
            arranged = [None] * n
            for name, value in inputs.items():
                arranged[names[name]] = self._as_input_array(names[name], value)
            return arranged
        if isinstance(inputs, (list, tuple)):
            # For one input, a list is array data unless it wraps one numpy
            # array or numpy scalar (a rank-0 input is passed as [np.int8(3)]).
            if n > 1 or (len(inputs) == 1 and isinstance(inputs[0], (np.ndarray, np.generic))):
                if len(inputs) != n:
                    raise ValueError(f"the model has {n} inputs, got {len(inputs)} arrays")
                return [self._as_input_array(k, v) for k, v in enumerate(inputs)]
        if n != 1:
            raise ValueError(f"the model has {n} inputs: pass a list of {n} arrays or a dict by name")
        return [self._as_input_array(0, inputs)]

    def _as_input_array(self, position: int, value: Any) -> Any:
        """numpy data passes through (its dtype must match exactly). Python
        numbers and lists take the input's dtype (so ``run(3)`` feeds a rank-0
        int8 input): integers only when every value fits exactly, floats only
        into float inputs; anything else fails the dtype check."""
        if isinstance(value, (np.ndarray, np.generic)) or value is None:
            return value
        dtype = np.dtype(self._native().tensor_details(self._inputs[position])["dtype"])
        try:
            natural = np.asarray(value)
            with np.errstate(all="ignore"):
                converted = natural.astype(dtype)
        except (TypeError, ValueError, OverflowError):
            return value
        if dtype.kind == "f" and natural.dtype.kind in "iuf":
            return converted
        if natural.dtype.kind in "iu" and dtype.kind in "iu" and np.array_equal(converted, natural):
            return converted
        return natural

    def _set_input(self, position: int, value: ArrayLike) -> None:
        self.allocate_tensors()  # a resized input takes data of its new shape
        self._native().set_input(position, self._as_input_array(position, value), False)

    def _details(self, index: int) -> Dict[str, Any]:
        d = self._native().tensor_details(index)
        scales = np.asarray(d["scales"], dtype=np.float32)
        zero_points = np.asarray(d["zero_points"], dtype=np.int32)
        # The legacy per-tensor pair; (0.0, 0) for per-channel, as LiteRT.
        quant = (float(scales[0]), int(zero_points[0])) if len(scales) == 1 else (0.0, 0)
        return {
            "name": d["name"],
            "index": index,
            "shape": np.asarray(self._pending_shapes.get(index, d["shape"]), dtype=np.int32),
            "shape_signature": np.asarray(d["shape_signature"], dtype=np.int32),
            "dtype": _numpy_type(d["dtype"]),
            "quantization": quant,
            "quantization_parameters": {
                "scales": scales,
                "zero_points": zero_points,
                "quantized_dimension": d["quantized_dimension"],
                "block_size": 0,
            },
            "sparsity_parameters": {},
        }


class SignatureRunner:
    """Runs one SignatureDef of an Interpreter by input and output names, as
    TFLite's SignatureRunner: ``runner(**inputs)`` returns a dict of output
    arrays. A new size along a free dimension re-plans the interpreter."""

    def __init__(self, interpreter: Interpreter, key: str, inputs: Dict[str, int],
                 outputs: Dict[str, int]) -> None:
        self._interpreter = interpreter
        self._key = key
        self._inputs = dict(sorted(inputs.items()))
        self._outputs = dict(sorted(outputs.items()))
        graph_inputs = interpreter._inputs
        missing = [n for n, t in self._inputs.items() if t not in graph_inputs]
        if missing or len(self._inputs) != len(graph_inputs):
            raise ValueError(f'signature "{key}": inputs {missing or list(self._inputs)} are not '
                             "exactly the graph inputs of subgraph 0")

    def __call__(self, **kwargs: ArrayLike) -> Dict[str, np.ndarray]:
        if len(kwargs) != len(self._inputs):
            raise ValueError(
                "Invalid number of inputs provided for running a SignatureDef, "
                f"expected {len(self._inputs)} vs provided {len(kwargs)}"
            )
        graph_inputs = self._interpreter._inputs
        arranged: List[Any] = [None] * len(graph_inputs)
        for name, value in kwargs.items():
            if name not in self._inputs:
                raise ValueError(f"Invalid Input name ({name}) for SignatureDef")
            arranged[graph_inputs.index(self._inputs[name])] = value
        interp = self._interpreter
        interp.allocate_tensors()
        outs = interp._native().run(arranged)
        graph_outputs = interp._outputs
        return {
            name: outs[graph_outputs.index(t)] if t in graph_outputs else interp.get_tensor(t)
            for name, t in self._outputs.items()
        }

    def get_input_details(self) -> Dict[str, Dict[str, Any]]:
        return {name: self._interpreter._details(t) for name, t in self._inputs.items()}

    def get_output_details(self) -> Dict[str, Dict[str, Any]]:
        return {name: self._interpreter._details(t) for name, t in self._outputs.items()}


_OP_RESOLVER_TYPES = ("AUTO", "BUILTIN", "BUILTIN_REF", "BUILTIN_WITHOUT_DEFAULT_DELEGATES")


def _check_op_resolver_type(value: Any) -> None:
    """LiteRT's OpResolverType (from ai_edge_litert or tf.lite), its name or
    None: accepted, none changes the kernels (they match BUILTIN_REF)."""
    name = getattr(value, "name", value)
    if value is not None and name not in _OP_RESOLVER_TYPES:
        raise ValueError(f"experimental_op_resolver_type must be an OpResolverType "
                         f"({', '.join(_OP_RESOLVER_TYPES)}), got {value!r}")


def _numpy_type(name: str) -> type:
    """numpy scalar type of a TFLite type name; string -> bytes_ as in LiteRT,
    types numpy lacks (resource, variant, int4, ...) -> object_."""
    try:
        return np.dtype(name).type
    except TypeError:
        return np.bytes_ if name == "string" else np.object_
