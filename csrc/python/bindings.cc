// Python bindings: numpy <-> tensors, GIL release around invoke, C++ errors
// to Python exceptions. Validation of user input lives in the Python facade;
// this layer re-checks what it must to stay memory safe.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kernels/isa.h"
#include "model/model.h"
#include "interpreter/arena_planner.h"
#include "core/error.h"
#include "interpreter/interpreter.h"

namespace py = pybind11;

namespace pyrt {
namespace {

py::dtype MakeNumpyDType(DType t) {
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

// numpy dtype of a tensor type, made once per type (parsing a dtype name on
// every set_tensor / get_tensor is a measurable part of a tiny model's call).
// Called with the GIL held; the objects live until exit on purpose.
const py::dtype& NumpyDType(DType t) {
  static auto* cache = new std::map<int, py::dtype>();
  auto it = cache->find(static_cast<int>(t));
  if (it == cache->end()) it = cache->emplace(static_cast<int>(t), MakeNumpyDType(t)).first;
  return it->second;
}

// Owns the model bytes (a read-only buffer: bytes or a read-only mmap) and the
// interpreter whose constants point into them.
class PyInterpreter {
 public:
  PyInterpreter(py::buffer model, int num_threads, bool preserve_all_tensors, uint32_t subgraph)
      : model_buffer_(model.request()) {
    if (!model_buffer_.readonly)
      throw UsageError("model buffer must be read-only (pass bytes)");
    InterpreterOptions options;
    options.num_threads = num_threads;
    options.preserve_all_tensors = preserve_all_tensors;
    options.subgraph = subgraph;
    const auto* data = static_cast<const uint8_t*>(model_buffer_.ptr);
    const size_t size = static_cast<size_t>(model_buffer_.size * model_buffer_.itemsize);
    interpreter_ = std::make_unique<Interpreter>(data, size, options);
  }

  py::list inputs() const { return py::cast(interpreter_->inputs()); }
  py::list outputs() const { return py::cast(interpreter_->outputs()); }
  size_t num_tensors() const { return interpreter_->tensors().size(); }
  size_t arena_bytes() const { return interpreter_->arena_bytes(); }
  std::string kernel_path() const { return IsaName(interpreter_->options().isa); }
  size_t num_ops() const { return interpreter_->num_ops(); }
  size_t num_subgraphs() const { return interpreter_->model().num_subgraphs; }
  bool is_dynamic() const { return interpreter_->dynamic(); }

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

  // Copies `value` into graph input `position`. dtype must match exactly;
  // a shape that differs only along dimensions the model leaves free (-1 in
  // shape_signature) re-plans when `allow_resize`.
  void set_input(size_t position, py::object value, bool allow_resize) {
    auto lock = LockReleasingGil();
    SetInputLocked(position, value, allow_resize);
  }

  void invoke() {
    auto lock = LockReleasingGil();
    InvokeLocked();
  }

  // TFLite's reset_all_variables (variable tensors), optionally also the
  // resource variables (Interpreter::ResetVariables).
  void reset_variables(bool resource_variables) {
    auto lock = LockReleasingGil();
    interpreter_->ResetVariables(resource_variables);
  }

  // set inputs + invoke + copy outputs, atomically with respect to other
  // threads using this interpreter.
  py::list run(const py::list& inputs) {
    auto lock = LockReleasingGil();
    if (inputs.size() != interpreter_->inputs().size())
      throw UsageError(StrCat("the model has ", interpreter_->inputs().size(), " inputs, got ",
                              inputs.size()));
    for (size_t i = 0; i < inputs.size(); ++i) SetInputLocked(i, inputs[i], true);
    InvokeLocked();
    py::list outs;
    for (int32_t t : interpreter_->outputs()) outs.append(CopyTensor(tensor(t)));
    return outs;
  }

  // A copy of tensor `index`, owned by the returned array.
  py::array get_tensor(int index) const {
    auto lock = LockReleasingGil();
    return CopyTensor(tensor(index));
  }

  // A numpy view of tensor `index`'s bytes (no copy) that keeps `self` alive;
  // read-only for constants. Valid until the next re-plan (resize, or an
  // invoke of a dynamic model), as TFLite's tensor().
  static py::array tensor_view(py::object self, int index) {
    auto& me = self.cast<PyInterpreter&>();
    auto lock = me.LockReleasingGil();
    const Tensor& t = me.tensor(index);
    if (!t.data && t.num_elements() > 0)
      throw UsageError(StrCat("tensor ", t.index, " '", t.name,
                              "' holds no data (an intermediate not kept; use "
                              "preserve_all_tensors=True)"));
    std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
    static uint8_t empty = 0;  // numpy wants an address even for no elements
    py::array view(NumpyDType(t.dtype), shape, {}, t.data ? t.data : &empty, self);
    if (t.is_constant) view.attr("setflags")(py::arg("write") = false);
    return view;
  }

  void resize_input(size_t position, const Shape& shape) {
    auto lock = LockReleasingGil();
    interpreter_->ResizeInput(position, shape);
  }

  void prepare() {
    auto lock = LockReleasingGil();
    interpreter_->Prepare();
  }

  // Re-plans for a new input shape; if the model cannot take it, restores
  // the previous shape so the interpreter stays usable, then rethrows.
  void ResizeAndPrepare(size_t position, const Shape& shape) {
    const Shape previous = interpreter_->input_tensor(position).shape;
    interpreter_->ResizeInput(position, shape);
    try {
      interpreter_->Prepare();
    } catch (...) {
      interpreter_->ResizeInput(position, previous);
      interpreter_->Prepare();
      throw;
    }
  }

  // Private profiling hook: per-op timing of later invokes.
  void set_profiling(bool on) {
    auto lock = LockReleasingGil();
    interpreter_->SetProfiling(on);
  }

  // [(op index, op name, seconds)] of the latest profiled invoke.
  py::list op_profile() const {
    auto lock = LockReleasingGil();
    py::list out;
    for (const OpTiming& t : interpreter_->op_profile())
      out.append(py::make_tuple(t.op_index, t.op_name, t.seconds));
    return out;
  }

 private:
  // Waits for the interpreter's mutex with the GIL released: a thread holding
  // the GIL must never block on the mutex, or the mutex holder could not
  // take the GIL back after invoke (deadlock).
  std::unique_lock<std::mutex> LockReleasingGil() const {
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);  // uncontended: keep the GIL
    if (lock.owns_lock()) return lock;
    py::gil_scoped_release release;
    lock.lock();
    return lock;
  }

  static py::array CopyTensor(const Tensor& t) {
    if (!t.data && t.num_elements() > 0)
      throw UsageError(StrCat("tensor ", t.index, " '", t.name,
                              "' holds no data (an intermediate not kept; use "
                              "preserve_all_tensors=True)"));
    std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
    py::array out(NumpyDType(t.dtype), shape);
    if (t.bytes) std::memcpy(out.mutable_data(), t.data, t.bytes);
    return out;
  }

  void InvokeLocked() {
    if (!interpreter_->prepared())
      throw UsageError("the interpreter is not prepared: a resize failed; call allocate_tensors()");
    py::gil_scoped_release release;
    interpreter_->Invoke();
  }

  void SetInputLocked(size_t position, py::object value, bool allow_resize) {
    const size_t n = interpreter_->inputs().size();
    if (position >= n) throw UsageError(StrCat("input ", position, " does not exist (", n, " inputs)"));
    py::array array = py::array::ensure(value);
    if (!array) throw py::type_error(StrCat("input ", position, ": expected a numpy array"));
    Tensor* t = &interpreter_->input_tensor(position);
    const py::dtype expected = NumpyDType(t->dtype);
    // Equivalence, not identity: an unpickled array (multiprocessing, Ray) has its own int8 descr.
    if (!array.dtype().is(expected) &&
        !py::detail::npy_api::get().PyArray_EquivTypes_(array.dtype().ptr(), expected.ptr()))
      throw UsageError(StrCat("input ", position, " '", t->name, "': expected dtype ",
                              DTypeName(t->dtype), ", got ", std::string(py::str(array.dtype()))));
    Shape shape(array.shape(), array.shape() + array.ndim());
    if (shape != t->shape) {
      if (!allow_resize || !ResizeCompatible(*t, shape))
        throw UsageError(StrCat("input ", position, " '", t->name, "': expected shape ",
                                PyShape(t->shape), ", got ", PyShape(shape)));
      ResizeAndPrepare(position, shape);
      t = &interpreter_->input_tensor(position);
    }
    if (!(array.flags() & py::array::c_style))
      array = py::module_::import("numpy").attr("ascontiguousarray")(array);
    std::memcpy(t->data, array.data(), t->bytes);
  }

  static bool ResizeCompatible(const Tensor& t, const Shape& shape) {
    if (shape.size() != t.shape_signature.size()) return false;
    for (size_t d = 0; d < shape.size(); ++d)
      if (t.shape_signature[d] != -1 && t.shape_signature[d] != shape[d]) return false;
    return true;
  }

  // "(1, 8, 8)": shapes as Python prints tuples.
  static std::string PyShape(const Shape& shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) s += StrCat(i ? ", " : "", shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
  }

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
      .def(py::init<py::buffer, int, bool, uint32_t>(), py::arg("model"),
           py::arg("num_threads") = 1, py::arg("preserve_all_tensors") = false,
           py::arg("subgraph") = 0)
      .def("inputs", &PyInterpreter::inputs)
      .def("outputs", &PyInterpreter::outputs)
      .def("num_tensors", &PyInterpreter::num_tensors)
      .def("arena_bytes", &PyInterpreter::arena_bytes)
      .def("kernel_path", &PyInterpreter::kernel_path)
      .def("num_ops", &PyInterpreter::num_ops)
      .def("num_subgraphs", &PyInterpreter::num_subgraphs)
      .def("is_dynamic", &PyInterpreter::is_dynamic)
      .def("tensor_details", &PyInterpreter::tensor_details)
      .def("op_details", &PyInterpreter::op_details)
      .def("signatures", &PyInterpreter::signatures)
      .def("set_input", &PyInterpreter::set_input, py::arg("position"), py::arg("value"),
           py::arg("allow_resize") = false)
      .def("invoke", &PyInterpreter::invoke)
      .def("reset_variables", &PyInterpreter::reset_variables, py::arg("resource_variables") = false)
      .def("run", &PyInterpreter::run)
      .def("get_tensor", &PyInterpreter::get_tensor)
      .def("tensor_view", &PyInterpreter::tensor_view)
      .def("resize_input", &PyInterpreter::resize_input)
      .def("prepare", &PyInterpreter::prepare)
      .def("_set_profiling", &PyInterpreter::set_profiling, py::arg("on"))
      .def("_op_profile", &PyInterpreter::op_profile);

  // Exposed for unit tests of the planner alone.
  m.def(
      "_plan_arena",
      [](const std::vector<std::tuple<size_t, int, int>>& requests, size_t alignment) {
        std::vector<pyrt::BufferRequest> r;
        for (const auto& [size, first, last] : requests) r.push_back({size, first, last});
        const pyrt::ArenaPlan plan = pyrt::PlanArena(r, alignment);
        return std::make_pair(plan.offsets, plan.total_bytes);
      },
      py::arg("requests"), py::arg("alignment") = 64);

  // Kernel path PYRUNTIME_ISA selects now (what a new Interpreter would use).
  m.def("isa", [] { return std::string(pyrt::IsaName(pyrt::IsaFromEnvironment())); });
  // Every kernel path this CPU runs, best first.
  m.def("cpu_paths", [] {
    std::vector<std::string> names;
    for (pyrt::Isa i : pyrt::CpuPaths()) names.push_back(pyrt::IsaName(i));
    return names;
  });
}
