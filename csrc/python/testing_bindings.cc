// Test-only Python module pyruntime._testing: runs one kernel on numpy
// arrays on a named ISA path, so tests can compare every path with the
// reference bit for bit, and measures the int8 peak of each path for the
// benchmarks. Built beside _core (CMakeLists.txt), never imported by it.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "core/unit_ranges.h"
#include "kernels/binary_q8_kernel.h"
#include "kernels/conv_s16_kernel.h"
#include "kernels/conv_s8_kernel.h"
#include "kernels/depthwise_conv_s8_kernel.h"
#include "kernels/depthwise_hybrid_kernel.h"
#include "kernels/f32_gemm/f32_gemm.h"
#include "kernels/f32_vops/f32_vops.h"
#include "kernels/fully_connected_s8_kernel.h"
#include "kernels/hybrid_gemm.h"
#include "kernels/hybrid_quant.h"
#include "kernels/isa.h"
#include "kernels/channel_lut_s8_kernel.h"
#include "kernels/lut_s8_kernel.h"
#include "kernels/sigmoid_s16_kernel.h"
#include "kernels/pool_s8/average_pool_s8.h"
#include "kernels/pool_s8/max_pool_s8.h"
#include "kernels/quantize_f32_kernel.h"
#include "kernels/reference/quantize.h"
#include "kernels/sqrdiff_s8_kernel.h"
#include "kernels/reduce_rows_s8_kernel.h"
#include "kernels/resize_bilinear_s8_kernel.h"
#include "kernels/reference/conv_f32.h"
#include "kernels/reference/transpose_conv.h"
#include "kernels/softmax_s8/softmax_s8_table.h"
#include "kernels/transpose_conv_s8_kernel.h"
#include "kernels/weight_sums_s8.h"
#include "ops/conv_common.h"
#include "testing/peak_macs.h"
#include "testing/requant_probe.h"
#include "python/testing_arrays.h"
#if defined(__x86_64__)
#define PYRT_EMULATE_AVXVNNI 1  // declares the test module's Emulated kernels
#include "kernels/qs8_gemm/avxvnni/qs8_gemm_6x16c4_avxvnni.h"
#undef PYRT_EMULATE_AVXVNNI
#define PYRT_EMULATE_AMX 1  // declares the test module's Emulated kernels
#include "kernels/qs8_gemm/amx/qs8_gemm_32x32c4_amx.h"
#undef PYRT_EMULATE_AMX
#include "testing/amx_tile_model.h"
#include "kernels/x86/avx2/x8_lut_avx2.h"
#include "kernels/x86/avx512vbmi/x8_lut_avx512vbmi.h"
#include "kernels/x86/avx512vnni/x8_lut_avx512.h"
#endif

namespace py = pybind11;

namespace pyrt {
namespace testing {

// The path a kernel test names: ResolveIsa, or "amx-emulated": the amx
// path with its GEMM kernels on the AMX tile model (testing/amx_tile_model.h;
// the rest of the path, AVX-512, runs natively, so it needs avx512vnni).
// Holds the table override for the lifetime of the object: keep it around
// the kernel's Init only.
#if defined(__x86_64__)
const Qs8GemmConfig* EmulatedAmxConfig() {
  static const Qs8GemmConfig config =
      AmxConfig(Qs8Gemm32x32c4GemmlowpAmxEmulated, Qs8Gemm32x32c4Fp64AmxEmulated);
  return &config;
}
#endif

class TestIsa {
 public:
  explicit TestIsa(const std::string& name) {
#if defined(__x86_64__)
    if (name == "amx-emulated") {
      if (!IsaAvailable(Isa::kAvx512Vnni))
        throw UsageError("amx-emulated: the emulated amx path needs avx512vnni");
      OverrideQs8GemmAmxConfigForTesting(EmulatedAmxConfig());
      emulated_ = true;
      isa = Isa::kAmx;
      return;
    }
#endif
    isa = ResolveIsa(name.c_str());
  }
  ~TestIsa() {
    if (emulated_) OverrideQs8GemmAmxConfigForTesting(nullptr);
  }
  TestIsa(const TestIsa&) = delete;
  TestIsa& operator=(const TestIsa&) = delete;

  Isa isa = Isa::kReference;

 private:
  bool emulated_ = false;
};

// Raises the AMX tile model's first recorded fault, if any.
void CheckAmxModel() {
#if defined(__x86_64__)
  const std::string fault = amx_model::TakeAmxModelFault();
  if (!fault.empty()) throw std::runtime_error("AMX tile model: " + fault);
#endif
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
  {
    const TestIsa path(isa);  // "amx-emulated" too
    kernel.Init(path.isa, g, filter.data(), input_zero_point,
                FoldInputZeroPoint(Vec(bias, n, "bias"), filter.data(), K, input_zero_point),
                Vec(multiplier, n, "multiplier"), Vec(shift, n, "shift"), output_zero_point,
                act_min, act_max);
  }
  std::vector<uint8_t> scratch(kernel.scratch_bytes());
  py::array_t<int8_t> out({g.batch, g.out_h, g.out_w, g.out_c});
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
  CheckAmxModel();
  return out;
}

// How ConvS8Kernel runs this filter [O,3,3,C] over a 1 x in_h x in_w image,
// stride 1, dilation 1, padding pad: "at_load" or "per_run" (Winograd with
// the filter transformed at load or per run), None (another path).
py::object ConvS8Winograd(const I8& filter, int in_h, int in_w, std::array<int, 2> pad,
                          const std::string& isa) {
  if (filter.ndim() != 4) throw UsageError("conv_s8_winograd: filter [O,FH,FW,C] expected");
  ConvGeometry g{};
  g.batch = 1, g.in_h = in_h, g.in_w = in_w, g.in_c = filter.shape(3);
  g.out_c = filter.shape(0), g.filter_h = filter.shape(1), g.filter_w = filter.shape(2);
  g.stride_h = g.stride_w = g.dilation_h = g.dilation_w = 1;
  g.pad_top = pad[0], g.pad_left = pad[1];
  g.out_h = in_h + 2 * pad[0] - g.filter_h + 1, g.out_w = in_w + 2 * pad[1] - g.filter_w + 1;
  if (g.out_h < 1 || g.out_w < 1 || g.in_c < 1 || g.out_c < 1)
    throw UsageError("conv_s8_winograd: bad geometry");
  const size_t n = static_cast<size_t>(g.out_c);
  ConvS8Kernel kernel;
  const TestIsa path(isa);
  kernel.Init(path.isa, g, filter.data(), 0, std::vector<int32_t>(n, 0),
              std::vector<int32_t>(n, 1 << 30), std::vector<int32_t>(n, -1), 0, -128, 127);
  const Qs8WinogradLayer* layer = kernel.winograd();
  if (!layer) return py::none();
  return py::str(layer->u ? "at_load" : "per_run");
}

// TRANSPOSE_CONV of input [B,H,W,C] with filter [O,FH,FW,C] to out_hw:
// on paths that read A in place as a convolution (ConvS8Kernel::
// InitTransposed), elsewhere (and on "reference") by the gathering kernel.
// `bias` is the raw bias.
py::array TransposeConvS8(const I8& input, const I8& filter, const I32& bias,
                          const I32& multiplier, const I32& shift, int32_t input_zero_point,
                          int32_t output_zero_point, int32_t act_min, int32_t act_max,
                          std::array<int, 2> stride, std::array<int, 2> pad,
                          std::array<int, 2> out_hw, const std::string& isa, int num_threads) {
  if (input.ndim() != 4 || filter.ndim() != 4 || filter.shape(3) != input.shape(3))
    throw UsageError("transpose_conv_s8: input [B,H,W,C] and filter [O,FH,FW,C] expected");
  ConvGeometry g{};
  g.batch = input.shape(0), g.in_h = input.shape(1), g.in_w = input.shape(2);
  g.in_c = input.shape(3), g.out_c = filter.shape(0), g.filter_h = filter.shape(1);
  g.filter_w = filter.shape(2), g.stride_h = stride[0], g.stride_w = stride[1];
  g.dilation_h = g.dilation_w = 1, g.pad_top = pad[0], g.pad_left = pad[1];
  g.out_h = out_hw[0], g.out_w = out_hw[1];
  if (g.stride_h < 1 || g.stride_w < 1 || g.out_h < 1 || g.out_w < 1 || g.out_c < 1 ||
      g.in_c < 1 || num_threads < 1 || pad[0] < 0 || pad[1] < 0)
    throw UsageError("transpose_conv_s8: bad geometry");
  const size_t n = static_cast<size_t>(g.out_c);
  for (int32_t sh : Vec(shift, n, "shift"))
    if (sh < -31 || sh > 31) throw UsageError("transpose_conv_s8: shift outside [-31, 31]");
  const TestIsa test_isa(isa);  // "amx-emulated" too
  const Isa path = test_isa.isa;
  py::array_t<int8_t> out({g.batch, g.out_h, g.out_w, g.out_c});
  Poison(out);
  ThreadPool pool(num_threads);
  TransposeConvS8Kernel kernel;
  if (path != Isa::kReference &&
      kernel.Init(path, g, filter.data(), input_zero_point, Vec(bias, n, "bias"),
                  Vec(multiplier, n, "multiplier"), Vec(shift, n, "shift"), output_zero_point,
                  act_min, act_max)) {
    std::vector<uint8_t> scratch(kernel.scratch_bytes());
    kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
    return out;
  }
  OwnedChannelRequant rq;
  rq.Set(Vec(bias, n, "bias"), Vec(multiplier, n, "multiplier"), Vec(shift, n, "shift"),
         output_zero_point, act_min, act_max);
  const std::vector<int16_t> filter16(filter.data(), filter.data() + filter.size());
  std::vector<uint8_t> scratch(TransposeConvS8ScratchBytes(g));
  TransposeConvS8(path, g, input.data(), filter16.data(), input_zero_point, rq.get(),
                  out.mutable_data(), scratch.data(), &pool);
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
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

// 16x8 CONV_2D ("conv", filter [O,FH,FW,C]) or DEPTHWISE_CONV_2D
// ("depthwise", filter [1,FH,FW,C*m]) of int16 input [B,H,W,C]: the threaded
// kernels (kernels/conv_s16_kernel.h) on path `isa` (reference: the portable
// one) or, threaded false, the reference.
py::array ConvS16(const std::string& op, const I16& input, const I8& filter, const I64& bias,
                  const I32& multiplier, const I32& shift, int32_t act_min, int32_t act_max,
                  std::array<int, 2> stride, std::array<int, 2> dilation, std::array<int, 2> pad,
                  std::array<int, 2> out_hw, bool threaded, const std::string& isa,
                  int num_threads) {
  const bool depthwise = op == "depthwise";
  if ((!depthwise && op != "conv") || input.ndim() != 4 || filter.ndim() != 4 ||
      input.shape(3) < 1 || (depthwise && (filter.shape(0) != 1 || filter.shape(3) % input.shape(3))) ||
      (!depthwise && filter.shape(3) != input.shape(3)))
    throw UsageError("conv_s16: op 'conv' or 'depthwise', input [B,H,W,C] and a matching filter expected");
  ConvGeometry g{};
  g.batch = input.shape(0), g.in_h = input.shape(1), g.in_w = input.shape(2);
  g.in_c = input.shape(3), g.out_c = static_cast<int>(filter.shape(depthwise ? 3 : 0));
  g.filter_h = filter.shape(1), g.filter_w = filter.shape(2), g.stride_h = stride[0];
  g.stride_w = stride[1], g.dilation_h = dilation[0], g.dilation_w = dilation[1];
  g.pad_top = pad[0], g.pad_left = pad[1], g.out_h = out_hw[0], g.out_w = out_hw[1];
  if (g.stride_h < 1 || g.stride_w < 1 || g.dilation_h < 1 || g.dilation_w < 1 || g.out_h < 1 ||
      g.out_w < 1 || g.out_c < 1 || num_threads < 1)
    throw UsageError("conv_s16: bad geometry");
  const size_t n = static_cast<size_t>(g.out_c);
  const std::vector<int64_t> b = Vec(bias, n, "bias");
  const std::vector<int32_t> m = Vec(multiplier, n, "multiplier"), sh = Vec(shift, n, "shift");
  for (int32_t v : sh)
    if (v < -31 || v > 14) throw UsageError("conv_s16: shift outside [-31, 14]");
  ConvS16Params p;
  p.g = g;
  p.filter = filter.data();
  p.bias = b.data();
  p.multiplier = m.data();
  p.shift = sh.data();
  p.act_min = act_min;
  p.act_max = act_max;
  py::array_t<int16_t> out({g.batch, g.out_h, g.out_w, g.out_c});
  Poison(out);
  ThreadPool pool(num_threads);
  const int multiplier_c = g.out_c / g.in_c;
  if (!threaded) {
    if (depthwise) {
      DepthwiseConvS16(p, multiplier_c, input.data(), out.mutable_data());
    } else {
      pyrt::ConvS16(p, input.data(), out.mutable_data());
    }
  } else if (depthwise) {
    if (!DepthwiseS16Supported(g, multiplier_c))
      throw UsageError("conv_s16: the threaded depthwise kernel does not take this geometry");
    DepthwiseS16Kernel kernel;
    kernel.Init(ResolveIsa(isa.c_str()), p);
    kernel.Run(input.data(), out.mutable_data(), &pool);
  } else {
    ConvS16Kernel kernel;
    kernel.Init(ResolveIsa(isa.c_str()), p);
    kernel.Run(input.data(), out.mutable_data(), &pool);
  }
  return out;
}

// 16x8 FULLY_CONNECTED of x [batches, depth] by filter [units, depth]: the
// threaded kernel (FullyConnectedS16Kernel) or, threaded false, the reference.
py::array FullyConnectedS16(const I16& x, const I8& filter, const I64& bias, const F64& scale,
                            bool int32_accumulator, int32_t act_min, int32_t act_max,
                            bool threaded, int num_threads) {
  if (x.ndim() != 2 || filter.ndim() != 2 || x.shape(1) != filter.shape(1) || num_threads < 1)
    throw UsageError("fully_connected_s16: x [batches, depth], filter [units, depth] expected");
  const int units = static_cast<int>(filter.shape(0)), batches = static_cast<int>(x.shape(0));
  const std::vector<int64_t> b = Vec(bias, static_cast<size_t>(units), "bias");
  const std::vector<double> sc = Vec(scale, static_cast<size_t>(units), "scale");
  const FullyConnectedS16Params p{units, static_cast<int>(x.shape(1)), filter.data(), b.data(),
                                  int32_accumulator, sc.data(), act_min, act_max};
  py::array_t<int16_t> out({batches, units});
  Poison(out);
  if (threaded) {
    FullyConnectedS16Kernel kernel;
    kernel.Init(p);
    ThreadPool pool(num_threads);
    kernel.Run(batches, x.data(), out.mutable_data(), &pool);
  } else {
    pyrt::FullyConnectedS16(p, batches, x.data(), out.mutable_data());
  }
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
  {
    const TestIsa path(isa);  // "amx-emulated" too
    kernel.Init(path.isa, N, K, b.data(), Vec(bias, N, "bias"), Vec(scale, N, "scale"),
                output_zero_point, act_min, act_max, M);
  }
  std::vector<uint8_t> scratch(kernel.ScratchBytes(M));
  py::array_t<int8_t> out({M, N});
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(M, a.data(), out.mutable_data(), scratch.data(), &pool);
  CheckAmxModel();
  return out;
}

// ADD/SUB/MUL of a and b (numpy broadcasting, rank <= 6), int8 or int16
// (16x8: zero points 0). `params` names the fields of AddSubParams (op
// "add"/"sub") or MulParams ("mul").
template <typename T>
py::array BinaryQ(const std::string& op, const py::array_t<T, py::array::c_style | py::array::forcecast>& a,
                  const py::array_t<T, py::array::c_style | py::array::forcecast>& b,
                  const py::dict& params, const std::string& isa, int num_threads, bool add_tables) {
  const Shape sa(a.shape(), a.shape() + a.ndim()), sb(b.shape(), b.shape() + b.ndim());
  Shape shape;
  if (!BroadcastShape(sa, sb, &shape) || shape.size() > kMaxBroadcastRank || num_threads < 1)
    throw UsageError("binary: shapes do not broadcast (rank <= 6)");
  auto get = [&](const char* key) { return params[key].cast<int32_t>(); };
  const BroadcastPlan plan = MakeBroadcastPlan(sa, sb);
  BinaryQ8Kernel kernel;
  if (op == "mul") {
    MulParams p;
    p.input1_offset = get("input1_offset"), p.input2_offset = get("input2_offset");
    p.output_multiplier = get("output_multiplier"), p.output_shift = get("output_shift");
    p.output_offset = get("output_offset"), p.act_min = get("act_min"), p.act_max = get("act_max");
    if (p.output_shift < -31 || p.output_shift > 31) throw UsageError("binary: bad shift");
    kernel.InitMul(ResolveIsa(isa.c_str()), p, plan);
  } else if (op == "add" || op == "sub") {
    AddSubParams p;
    p.subtract = op == "sub";
    p.left_shift = sizeof(T) == 2 ? 15 : 20;
    p.input1_offset = get("input1_offset"), p.input2_offset = get("input2_offset");
    p.input1_multiplier = get("input1_multiplier"), p.input1_shift = get("input1_shift");
    p.input2_multiplier = get("input2_multiplier"), p.input2_shift = get("input2_shift");
    p.output_multiplier = get("output_multiplier"), p.output_shift = get("output_shift");
    p.output_offset = get("output_offset"), p.act_min = get("act_min"), p.act_max = get("act_max");
    for (int sh : {p.input1_shift, p.input2_shift, p.output_shift})
      if (sh < -31 || sh > 0) throw UsageError("binary: add/sub shifts must be in [-31, 0]");
    kernel.InitAddSub(ResolveIsa(isa.c_str()), p, plan, add_tables);
  } else {
    throw UsageError("binary: op must be add, sub or mul");
  }
  py::array_t<T> out(std::vector<py::ssize_t>(shape.begin(), shape.end()));
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(a.data(), b.data(), out.mutable_data(), &pool);
  return out;
}

// out[i] = lut[uint8(x[i])] through LutS8Kernel.
// 16x8 LOGISTIC (or TANH) of x through SigmoidS16Kernel; input_multiplier 0
// means a power-of-two input scale (LogisticS16Params).
py::array SigmoidS16(const I16& x, int input_multiplier, int input_left_shift, bool tanh,
                     const std::string& isa, int num_threads) {
  if (num_threads < 1 || input_multiplier < 0 || input_multiplier >= 32768 ||
      input_left_shift < 0 || input_left_shift > 30)
    throw UsageError("sigmoid_s16: multiplier in [0, 32767], shift in [0, 30], threads >= 1");
  SigmoidS16Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), LogisticS16Params{input_multiplier, input_left_shift}, tanh);
  py::array_t<int16_t> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(x.size(), x.data(), out.mutable_data(), &pool);
  return out;
}

py::array LutS8(const I8& lut, const I8& x, const std::string& isa, int num_threads) {
  if (lut.size() != 256 || num_threads < 1) throw UsageError("lut_s8: 256 table entries expected");
  LutS8Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), lut.data());
  py::array_t<int8_t> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(x.size(), x.data(), out.mutable_data(), &pool);
  return out;
}

// int8 SQUARED_DIFFERENCE of a and b (numpy broadcasting, rank <= 6)
// through SquaredDifferenceS8Kernel; `params` names SquaredDifferenceParams'
// fields. Input shifts in [-31, -1] (the op's rescalings are <= 1/2).
py::array SquaredDifferenceS8(const I8& a, const I8& b, const py::dict& params, const std::string& isa) {
  const Shape sa(a.shape(), a.shape() + a.ndim()), sb(b.shape(), b.shape() + b.ndim());
  Shape shape;
  if (!BroadcastShape(sa, sb, &shape) || shape.size() > kMaxBroadcastRank)
    throw UsageError("squared_difference_s8: shapes do not broadcast (rank <= 6)");
  auto get = [&](const char* key) { return params[key].cast<int32_t>(); };
  SquaredDifferenceParams p;
  p.input1_offset = get("input1_offset"), p.input2_offset = get("input2_offset");
  p.input1_multiplier = get("input1_multiplier"), p.input1_shift = get("input1_shift");
  p.input2_multiplier = get("input2_multiplier"), p.input2_shift = get("input2_shift");
  p.output_multiplier = get("output_multiplier"), p.output_shift = get("output_shift");
  p.output_offset = get("output_offset");
  if (p.input1_shift < -31 || p.input1_shift > -1 || p.input2_shift < -31 || p.input2_shift > -1 ||
      p.output_shift < -31 || p.output_shift > 0 || p.input1_multiplier < 0 || p.input2_multiplier < 0 ||
      p.output_multiplier < 0)
    throw UsageError("squared_difference_s8: shifts or multipliers out of the op's range");
  SquaredDifferenceS8Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), p, MakeBroadcastPlan(sa, sb));
  py::array_t<int8_t> out(std::vector<py::ssize_t>(shape.begin(), shape.end()));
  Poison(out);
  kernel.Run(a.data(), b.data(), out.mutable_data());
  return out;
}

// int8 AVERAGE_POOL_2D of x [batch, h, w, c] on `isa`'s path; windows are
// clipped to the image (padding cells not counted), as the reference does.
py::array AveragePoolS8(const I8& x, int filter_h, int filter_w, int stride_h, int stride_w, int pad_top,
                        int pad_left, int out_h, int out_w, int act_min, int act_max, const std::string& isa) {
  if (x.ndim() != 4 || filter_h < 1 || filter_w < 1 || stride_h < 1 || stride_w < 1 || out_h < 1 ||
      out_w < 1 || act_min < -128 || act_max > 127 || act_min > act_max)
    throw UsageError("average_pool_s8: bad geometry");
  PoolGeometry g{};
  g.batch = x.shape(0), g.in_h = x.shape(1), g.in_w = x.shape(2), g.channels = x.shape(3);
  g.out_h = out_h, g.out_w = out_w, g.filter_h = filter_h, g.filter_w = filter_w;
  g.stride_h = stride_h, g.stride_w = stride_w, g.pad_top = pad_top, g.pad_left = pad_left;
  g.act_min = act_min, g.act_max = act_max;
  for (int o = 0; o < out_h; ++o)
    if (PoolWindowExtent(o, stride_h, pad_top, filter_h, g.in_h) <= 0) throw UsageError("average_pool_s8: empty window");
  for (int o = 0; o < out_w; ++o)
    if (PoolWindowExtent(o, stride_w, pad_left, filter_w, g.in_w) <= 0) throw UsageError("average_pool_s8: empty window");
  py::array_t<int8_t> out(std::vector<py::ssize_t>{g.batch, out_h, out_w, g.channels});
  Poison(out);
  std::vector<uint8_t> scratch(AveragePoolScratchBytes(g) + 64);
  AveragePoolS8For(ResolveIsa(isa.c_str()), g)(g, x.data(), out.mutable_data(), scratch.data());
  return out;
}

// out[..., c] = table[c][uint8(x[..., c])] through ChannelLutS8Kernel
// (table: channels x 256, channels = x's last dimension).
py::array ChannelLutS8(const I8& table, const I8& x, const std::string& isa, int num_threads) {
  if (table.ndim() != 2 || table.shape(1) != 256 || x.ndim() < 1 || x.shape(x.ndim() - 1) != table.shape(0) ||
      table.shape(0) < 1 || num_threads < 1)
    throw UsageError("channel_lut_s8: table [channels, 256] and x [..., channels] expected");
  ChannelLutS8Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), std::vector<int8_t>(table.data(), table.data() + table.size()),
              table.shape(0));
  py::array_t<int8_t> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(x.size(), x.data(), out.mutable_data(), &pool);
  return out;
}

// C = requant(A B^T + bias) [M, N] through PackedQs8Gemm with an emulated
// path's kernels ("avxvnni": built against SIMD Everywhere; "amx": on the
// software tile model, epilogue in AVX-512, so it needs avx512vnni), for
// paths this CPU lacks. fp64: the FULLY_CONNECTED requantization (scale per
// column).
py::array_t<int8_t> EmulatedQs8Gemm(const std::string& path, const I8& a, const I8& b,
                                    const py::array_t<int32_t, py::array::c_style>& bias,
                                    const py::array_t<int32_t, py::array::c_style>& multiplier,
                                    const py::array_t<int32_t, py::array::c_style>& shift,
                                    const py::array_t<double, py::array::c_style>& scale,
                                    int32_t zero_point_in, int32_t zero_point_out, int32_t act_min,
                                    int32_t act_max, bool fp64, int num_threads,
                                    bool in_place) {
  if (a.ndim() != 2 || b.ndim() != 2 || a.shape(1) != b.shape(1))
    throw UsageError("emulated_qs8_gemm: A [M, K] and B [N, K] expected");
  const int M = a.shape(0), N = b.shape(0), K = a.shape(1);
  Qs8GemmConfig config;
#if defined(__x86_64__)
  if (path == "avxvnni")
    config = DotProductU8Config(kQs8GemmAvxVnniMr, kQs8GemmAvxVnniNr,
                                Qs8Gemm6x16c4GemmlowpAvxVnniEmulated,
                                Qs8Gemm6x16c4Fp64AvxVnniEmulated, nullptr,
                                Qs8Gemm6x16c4GemmlowpFlippedS8AvxVnniEmulated);
  if (path == "amx") {
    if (!IsaAvailable(Isa::kAvx512Vnni))
      throw UsageError("emulated_qs8_gemm: the emulated amx kernels need avx512vnni (epilogue)");
    config = *EmulatedAmxConfig();
  }
#endif
  if (num_threads < 1) throw UsageError("emulated_qs8_gemm: num_threads >= 1 expected");
  if (!config.gemmlowp_u8 && !config.gemmlowp_s8 && !config.gemmlowp_s8_panels)
    throw UsageError("emulated_qs8_gemm: no emulated path " + path);
  // The bias folded with the input zero point, as the ops do.
  std::vector<int32_t> folded(bias.data(), bias.data() + N);
  for (int n = 0; n < N; ++n) {
    int64_t sum = 0;
    for (int k = 0; k < K; ++k) sum += b.data()[static_cast<size_t>(n) * K + k];
    folded[n] = static_cast<int32_t>(static_cast<uint32_t>(folded[n]) -
                                     static_cast<uint32_t>(sum * zero_point_in));
  }
  Qs8RequantParams p;
  p.bias = folded.data();
  p.multiplier = multiplier.data();
  p.shift = shift.data();
  p.scale = scale.data();
  p.output_zero_point = zero_point_out;
  p.act_min = act_min;
  p.act_max = act_max;
  ThreadPool pool(num_threads);
  PackedQs8Gemm gemm;
  gemm.Init(&config, fp64 ? Qs8Requant::kFp64 : Qs8Requant::kGemmlowp, N, K, b.data(), p);
  if (in_place && !gemm.ReadsS8InPlace())
    throw UsageError("emulated_qs8_gemm: in_place needs a path that reads int8 A");
  std::vector<uint8_t> scratch(gemm.ScratchBytes(M));
  py::array_t<int8_t> out({M, N});
  Poison(out);
  const int kp = gemm.kp();
  if (in_place) {  // A read where it lies, rows K apart (as a pointwise conv's input)
    gemm.RunInPlace(M, a.data(), static_cast<size_t>(K), out.mutable_data(),
                    static_cast<size_t>(N), scratch.data(), &pool);
  } else {
    gemm.Run(
        M,
        [&](int m0, int count, auto* dst) {
          using T = std::remove_pointer_t<decltype(dst)>;
          for (int r = 0; r < count; ++r)
            for (int k = 0; k < kp; ++k)
              dst[static_cast<size_t>(r) * kp + k] =
                  k < K ? Qs8GemmA<T>::From(a.data()[static_cast<size_t>(m0 + r) * K + k]) : T{0};
        },
        out.mutable_data(), static_cast<size_t>(N), scratch.data(), &pool);
  }
  CheckAmxModel();
  return out;
}

#if defined(__x86_64__)
// One tdpbssd on the tile model: C [M, N] int32 += A [M, KB] int8 (KB bytes
// per row) times B [KB / 4, 4 N] int8 (the VNNI layout), each tile configured
// with its array's shape, so invalid shapes reach the model's checks.
// misuse: "" (none), "unconfigured" (no ldtilecfg), "released" (after
// tilerelease), "same_tile" (tdpbssd with C = A). Raises the model's fault.
py::array_t<int32_t> AmxModelDpbssd(const I8& a, const I8& b, const I32& c,
                                    const std::string& misuse) {
  if (a.ndim() != 2 || b.ndim() != 2 || c.ndim() != 2)
    throw UsageError("amx_model_dpbssd: 2-D A, B, C expected");
  amx_model::TakeAmxModelFault();
  alignas(64) uint8_t cfg[64] = {};
  cfg[0] = 1;
  auto set = [&](int t, py::ssize_t rows, py::ssize_t colsb) {
    cfg[48 + t] = static_cast<uint8_t>(rows);
    cfg[16 + 2 * t] = static_cast<uint8_t>(colsb);
    cfg[17 + 2 * t] = static_cast<uint8_t>(colsb >> 8);
  };
  set(0, c.shape(0), c.shape(1) * 4);
  set(1, a.shape(0), a.shape(1));
  set(2, b.shape(0), b.shape(1));
  py::array_t<int32_t> out({c.shape(0), c.shape(1)});
  Poison(out);
  std::copy(c.data(), c.data() + c.size(), out.mutable_data());
  if (misuse != "unconfigured") _tile_loadconfig(cfg);
  if (misuse == "released") _tile_release();
  _tile_loadd(0, out.data(), static_cast<long>(c.shape(1) * 4));
  _tile_loadd(1, a.data(), static_cast<long>(a.shape(1)));
  _tile_loadd(2, b.data(), static_cast<long>(b.shape(1)));
  if (misuse == "same_tile") {
    _tile_dpbssd(0, 0, 2);
  } else {
    _tile_dpbssd(0, 1, 2);
  }
  _tile_stored(0, out.mutable_data(), static_cast<long>(c.shape(1) * 4));
  _tile_release();
  const std::string fault = amx_model::TakeAmxModelFault();
  if (!fault.empty()) throw std::runtime_error("AMX tile model: " + fault);
  return out;
}
#endif

// sums + the column sums of x [rows, n] through the path's
// AccumulateRowsS8Fn (the portable loop when it has none).
py::array_t<int32_t> ReduceRowsS8(const I8& x, const py::array_t<int32_t, py::array::c_style>& sums,
                                  const std::string& isa) {
  if (x.ndim() != 2 || sums.ndim() != 1 || sums.shape(0) != x.shape(1))
    throw UsageError("reduce_rows_s8: x [rows, n] and sums [n] expected");
  py::array_t<int32_t> out(sums.shape(0));
  Poison(out);
  std::copy(sums.data(), sums.data() + sums.size(), out.mutable_data());
  const int64_t rows = x.shape(0), n = x.shape(1);
  if (AccumulateRowsS8Fn fn = AccumulateRowsS8For(ResolveIsa(isa.c_str()))) {
    fn(x.data(), rows, n, out.mutable_data());
    return out;
  }
  int32_t* o = out.mutable_data();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < n; ++c)
      o[c] = static_cast<int32_t>(static_cast<uint32_t>(o[c]) + static_cast<uint32_t>(x.data()[r * n + c]));
  return out;
}

// int8 RESIZE_BILINEAR of x [batch, h, w, c] to [batch, out_h, out_w, c]
// with the path's row loop.
py::array_t<int8_t> ResizeBilinearS8(const I8& x, int out_h, int out_w, bool align_corners,
                                     bool half_pixel_centers, const std::string& isa) {
  if (x.ndim() != 4 || out_h <= 0 || out_w <= 0 || (align_corners && half_pixel_centers))
    throw UsageError("resize_bilinear_s8: x [batch, h, w, c], positive sizes, one option expected");
  const ResizeShape s{x.shape(0), x.shape(1), x.shape(2), x.shape(3), out_h, out_w};
  const BilinearAxisQ y = BilinearAxisInteger(static_cast<int32_t>(s.in_h), out_h, align_corners,
                                              half_pixel_centers);
  const BilinearAxisQ xa = BilinearAxisInteger(static_cast<int32_t>(s.in_w), out_w, align_corners,
                                               half_pixel_centers);
  py::array_t<int8_t> out({s.batch, s.out_h, s.out_w, s.channels});
  Poison(out);
  ResizeBilinearS8(s, y, xa, BilinearRowS8For(ResolveIsa(isa.c_str())), x.data(),
                   out.mutable_data());
  return out;
}

// int8 MAX_POOL_2D of x [batch, h, w, c] on `isa`'s path (windows clipped
// to the image; an empty one gives -128 before the clamp, as the reference).
py::array MaxPoolS8(const I8& x, int filter_h, int filter_w, int stride_h, int stride_w, int pad_top,
                    int pad_left, int out_h, int out_w, int act_min, int act_max, const std::string& isa) {
  if (x.ndim() != 4 || filter_h < 1 || filter_w < 1 || stride_h < 1 || stride_w < 1 || out_h < 1 ||
      out_w < 1 || act_min < -128 || act_max > 127 || act_min > act_max)
    throw UsageError("max_pool_s8: bad geometry");
  PoolGeometry g{};
  g.batch = x.shape(0), g.in_h = x.shape(1), g.in_w = x.shape(2), g.channels = x.shape(3);
  g.out_h = out_h, g.out_w = out_w, g.filter_h = filter_h, g.filter_w = filter_w;
  g.stride_h = stride_h, g.stride_w = stride_w, g.pad_top = pad_top, g.pad_left = pad_left;
  g.act_min = act_min, g.act_max = act_max;
  py::array_t<int8_t> out(std::vector<py::ssize_t>{g.batch, out_h, out_w, g.channels});
  Poison(out);
  MaxPoolS8For(ResolveIsa(isa.c_str()))(g, x.data(), out.mutable_data());
  return out;
}

// Every x86 table-lookup kernel this CPU runs, by name (the family table
// picks one per path; this reaches the others, e.g. the AVX-512 BW kernel
// that avx512vnni CPUs without VBMI use).
py::dict X86LutKernels(const I8& lut, const I8& x) {
  if (lut.size() != 256) throw UsageError("x86_lut_kernels: 256 table entries expected");
  py::dict outputs;
#if defined(__x86_64__)
  auto run = [&](const char* name, auto kernel) {
    py::array_t<int8_t> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
    Poison(out);
    kernel(out.mutable_data());
    outputs[name] = out;
  };
  uint8_t packed[256];
  PackX8LutAvx2(lut.data(), packed);
  if (IsaAvailable(Isa::kAvx2))
    run("avx2", [&](int8_t* out) { X8LutAvx2(packed, x.size(), x.data(), out); });
  if (IsaAvailable(Isa::kAvx512Vnni)) {
    run("avx512", [&](int8_t* out) { X8LutAvx512(packed, x.size(), x.data(), out); });
    if (CpuHasAvx512Vbmi())
      run("avx512vbmi", [&](int8_t* out) { X8LutAvx512Vbmi(lut.data(), x.size(), x.data(), out); });
  }
#endif
  return outputs;
}

// int8 softmax over the last axis: the reference or the tabulated kernel.
py::array SoftmaxS8(const I8& x, int32_t input_multiplier, int input_left_shift, int32_t diff_min,
                    bool tabulated, const std::string& isa) {
  if (x.ndim() < 1 || x.shape(x.ndim() - 1) < 1 || input_multiplier < 0 || input_left_shift < 0 ||
      input_left_shift > 31 || diff_min > 0)
    throw UsageError("softmax_s8: bad arguments");
  SoftmaxS8Params p;
  p.input_multiplier = input_multiplier;
  p.input_left_shift = input_left_shift;
  p.diff_min = diff_min;
  const int depth = x.shape(x.ndim() - 1);
  py::array_t<int8_t> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  Poison(out);
  if (tabulated) {
    SoftmaxS8TabulatedFor(ResolveIsa(isa.c_str()))(BuildSoftmaxS8Table(p), x.size() / depth, depth,
                                                   x.data(), out.mutable_data());
  } else {
    pyrt::SoftmaxS8(p, x.size() / depth, depth, x.data(), out.mutable_data());
  }
  return out;
}

// Runs `jobs` ParallelFor calls of 1..max_tasks tasks (varied, some tasks
// slow) on a pool of num_threads; returns how often each task of each job
// ran (every entry must be 1), job-major, max_tasks entries per job.
py::array_t<int32_t> ThreadPoolTaskCounts(int num_threads, int jobs, int max_tasks) {
  if (num_threads < 1 || jobs < 1 || max_tasks < 1)
    throw UsageError("thread_pool_task_counts: arguments must be >= 1");
  std::vector<std::atomic<int32_t>> runs(static_cast<size_t>(jobs) * max_tasks);
  {
    py::gil_scoped_release release;
    ThreadPool pool(num_threads);
    for (int j = 0; j < jobs; ++j) {
      const int tasks = 1 + (j * 7919) % max_tasks;
      pool.ParallelFor(tasks, [&](int i) {
        if ((i + j) % 5 == 0) {  // a slow task now and then
          volatile int sink = 0;
          for (int k = 0; k < 2000; ++k) sink = sink + k;
        }
        runs[static_cast<size_t>(j) * max_tasks + i].fetch_add(1, std::memory_order_relaxed);
      });
    }
  }
  py::array_t<int32_t> out(runs.size());
  Poison(out);
  for (size_t i = 0; i < runs.size(); ++i) out.mutable_data()[i] = runs[i].load();
  return out;
}

// Runs `jobs` ParallelUnits calls of 0..max_units units (some slow) on a
// pool of num_threads; returns how often each unit of each job ran (every
// entry must be 1), job-major, max_units entries per job, then one entry:
// the ParallelFor jobs whose task 0 ran off the calling thread (must be 0).
py::array_t<int32_t> UnitRangesCounts(int num_threads, int jobs, int max_units) {
  if (num_threads < 1 || jobs < 1 || max_units < 1)
    throw UsageError("unit_ranges_counts: arguments must be >= 1");
  std::vector<std::atomic<int32_t>> runs(static_cast<size_t>(jobs) * max_units + 1);
  {
    py::gil_scoped_release release;
    ThreadPool pool(num_threads);
    const std::thread::id caller = std::this_thread::get_id();
    for (int j = 0; j < jobs; ++j) {
      const int units = (j * 7919) % (max_units + 1);
      ParallelUnits(&pool, units, [&](int u) {
        if ((u + j) % 3 == 0) {  // a slow unit now and then
          volatile int sink = 0;
          for (int k = 0; k < 3000; ++k) sink = sink + k;
        }
        runs[static_cast<size_t>(j) * max_units + u].fetch_add(1, std::memory_order_relaxed);
      });
      pool.ParallelFor(num_threads, [&](int i) {
        if (i == 0 && std::this_thread::get_id() != caller) runs.back().fetch_add(1);
      });
    }
  }
  py::array_t<int32_t> out(runs.size());
  Poison(out);
  for (size_t i = 0; i < runs.size(); ++i) out.mutable_data()[i] = runs[i].load();
  return out;
}

#if defined(__x86_64__)
// MultiplyByQuantizedMultiplier + zero point of x (int32, a multiple of 16
// values) by the general or merged form of an x86 path (avx2, avx512vnni);
// None when merged does not apply to the 16 channels' parameters.
py::object RequantSimd(const std::string& isa, const I32& x, const I32& multiplier,
                       const I32& shift, int32_t zero_point, bool merged) {
  const Isa path = ResolveIsa(isa.c_str());
  const auto probe = path == Isa::kAvx512Vnni ? RequantAvx512Probe
                     : path == Isa::kAvx2     ? RequantAvx2Probe
                                              : nullptr;
  if (!probe) throw UsageError("requant_simd: no probe for path " + isa);
  if (x.size() % 16 != 0) throw UsageError("requant_simd: x needs a multiple of 16 values");
  const std::vector<int32_t> m = Vec(multiplier, 16, "multiplier"), s = Vec(shift, 16, "shift");
  py::array_t<int32_t> out(x.size());
  Poison(out);
  if (!probe(merged, x.data(), static_cast<int>(x.size()), m.data(), s.data(), zero_point,
             out.mutable_data()))
    return py::none();
  return std::move(out);
}
#endif

// QUANTIZE float32 -> int8 or int16 of x on a named path (the reference
// loop where the path has no SIMD one).
template <typename OutT>
py::array QuantizeF32(const F32& x, float scale, int32_t zero_point, const std::string& isa) {
  py::array_t<OutT> out(x.size());
  Poison(out);
  const Isa i = ResolveIsa(isa.c_str());
  const auto simd = [&] {
    if constexpr (std::is_same_v<OutT, int8_t>) return AffineQuantizeS8For(i);
    else return AffineQuantizeS16For(i);
  }();
  if (simd) {
    simd(x.data(), x.size(), scale, zero_point, out.mutable_data());
  } else {
    AffineQuantize(x.data(), x.size(), scale, zero_point, out.mutable_data());
  }
  return std::move(out);
}

}  // namespace testing
}  // namespace pyrt

PYBIND11_MODULE(_testing, t) {
  using namespace pyrt;
  using namespace pyrt::testing;
  t.doc() = "test-only entry points (not part of the product module)";
  // The product module's exception classes, so callers catch one family.
  static const py::handle model_error =
      py::object(py::module_::import("pyruntime._core").attr("ModelError")).release();
  static const py::handle usage_error =
      py::object(py::module_::import("pyruntime._core").attr("UsageError")).release();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ModelError& e) {
      PyErr_SetString(model_error.ptr(), e.what());
    } catch (const UsageError& e) {
      PyErr_SetString(usage_error.ptr(), e.what());
    }
  });
  t.def("conv_s8_winograd", &testing::ConvS8Winograd, py::arg("filter"),
        py::arg("in_h"), py::arg("in_w"), py::arg("pad"), py::arg("isa"));
  t.def("conv_s8", &testing::ConvS8, py::arg("input"), py::arg("filter"), py::arg("bias"),
        py::arg("multiplier"), py::arg("shift"), py::arg("input_zero_point"),
        py::arg("output_zero_point"), py::arg("act_min"), py::arg("act_max"), py::arg("stride"),
        py::arg("dilation"), py::arg("pad"), py::arg("out_hw"), py::arg("isa"),
        py::arg("num_threads") = 1);
  t.def("transpose_conv_s8", &testing::TransposeConvS8, py::arg("input"), py::arg("filter"),
        py::arg("bias"), py::arg("multiplier"), py::arg("shift"), py::arg("input_zero_point"),
        py::arg("output_zero_point"), py::arg("act_min"), py::arg("act_max"), py::arg("stride"),
        py::arg("pad"), py::arg("out_hw"), py::arg("isa"), py::arg("num_threads") = 1);
  t.def("depthwise_conv_s8", &testing::DepthwiseConvS8, py::arg("input"), py::arg("filter"),
        py::arg("bias"), py::arg("multiplier"), py::arg("shift"), py::arg("input_zero_point"),
        py::arg("output_zero_point"), py::arg("act_min"), py::arg("act_max"), py::arg("stride"),
        py::arg("dilation"), py::arg("pad"), py::arg("out_hw"), py::arg("isa"),
        py::arg("num_threads") = 1);
  t.def("fully_connected_s16", &testing::FullyConnectedS16, py::arg("x"), py::arg("filter"),
        py::arg("bias"), py::arg("scale"), py::arg("int32_accumulator"), py::arg("act_min"),
        py::arg("act_max"), py::arg("threaded"), py::arg("num_threads") = 1);
  t.def("conv_s16", &testing::ConvS16, py::arg("op"), py::arg("input"), py::arg("filter"),
        py::arg("bias"), py::arg("multiplier"), py::arg("shift"), py::arg("act_min"),
        py::arg("act_max"), py::arg("stride"), py::arg("dilation"), py::arg("pad"),
        py::arg("out_hw"), py::arg("threaded"), py::arg("isa") = "reference",
        py::arg("num_threads") = 1);
  t.def("fully_connected_s8", &testing::FullyConnectedS8, py::arg("a"), py::arg("b"), py::arg("bias"),
        py::arg("scale"), py::arg("output_zero_point"), py::arg("act_min"), py::arg("act_max"),
        py::arg("isa"), py::arg("num_threads") = 1);
  pyrt::testing::RegisterFloatAndHybridEntries(t);
  t.def("softmax_s8", &testing::SoftmaxS8, py::arg("x"), py::arg("input_multiplier"),
        py::arg("input_left_shift"), py::arg("diff_min"), py::arg("tabulated"),
        py::arg("isa") = "reference");
  t.def("available_isas", [] {  // every path this CPU runs, worst first
    std::vector<std::string> names;
    for (Isa i : CpuPaths()) names.insert(names.begin(), IsaName(i));
    return names;
  });
  t.def("emulated_isas", [] {  // paths this build runs as emulated code (best first)
    std::vector<std::string> names;
    for (Isa i : CpuPaths())
      if (IsaEmulated(i)) names.push_back(IsaName(i));
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
  t.def("emulated_qs8_gemm", &testing::EmulatedQs8Gemm, py::arg("path"), py::arg("a"), py::arg("b"),
        py::arg("bias"), py::arg("multiplier"), py::arg("shift"), py::arg("scale"),
        py::arg("zero_point_in"), py::arg("zero_point_out"), py::arg("act_min"),
        py::arg("act_max"), py::arg("fp64"), py::arg("num_threads") = 1,
        py::arg("in_place") = false);
#if defined(__x86_64__)
  t.def("amx_model_dpbssd", &testing::AmxModelDpbssd, py::arg("a"), py::arg("b"), py::arg("c"),
        py::arg("misuse") = "");
  t.def("requant_simd", &testing::RequantSimd, py::arg("isa"), py::arg("x"),
        py::arg("multiplier"), py::arg("shift"), py::arg("zero_point"), py::arg("merged"));
#endif
  t.def("quantize_f32_s16", &testing::QuantizeF32<int16_t>, py::arg("x"), py::arg("scale"),
        py::arg("zero_point"), py::arg("isa"));
  t.def("quantize_f32_s8", &testing::QuantizeF32<int8_t>, py::arg("x"), py::arg("scale"),
        py::arg("zero_point"), py::arg("isa"));
  t.def("thread_pool_task_counts", &testing::ThreadPoolTaskCounts, py::arg("num_threads"),
        py::arg("jobs"), py::arg("max_tasks"));
  t.def("unit_ranges_counts", &testing::UnitRangesCounts, py::arg("num_threads"), py::arg("jobs"),
        py::arg("max_units"));
  t.def("int8_simd_families", [](const std::string& isa) {  // int8 families with own kernels
    const Isa i = ResolveIsa(isa.c_str());
    std::vector<std::string> families;
    if (DwConvS8ConfigFor(i)) families.push_back("depthwise_conv_s8");
    BinaryQ8Kernel binary;
    binary.InitAddSub(i, AddSubParams{}, BroadcastPlan{});
    if (binary.simd_rows()) families.push_back("binary_s8");
    if (AccumulateRowsS8For(i)) families.push_back("reduce_rows_s8");
    return families;
  });
  t.def("reduce_rows_s8", &testing::ReduceRowsS8, py::arg("x"), py::arg("sums"), py::arg("isa"));
  t.def("resize_bilinear_s8", &testing::ResizeBilinearS8, py::arg("x"), py::arg("out_h"),
        py::arg("out_w"), py::arg("align_corners"), py::arg("half_pixel_centers"), py::arg("isa"));
  t.def("x86_lut_kernels", &testing::X86LutKernels, py::arg("lut"), py::arg("x"));
  t.def("channel_lut_s8", &testing::ChannelLutS8, py::arg("table"), py::arg("x"), py::arg("isa"),
        py::arg("num_threads") = 1);
  t.def("squared_difference_s8", &testing::SquaredDifferenceS8, py::arg("a"), py::arg("b"),
        py::arg("params"), py::arg("isa"));
  t.def("average_pool_s8", &testing::AveragePoolS8, py::arg("x"), py::arg("filter_h"), py::arg("filter_w"),
        py::arg("stride_h"), py::arg("stride_w"), py::arg("pad_top"), py::arg("pad_left"), py::arg("out_h"),
        py::arg("out_w"), py::arg("act_min"), py::arg("act_max"), py::arg("isa"));
  t.def("max_pool_s8", &testing::MaxPoolS8, py::arg("x"), py::arg("filter_h"), py::arg("filter_w"),
        py::arg("stride_h"), py::arg("stride_w"), py::arg("pad_top"), py::arg("pad_left"), py::arg("out_h"),
        py::arg("out_w"), py::arg("act_min"), py::arg("act_max"), py::arg("isa"));
  t.def("sigmoid_s16", &testing::SigmoidS16, py::arg("x"), py::arg("input_multiplier"),
        py::arg("input_left_shift"), py::arg("tanh"), py::arg("isa"), py::arg("num_threads") = 1);
  t.def("lut_s8", &testing::LutS8, py::arg("lut"), py::arg("x"), py::arg("isa"),
        py::arg("num_threads") = 1);
  t.def("binary_s8", &testing::BinaryQ<int8_t>, py::arg("op"), py::arg("a"), py::arg("b"),
        py::arg("params"), py::arg("isa"), py::arg("num_threads") = 1, py::arg("add_tables") = true);
  t.def("binary_s16", &testing::BinaryQ<int16_t>, py::arg("op"), py::arg("a"), py::arg("b"),
        py::arg("params"), py::arg("isa"), py::arg("num_threads") = 1, py::arg("add_tables") = true);
}
