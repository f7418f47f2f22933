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

#include "kernels/binary_q8_kernel.h"
#include "kernels/conv_s8_kernel.h"
#include "kernels/depthwise_conv_s8_kernel.h"
#include "kernels/fully_connected_s8_kernel.h"
#include "kernels/isa.h"
#include "kernels/lut_s8_kernel.h"
#include "kernels/peak_macs.h"
#include "model/model.h"
#include "ops/conv_common.h"
#include "runtime/arena_planner.h"
#include "runtime/error.h"
#include "runtime/interpreter.h"

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
    if (!array.dtype().is(expected))
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

// ---- Private bindings for kernel tests (pyruntime._core._testing) ----------
// Run one kernel on numpy arrays on a named ISA path, so tests can compare
// every path with the reference bit for bit.
namespace testing {

using I8 = py::array_t<int8_t, py::array::c_style | py::array::forcecast>;
using I32 = py::array_t<int32_t, py::array::c_style | py::array::forcecast>;
using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;

template <typename T>
std::vector<T> Vec(const py::array_t<T, py::array::c_style | py::array::forcecast>& a, size_t n,
                   const char* what) {
  if (static_cast<size_t>(a.size()) != n)
    throw UsageError(StrCat(what, ": expected ", n, " values, got ", a.size()));
  return std::vector<T>(a.data(), a.data() + n);
}

// conv over input [B,H,W,C] with filter [O,FH,FW,C]; `bias` is the raw bias
// (folded here with input_zero_point, as CONV_2D does).
py::array ConvS8(const I8& input, const I8& filter, const I32& bias, const I32& multiplier,
                 const I32& shift, int32_t input_zero_point, int32_t output_zero_point,
                 int32_t act_min, int32_t act_max, std::array<int, 2> stride,
                 std::array<int, 2> dilation, std::array<int, 2> pad, std::array<int, 2> out_hw,
                 const std::string& isa, int num_threads) {
  if (input.ndim() != 4 || filter.ndim() != 4 || filter.shape(3) != input.shape(3))
    throw UsageError("conv_s8: input [B,H,W,C] and filter [O,FH,FW,C] expected");
  ConvGeometry g{};
  g.batch = input.shape(0), g.in_h = input.shape(1), g.in_w = input.shape(2);
  g.in_c = input.shape(3), g.out_c = filter.shape(0), g.filter_h = filter.shape(1);
  g.filter_w = filter.shape(2), g.stride_h = stride[0], g.stride_w = stride[1];
  g.dilation_h = dilation[0], g.dilation_w = dilation[1], g.pad_top = pad[0];
  g.pad_left = pad[1], g.out_h = out_hw[0], g.out_w = out_hw[1];
  if (g.stride_h < 1 || g.stride_w < 1 || g.dilation_h < 1 || g.dilation_w < 1 || g.out_h < 1 ||
      g.out_w < 1 || g.out_c < 1 || g.in_c < 1 || num_threads < 1)
    throw UsageError("conv_s8: bad geometry");
  const size_t n = static_cast<size_t>(g.out_c);
  const int K = g.filter_h * g.filter_w * g.in_c;
  for (int32_t sh : Vec(shift, n, "shift"))
    if (sh < -31 || sh > 31) throw UsageError("conv_s8: shift outside [-31, 31]");
  ConvS8Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), g, filter.data(), input_zero_point,
              FoldInputZeroPoint(Vec(bias, n, "bias"), filter.data(), K, input_zero_point),
              Vec(multiplier, n, "multiplier"), Vec(shift, n, "shift"), output_zero_point,
              act_min, act_max);
  std::vector<uint8_t> scratch(kernel.scratch_bytes());
  py::array_t<int8_t> out({g.batch, g.out_h, g.out_w, g.out_c});
  ThreadPool pool(num_threads);
  kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

// Depthwise conv over input [B,H,W,C] with filter [1,FH,FW,C*depth_multiplier].
py::array DepthwiseConvS8(const I8& input, const I8& filter, const I32& bias,
                          const I32& multiplier, const I32& shift, int32_t input_zero_point,
                          int32_t output_zero_point, int32_t act_min, int32_t act_max,
                          std::array<int, 2> stride, std::array<int, 2> dilation,
                          std::array<int, 2> pad, std::array<int, 2> out_hw,
                          const std::string& isa, int num_threads) {
  if (input.ndim() != 4 || filter.ndim() != 4 || filter.shape(0) != 1 || input.shape(3) < 1 ||
      filter.shape(3) % input.shape(3) != 0)
    throw UsageError("depthwise_conv_s8: input [B,H,W,C] and filter [1,FH,FW,C*m] expected");
  ConvGeometry g{};
  g.batch = input.shape(0), g.in_h = input.shape(1), g.in_w = input.shape(2);
  g.in_c = input.shape(3), g.out_c = filter.shape(3), g.filter_h = filter.shape(1);
  g.filter_w = filter.shape(2), g.stride_h = stride[0], g.stride_w = stride[1];
  g.dilation_h = dilation[0], g.dilation_w = dilation[1], g.pad_top = pad[0];
  g.pad_left = pad[1], g.out_h = out_hw[0], g.out_w = out_hw[1];
  if (g.stride_h < 1 || g.stride_w < 1 || g.dilation_h < 1 || g.dilation_w < 1 || g.out_h < 1 ||
      g.out_w < 1 || g.out_c < 1 || num_threads < 1)
    throw UsageError("depthwise_conv_s8: bad geometry");
  const size_t n = static_cast<size_t>(g.out_c);
  for (int32_t sh : Vec(shift, n, "shift"))
    if (sh < -31 || sh > 31) throw UsageError("depthwise_conv_s8: shift outside [-31, 31]");
  pyrt::DepthwiseConvS8Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), g, g.out_c / g.in_c, filter.data(), input_zero_point,
              Vec(bias, n, "bias"), Vec(multiplier, n, "multiplier"), Vec(shift, n, "shift"),
              output_zero_point, act_min, act_max);
  std::vector<uint8_t> scratch(kernel.scratch_bytes());
  py::array_t<int8_t> out({g.batch, g.out_h, g.out_w, g.out_c});
  ThreadPool pool(num_threads);
  kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

// out[m][n] = RequantizeFp64(sum_k a[m][k] * b[n][k], bias[n], scale[n], ...).
py::array FullyConnectedS8(const I8& a, const I8& b, const I32& bias, const F64& scale,
                           int32_t output_zero_point, int32_t act_min, int32_t act_max,
                           const std::string& isa, int num_threads) {
  if (a.ndim() != 2 || b.ndim() != 2 || a.shape(1) != b.shape(1) || b.shape(0) < 1 ||
      b.shape(1) < 1 || num_threads < 1)
    throw UsageError("fully_connected_s8: a [M,K] and b [N,K] expected");
  const int M = a.shape(0), N = b.shape(0), K = b.shape(1);
  FullyConnectedS8Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), N, K, b.data(), Vec(bias, N, "bias"),
              Vec(scale, N, "scale"), output_zero_point, act_min, act_max);
  std::vector<uint8_t> scratch(kernel.ScratchBytes(M));
  py::array_t<int8_t> out({M, N});
  ThreadPool pool(num_threads);
  kernel.Run(M, a.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

// int8 ADD/SUB/MUL of a and b (numpy broadcasting, rank <= 6). `params`
// names the fields of AddSubParams (op "add"/"sub") or MulParams ("mul").
py::array BinaryS8(const std::string& op, const I8& a, const I8& b, const py::dict& params,
                   const std::string& isa, int num_threads) {
  const Shape sa(a.shape(), a.shape() + a.ndim()), sb(b.shape(), b.shape() + b.ndim());
  Shape shape;
  if (!BroadcastShape(sa, sb, &shape) || shape.size() > kMaxBroadcastRank || num_threads < 1)
    throw UsageError("binary_s8: shapes do not broadcast (rank <= 6)");
  auto get = [&](const char* key) { return params[key].cast<int32_t>(); };
  const BroadcastPlan plan = MakeBroadcastPlan(sa, sb);
  BinaryQ8Kernel kernel;
  if (op == "mul") {
    MulParams p;
    p.input1_offset = get("input1_offset"), p.input2_offset = get("input2_offset");
    p.output_multiplier = get("output_multiplier"), p.output_shift = get("output_shift");
    p.output_offset = get("output_offset"), p.act_min = get("act_min"), p.act_max = get("act_max");
    if (p.output_shift < -31 || p.output_shift > 31) throw UsageError("binary_s8: bad shift");
    kernel.InitMul(ResolveIsa(isa.c_str()), p, plan);
  } else if (op == "add" || op == "sub") {
    AddSubParams p;
    p.subtract = op == "sub";
    p.input1_offset = get("input1_offset"), p.input2_offset = get("input2_offset");
    p.input1_multiplier = get("input1_multiplier"), p.input1_shift = get("input1_shift");
    p.input2_multiplier = get("input2_multiplier"), p.input2_shift = get("input2_shift");
    p.output_multiplier = get("output_multiplier"), p.output_shift = get("output_shift");
    p.output_offset = get("output_offset"), p.act_min = get("act_min"), p.act_max = get("act_max");
    for (int sh : {p.input1_shift, p.input2_shift, p.output_shift})
      if (sh < -31 || sh > 0) throw UsageError("binary_s8: add/sub shifts must be in [-31, 0]");
    kernel.InitAddSub(ResolveIsa(isa.c_str()), p, plan);
  } else {
    throw UsageError("binary_s8: op must be add, sub or mul");
  }
  py::array_t<int8_t> out(std::vector<py::ssize_t>(shape.begin(), shape.end()));
  ThreadPool pool(num_threads);
  kernel.Run(a.data(), b.data(), out.mutable_data(), &pool);
  return out;
}

// out[i] = lut[uint8(x[i])] through LutS8Kernel.
py::array LutS8(const I8& lut, const I8& x, const std::string& isa, int num_threads) {
  if (lut.size() != 256 || num_threads < 1) throw UsageError("lut_s8: 256 table entries expected");
  LutS8Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), lut.data());
  py::array_t<int8_t> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  ThreadPool pool(num_threads);
  kernel.Run(x.size(), x.data(), out.mutable_data(), &pool);
  return out;
}

void Register(py::module_& m) {
  py::module_ t = m.def_submodule("_testing", "private kernel-test entry points");
  t.def("conv_s8", &ConvS8, py::arg("input"), py::arg("filter"), py::arg("bias"),
        py::arg("multiplier"), py::arg("shift"), py::arg("input_zero_point"),
        py::arg("output_zero_point"), py::arg("act_min"), py::arg("act_max"), py::arg("stride"),
        py::arg("dilation"), py::arg("pad"), py::arg("out_hw"), py::arg("isa"),
        py::arg("num_threads") = 1);
  t.def("depthwise_conv_s8", &DepthwiseConvS8, py::arg("input"), py::arg("filter"),
        py::arg("bias"), py::arg("multiplier"), py::arg("shift"), py::arg("input_zero_point"),
        py::arg("output_zero_point"), py::arg("act_min"), py::arg("act_max"), py::arg("stride"),
        py::arg("dilation"), py::arg("pad"), py::arg("out_hw"), py::arg("isa"),
        py::arg("num_threads") = 1);
  t.def("fully_connected_s8", &FullyConnectedS8, py::arg("a"), py::arg("b"), py::arg("bias"),
        py::arg("scale"), py::arg("output_zero_point"), py::arg("act_min"), py::arg("act_max"),
        py::arg("isa"), py::arg("num_threads") = 1);
  t.def("available_isas", [] {
    std::vector<std::string> names;
    for (Isa i : {Isa::kReference, Isa::kAvx2})
      if (IsaAvailable(i)) names.push_back(IsaName(i));
    return names;
  });
  t.def("cpu_features", &CpuFeatureSummary);
  t.def(
      "peak_macs",
      [](const std::string& isa, double seconds) {
        const Isa resolved = ResolveIsa(isa.c_str());
        std::vector<PeakMacs> peaks;
        {
          py::gil_scoped_release release;
          peaks = MeasurePeakMacs(resolved, seconds);
        }
        py::list out;
        for (const PeakMacs& p : peaks) out.append(py::make_tuple(p.instruction, p.macs_per_second));
        return out;
      },
      py::arg("isa"), py::arg("seconds") = 0.2);
  t.def("lut_s8", &LutS8, py::arg("lut"), py::arg("x"), py::arg("isa"),
        py::arg("num_threads") = 1);
  t.def("binary_s8", &BinaryS8, py::arg("op"), py::arg("a"), py::arg("b"), py::arg("params"),
        py::arg("isa"), py::arg("num_threads") = 1);
}

}  // namespace testing
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
      .def("num_ops", &PyInterpreter::num_ops)
      .def("num_subgraphs", &PyInterpreter::num_subgraphs)
      .def("is_dynamic", &PyInterpreter::is_dynamic)
      .def("tensor_details", &PyInterpreter::tensor_details)
      .def("op_details", &PyInterpreter::op_details)
      .def("signatures", &PyInterpreter::signatures)
      .def("set_input", &PyInterpreter::set_input, py::arg("position"), py::arg("value"),
           py::arg("allow_resize") = false)
      .def("invoke", &PyInterpreter::invoke)
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
  pyrt::testing::Register(m);
}
