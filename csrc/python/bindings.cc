// Python bindings: numpy <-> tensors, GIL release around invoke, C++ errors
// to Python exceptions. Validation of user input lives in the Python facade;
// this layer re-checks what it must to stay memory safe.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "model/model.h"
#include "runtime/error.h"
#include "runtime/interpreter.h"

namespace py = pybind11;

namespace pyrt {
namespace {

py::dtype NumpyDType(DType t) {
  switch (t) {
    case DType::kFloat32: return py::dtype("float32");
    case DType::kFloat16: return py::dtype("float16");
    case DType::kFloat64: return py::dtype("float64");
    case DType::kInt8: return py::dtype("int8");
    case DType::kUInt8: return py::dtype("uint8");
    case DType::kInt16: return py::dtype("int16");
    case DType::kUInt16: return py::dtype("uint16");
    case DType::kInt32: return py::dtype("int32");
    case DType::kUInt32: return py::dtype("uint32");
    case DType::kInt64: return py::dtype("int64");
    case DType::kUInt64: return py::dtype("uint64");
    case DType::kBool: return py::dtype("bool");
    case DType::kComplex64: return py::dtype("complex64");
    case DType::kComplex128: return py::dtype("complex128");
    default: throw UsageError(StrCat("tensors of type ", DTypeName(t), " cannot be read"));
  }
}

// Owns the model bytes (a read-only buffer: bytes or a read-only mmap) and the
// interpreter whose constants point into them.
class PyInterpreter {
 public:
  PyInterpreter(py::buffer model, int num_threads, bool preserve_all_tensors)
      : model_buffer_(model.request()) {
    if (!model_buffer_.readonly)
      throw UsageError("model buffer must be read-only (pass bytes)");
    InterpreterOptions options;
    options.num_threads = num_threads;
    options.preserve_all_tensors = preserve_all_tensors;
    const auto* data = static_cast<const uint8_t*>(model_buffer_.ptr);
    const size_t size = static_cast<size_t>(model_buffer_.size * model_buffer_.itemsize);
    interpreter_ = std::make_unique<Interpreter>(data, size, options);
  }

  py::list inputs() const { return py::cast(interpreter_->inputs()); }
  py::list outputs() const { return py::cast(interpreter_->outputs()); }
  size_t num_tensors() const { return interpreter_->tensors().size(); }
  size_t arena_bytes() const { return interpreter_->arena_bytes(); }
  size_t num_ops() const { return interpreter_->num_ops(); }
  size_t num_subgraphs() const { return interpreter_->model().num_subgraphs; }

  py::dict tensor_details(int index) const {
    const Tensor& t = tensor(index);
    py::dict d;
    d["index"] = t.index;
    d["name"] = t.name;
    d["dtype"] = DTypeName(t.dtype);
    d["shape"] = t.shape;
    d["shape_signature"] = t.shape_signature;
    d["scales"] = t.quant.scale;
    d["zero_points"] = t.quant.zero_point;
    d["quantized_dimension"] = t.quant.quantized_dimension;
    d["is_constant"] = t.is_constant;
    d["has_data"] = t.data != nullptr;
    return d;
  }

  py::list op_details() const {
    py::list ops;
    for (const OpDesc& op : interpreter_->model().ops) {
      py::dict d;
      d["index"] = op.index;
      d["op_name"] = op.name;
      d["inputs"] = op.inputs;
      d["outputs"] = op.outputs;
      ops.append(d);
    }
    return ops;
  }

  py::list signatures() const {
    py::list out;
    for (const SignatureDesc& s : interpreter_->model().signatures) {
      py::dict d;
      d["key"] = s.key;
      d["subgraph_index"] = s.subgraph_index;
      d["inputs"] = s.inputs;
      d["outputs"] = s.outputs;
      out.append(d);
    }
    return out;
  }

  // Copies `array` (already checked and made C-contiguous by the caller) into
  // graph input `position`.
  void set_input(size_t position, py::array array) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (position >= interpreter_->inputs().size())
      throw UsageError(StrCat("input ", position, " does not exist"));
    Tensor& t = interpreter_->input_tensor(position);
    if (!array.dtype().is(NumpyDType(t.dtype)))
      throw UsageError(StrCat("input '", t.name, "' expects ", DTypeName(t.dtype)));
    if (!(array.flags() & py::array::c_style))
      throw UsageError("input array must be C-contiguous");
    if (static_cast<size_t>(array.nbytes()) != t.bytes || array.ndim() != t.rank())
      throw UsageError(StrCat("input '", t.name, "' expects shape ", ShapeToString(t.shape)));
    for (int d = 0; d < t.rank(); ++d)
      if (array.shape(d) != t.shape[d])
        throw UsageError(StrCat("input '", t.name, "' expects shape ", ShapeToString(t.shape)));
    std::memcpy(t.data, array.data(), t.bytes);
  }

  void invoke() {
    py::gil_scoped_release release;
    std::lock_guard<std::mutex> lock(mutex_);
    interpreter_->Invoke();
  }

  // A copy of tensor `index`, owned by the returned array.
  py::array get_tensor(int index) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const Tensor& t = tensor(index);
    if (!t.data && t.num_elements() > 0)
      throw UsageError(StrCat("tensor ", index, " '", t.name,
                              "' holds no data (an intermediate not kept; use "
                              "preserve_all_tensors=True)"));
    std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
    py::array out(NumpyDType(t.dtype), shape);
    if (t.bytes) std::memcpy(out.mutable_data(), t.data, t.bytes);
    return out;
  }

  void resize_input(size_t position, const Shape& shape) {
    std::lock_guard<std::mutex> lock(mutex_);
    interpreter_->ResizeInput(position, shape);
  }

  void prepare() {
    std::lock_guard<std::mutex> lock(mutex_);
    interpreter_->Prepare();
  }

 private:
  const Tensor& tensor(int index) const {
    const auto& tensors = interpreter_->tensors();
    if (index < 0 || static_cast<size_t>(index) >= tensors.size())
      throw UsageError(StrCat("tensor index ", index, " out of range (", tensors.size(),
                              " tensors)"));
    return tensors[index];
  }

  py::buffer_info model_buffer_;  // keeps the model bytes alive and pinned
  std::unique_ptr<Interpreter> interpreter_;
  mutable std::mutex mutex_;  // one invoke or tensor access at a time
};

}  // namespace
}  // namespace pyrt

PYBIND11_MODULE(_core, m) {
  using pyrt::PyInterpreter;
  m.doc() = "pyruntime native core";
  py::register_exception<pyrt::ModelError>(m, "ModelError", PyExc_ValueError);
  py::register_exception<pyrt::UsageError>(m, "UsageError", PyExc_ValueError);

  py::class_<PyInterpreter>(m, "Interpreter")
      .def(py::init<py::buffer, int, bool>(), py::arg("model"), py::arg("num_threads") = 1,
           py::arg("preserve_all_tensors") = false)
      .def("inputs", &PyInterpreter::inputs)
      .def("outputs", &PyInterpreter::outputs)
      .def("num_tensors", &PyInterpreter::num_tensors)
      .def("arena_bytes", &PyInterpreter::arena_bytes)
      .def("num_ops", &PyInterpreter::num_ops)
      .def("num_subgraphs", &PyInterpreter::num_subgraphs)
      .def("tensor_details", &PyInterpreter::tensor_details)
      .def("op_details", &PyInterpreter::op_details)
      .def("signatures", &PyInterpreter::signatures)
      .def("set_input", &PyInterpreter::set_input)
      .def("invoke", &PyInterpreter::invoke)
      .def("get_tensor", &PyInterpreter::get_tensor)
      .def("resize_input", &PyInterpreter::resize_input)
      .def("prepare", &PyInterpreter::prepare);
}
