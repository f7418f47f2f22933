// Test-only entries of pyruntime._testing for the float and hybrid
// (dynamic-range) kernels: one kernel on numpy arrays on a named ISA path.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "kernels/depthwise_hybrid_kernel.h"
#include "kernels/f32_gemm/f32_gemm.h"
#include "kernels/half_to_float.h"
#include "kernels/f32_vmath/f32_vmath.h"
#include "kernels/f32_vops/f32_vops.h"
#include "kernels/hybrid_gemm.h"
#include "kernels/hybrid_quant.h"
#include "kernels/isa.h"
#include "kernels/reference/conv_f32.h"
#include "kernels/reference/elementwise_f32.h"
#include "kernels/reference/transpose_conv.h"
#include "kernels/transpose_conv_f32_kernel.h"
#include "ops/conv_common.h"
#include "python/testing_arrays.h"

namespace pyrt {
namespace testing {
namespace {

ConvGeometry F32Geometry(const F32& input, int out_c, int fh, int fw, std::array<int, 2> stride,
                         std::array<int, 2> dilation, std::array<int, 2> pad,
                         std::array<int, 2> out_hw, int num_threads, const char* what) {
  if (input.ndim() != 4) throw UsageError(StrCat(what, ": input [B,H,W,C] expected"));
  ConvGeometry g{};
  g.batch = input.shape(0), g.in_h = input.shape(1), g.in_w = input.shape(2);
  g.in_c = input.shape(3), g.out_c = out_c, g.filter_h = fh, g.filter_w = fw;
  g.stride_h = stride[0], g.stride_w = stride[1], g.dilation_h = dilation[0];
  g.dilation_w = dilation[1], g.pad_top = pad[0], g.pad_left = pad[1];
  g.out_h = out_hw[0], g.out_w = out_hw[1];
  if (g.stride_h < 1 || g.stride_w < 1 || g.dilation_h < 1 || g.dilation_w < 1 || g.out_h < 1 ||
      g.out_w < 1 || g.out_c < 1 || g.in_c < 1 || num_threads < 1)
    throw UsageError(StrCat(what, ": bad geometry"));
  return g;
}

// Float conv over input [B,H,W,C] with filter [O,FH,FW,C] and bias [O].
py::array ConvF32(const F32& input, const F32& filter, const F32& bias, float act_min,
                  float act_max, std::array<int, 2> stride, std::array<int, 2> dilation,
                  std::array<int, 2> pad, std::array<int, 2> out_hw, const std::string& isa,
                  int num_threads, bool builtin_rounding) {
  if (filter.ndim() != 4 || input.ndim() != 4 || filter.shape(3) != input.shape(3))
    throw UsageError("conv_f32: input [B,H,W,C] and filter [O,FH,FW,C] expected");
  const ConvGeometry g = F32Geometry(input, filter.shape(0), filter.shape(1), filter.shape(2),
                                     stride, dilation, pad, out_hw, num_threads, "conv_f32");
  const std::vector<float> b = Vec(bias, g.out_c, "bias");
  ConvF32Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), g, filter.data(), b.data(), act_min, act_max,
              builtin_rounding);
  std::vector<uint8_t> scratch(kernel.scratch_bytes());
  py::array_t<float> out({g.batch, g.out_h, g.out_w, g.out_c});
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

// Float TRANSPOSE_CONV over input [B,H,W,C] with filter [O,FH,FW,C] and
// bias [O]: the op's kernels (the gathering kernel on the reference path).
py::array TransposeConvF32(const F32& input, const F32& filter, const F32& bias, float act_min,
                           float act_max, std::array<int, 2> stride, std::array<int, 2> pad,
                           std::array<int, 2> out_hw, const std::string& isa, int num_threads) {
  if (filter.ndim() != 4 || input.ndim() != 4 || filter.shape(3) != input.shape(3))
    throw UsageError("transpose_conv_f32: input [B,H,W,C] and filter [O,FH,FW,C] expected");
  if (pad[0] < 0 || pad[1] < 0) throw UsageError("transpose_conv_f32: pads must be >= 0");
  const ConvGeometry g = F32Geometry(input, filter.shape(0), filter.shape(1), filter.shape(2),
                                     stride, {1, 1}, pad, out_hw, num_threads, "transpose_conv_f32");
  const std::vector<float> b = Vec(bias, g.out_c, "bias");
  const Isa path = ResolveIsa(isa.c_str());
  py::array_t<float> out({g.batch, g.out_h, g.out_w, g.out_c});
  Poison(out);
  ThreadPool pool(num_threads);
  if (path == Isa::kReference) {
    std::vector<uint8_t> scratch(TransposeConvF32ScratchBytes(g));
    pyrt::TransposeConvF32(g, input.data(), filter.data(), b.data(), act_min, act_max,
                           out.mutable_data(), scratch.data(), &pool);
    return out;
  }
  TransposeConvF32Kernel kernel;
  kernel.Init(path, g, filter.data(), b.data(), act_min, act_max);
  std::vector<uint8_t> scratch(kernel.scratch_bytes());
  kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

// One f32_vops kernel: "add" / "sub" / "mul" (x, y same shape), "prelu"
// (x [rows, n], y = n alphas) or "clamp" (x only; y ignored).
py::array F32Vop(const std::string& op, const F32& x, const F32& y, float lo, float hi,
                 const std::string& isa) {
  const F32VopsConfig& k = F32VopsConfigFor(ResolveIsa(isa.c_str()));
  py::array_t<float> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  Poison(out);
  const int64_t n = x.size();
  if (op == "prelu") {
    if (x.ndim() != 2 || y.size() != x.shape(1)) throw UsageError("f32_vop: prelu x [rows, n], y [n]");
    k.prelu(x.data(), y.data(), out.mutable_data(), x.shape(0), x.shape(1));
  } else if (op == "clamp") {
    k.clamp(x.data(), out.mutable_data(), n, lo, hi);
  } else {
    if (y.size() != n) throw UsageError("f32_vop: x and y differ in size");
    const BinaryRowF32Fn fn = op == "add" ? k.add : op == "sub" ? k.sub : op == "mul" ? k.mul : nullptr;
    if (!fn) throw UsageError(StrCat("f32_vop: unknown op ", op));
    fn(x.data(), y.data(), out.mutable_data(), n, lo, hi);
  }
  return out;
}

// One f32_vmath map ("logistic", "swish", "tanh", "gelu", "gelu_tanh", "hard_swish") of the
// path `isa`, or of the SIMD kernels' scalar twin when isa is "twin" (hard_swish:
// the reference kernel).
py::array F32Vmath(const std::string& op, const F32& x, const std::string& isa) {
  const bool twin = isa == "twin";
  const F32VmathConfig& k = F32VmathConfigFor(twin ? Isa::kReference : ResolveIsa(isa.c_str()));
  namespace tw = f32_vmath_twin;
  const MapF32Fn fn = op == "logistic"    ? (twin ? tw::Logistic : k.logistic)
                      : op == "swish"     ? (twin ? tw::Swish : k.swish)
                      : op == "tanh"      ? (twin ? tw::Tanh : k.tanh)
                      : op == "gelu"      ? (twin ? tw::Gelu : k.gelu)
                      : op == "gelu_tanh" ? (twin ? tw::GeluTanh : k.gelu_tanh)
                      : op == "hard_swish" ? (twin ? HardSwishF32 : k.hard_swish)
                                          : nullptr;
  if (!fn) throw UsageError(StrCat("f32_vmath: unknown op ", op));
  py::array_t<float> out(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  Poison(out);
  fn(x.size(), x.data(), out.mutable_data());
  return out;
}

// f32_vmath softmax over the last axis of x (rows x depth), of the path
// `isa` or of the twin ("twin").
py::array SoftmaxF32Rows(const F32& x, float beta, const std::string& isa) {
  if (x.ndim() != 2) throw UsageError("softmax_f32: x [rows, depth] expected");
  const SoftmaxF32Fn fn = isa == "twin" ? f32_vmath_twin::Softmax
                                        : F32VmathConfigFor(ResolveIsa(isa.c_str())).softmax;
  py::array_t<float> out({x.shape(0), x.shape(1)});
  Poison(out);
  fn(x.shape(0), static_cast<int>(x.shape(1)), beta, x.data(), out.mutable_data());
  return out;
}

// Float MAX_POOL_2D over [B,H,W,C] (windows clipped to the image).
py::array MaxPoolF32(const F32& x, std::array<int, 2> filter, std::array<int, 2> stride,
                     std::array<int, 2> pad, std::array<int, 2> out_hw, float lo, float hi,
                     const std::string& isa) {
  if (x.ndim() != 4 || filter[0] < 1 || filter[1] < 1 || stride[0] < 1 || stride[1] < 1 ||
      out_hw[0] < 0 || out_hw[1] < 0)
    throw UsageError("max_pool_f32: input [B,H,W,C] and positive window expected");
  PoolGeometry g{};
  g.batch = static_cast<int>(x.shape(0));
  g.in_h = static_cast<int>(x.shape(1));
  g.in_w = static_cast<int>(x.shape(2));
  g.channels = static_cast<int>(x.shape(3));
  g.filter_h = filter[0], g.filter_w = filter[1];
  g.stride_h = stride[0], g.stride_w = stride[1];
  g.pad_top = pad[0], g.pad_left = pad[1];
  g.out_h = out_hw[0], g.out_w = out_hw[1];
  py::array_t<float> out({g.batch, g.out_h, g.out_w, g.channels});
  Poison(out);
  F32VopsConfigFor(ResolveIsa(isa.c_str())).max_pool(g, x.data(), out.mutable_data(), lo, hi);
  return out;
}

// Float RESIZE_BILINEAR of [B,H,W,C] to out_hw.
py::array ResizeBilinearF32(const F32& x, std::array<int, 2> out_hw, bool align_corners,
                            bool half_pixel_centers, const std::string& isa) {
  if (x.ndim() != 4 || x.shape(1) < 1 || x.shape(2) < 1 || out_hw[0] < 1 || out_hw[1] < 1)
    throw UsageError("resize_bilinear_f32: input [B,H,W,C] and a positive size expected");
  ResizeShape s;
  s.batch = x.shape(0), s.in_h = x.shape(1), s.in_w = x.shape(2), s.channels = x.shape(3);
  s.out_h = out_hw[0], s.out_w = out_hw[1];
  const BilinearAxisF ya = BilinearAxisFloat(static_cast<int32_t>(s.in_h), out_hw[0], align_corners,
                                             half_pixel_centers);
  const BilinearAxisF xa = BilinearAxisFloat(static_cast<int32_t>(s.in_w), out_hw[1], align_corners,
                                             half_pixel_centers);
  py::array_t<float> out({s.batch, s.out_h, s.out_w, s.channels});
  Poison(out);
  F32VopsConfigFor(ResolveIsa(isa.c_str())).resize_bilinear(s, ya, xa, x.data(), out.mutable_data());
  return out;
}

// Float depthwise conv over input [B,H,W,C] with filter [1,FH,FW,C*m].
py::array DepthwiseConvF32(const F32& input, const F32& filter, const F32& bias, float act_min,
                           float act_max, std::array<int, 2> stride, std::array<int, 2> dilation,
                           std::array<int, 2> pad, std::array<int, 2> out_hw,
                           const std::string& isa, int num_threads, bool builtin_rounding) {
  if (filter.ndim() != 4 || filter.shape(0) != 1 || input.ndim() != 4 || input.shape(3) < 1 ||
      filter.shape(3) % input.shape(3) != 0)
    throw UsageError("depthwise_conv_f32: input [B,H,W,C] and filter [1,FH,FW,C*m] expected");
  const ConvGeometry g = F32Geometry(input, filter.shape(3), filter.shape(1), filter.shape(2),
                                     stride, dilation, pad, out_hw, num_threads,
                                     "depthwise_conv_f32");
  const std::vector<float> b = Vec(bias, g.out_c, "bias");
  DepthwiseF32Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), g, filter.data(), b.data(), act_min, act_max,
              builtin_rounding);
  py::array_t<float> out({g.batch, g.out_h, g.out_w, g.out_c});
  Poison(out);
  ThreadPool pool(num_threads);
  std::vector<uint8_t> scratch(kernel.scratch_bytes());
  kernel.Run(input.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

// out[m][n] = clamp(sum_k a[m][k] * b[n][k] + bias[n]).
py::array FullyConnectedF32(const F32& a, const F32& b, const F32& bias, float act_min,
                            float act_max, const std::string& isa, int num_threads,
                            bool builtin_rounding) {
  if (a.ndim() != 2 || b.ndim() != 2 || a.shape(1) != b.shape(1) || b.shape(0) < 1 ||
      b.shape(1) < 1 || num_threads < 1)
    throw UsageError("fully_connected_f32: a [M,K] and b [N,K] expected");
  const int M = a.shape(0), N = b.shape(0), K = b.shape(1);
  const std::vector<float> bv = Vec(bias, N, "bias");
  FullyConnectedF32Kernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), N, K, b.data(), bv.data(), act_min, act_max,
              builtin_rounding);
  py::array_t<float> out({M, N});
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(M, a.data(), out.mutable_data(), &pool);
  return out;
}

// Hybrid GEMM: out[m][n] = clamp(float(sum_k a_k * b[n][k]) * (col_scale[n]
// * batch_scale[i]) + bias[n]) with a_k = q[m][k] - zero_point[i] (0 where
// pad[m][k] is set: a padding tap), i = m / rows_per_batch. whole_a: all
// of A handed over at once (RunPacked: int16 paths, K a multiple of the k group).
py::array HybridGemm(const I8& q, const I8& pad, const I32& zero_point, int rows_per_batch,
                     const I8& b, const F32& col_scale, const F32& bias, const F32& batch_scale,
                     float act_min, float act_max, const std::string& isa, int num_threads,
                     bool whole_a) {
  if (q.ndim() != 2 || b.ndim() != 2 || q.shape(1) != b.shape(1) || b.shape(0) < 1 ||
      b.shape(1) < 1 || pad.ndim() != 2 || pad.shape(0) != q.shape(0) ||
      pad.shape(1) != q.shape(1) || rows_per_batch < 1 || num_threads < 1)
    throw UsageError("hybrid_gemm: q [M,K], pad [M,K] and b [N,K] expected");
  const int M = q.shape(0), N = b.shape(0), K = b.shape(1);
  const int batches = (M + rows_per_batch - 1) / rows_per_batch;
  const std::vector<int32_t> zp = Vec(zero_point, batches, "zero_point");
  const std::vector<float> bs = Vec(batch_scale, batches, "batch_scale");
  const std::vector<float> cs = Vec(col_scale, N, "col_scale");
  const std::vector<float> bv = Vec(bias, N, "bias");
  PackedHybridGemm gemm;
  gemm.Init(ResolveIsa(isa.c_str()), N, K, b.data(), cs.data(), bv.data(), act_min, act_max);
  std::vector<uint8_t> scratch(gemm.ScratchBytes(M));
  py::array_t<float> out({M, N});
  Poison(out);
  const int8_t* qd = q.data();
  const int8_t* pd = pad.data();
  const int kp = gemm.kp();
  auto pack = [&](int m0, int count, auto* dst) {
    using T = std::remove_pointer_t<decltype(dst)>;
    for (int r = 0; r < count; ++r) {
      const int m = m0 + r;
      const int32_t z = zp[m / rows_per_batch];
      T* row = dst + static_cast<size_t>(r) * kp;
      for (int k = 0; k < K; ++k) {
        const size_t i = static_cast<size_t>(m) * K + k;
        row[k] = pd[i] ? HybridA<T>::Pad(z) : HybridA<T>::From(qd[i], z);
      }
      for (int k = K; k < kp; ++k) row[k] = static_cast<T>(0x5A);  // any value: zero weights
    }
  };
  ThreadPool pool(num_threads);
  if (whole_a) {
    if (gemm.input() != HybridGemmInput::kS16 || kp != K)
      throw UsageError("hybrid_gemm: whole_a needs an int16 path and K a multiple of its k group");
    std::vector<int16_t> a(static_cast<size_t>(M) * kp);
    pack(0, M, a.data());
    gemm.RunPacked(M, a.data(), bs.data(), zp.data(), rows_per_batch, out.mutable_data(),
                   static_cast<size_t>(N), &pool);
    return out;
  }
  gemm.Run(M, pack, bs.data(), zp.data(), rows_per_batch, out.mutable_data(),
           static_cast<size_t>(N), scratch.data(), &pool);
  return out;
}

// Hybrid depthwise conv over quantized images q [B,H,W,C] (zero_point and
// scale per image) with filter [1,FH,FW,C*m] and per-channel scales.
py::array DepthwiseHybrid(const I8& q, const I32& zero_point, const F32& scale, const I8& filter,
                          const F32& filter_scale, const F32& bias, float act_min, float act_max,
                          std::array<int, 2> stride, std::array<int, 2> dilation,
                          std::array<int, 2> pad, std::array<int, 2> out_hw,
                          const std::string& isa, int num_threads) {
  if (filter.ndim() != 4 || filter.shape(0) != 1 || q.ndim() != 4 || q.shape(3) < 1 ||
      filter.shape(3) % q.shape(3) != 0)
    throw UsageError("depthwise_hybrid: q [B,H,W,C] and filter [1,FH,FW,C*m] expected");
  ConvGeometry g{};
  g.batch = q.shape(0), g.in_h = q.shape(1), g.in_w = q.shape(2), g.in_c = q.shape(3);
  g.out_c = filter.shape(3), g.filter_h = filter.shape(1), g.filter_w = filter.shape(2);
  g.stride_h = stride[0], g.stride_w = stride[1], g.dilation_h = dilation[0];
  g.dilation_w = dilation[1], g.pad_top = pad[0], g.pad_left = pad[1];
  g.out_h = out_hw[0], g.out_w = out_hw[1];
  if (g.stride_h < 1 || g.stride_w < 1 || g.dilation_h < 1 || g.dilation_w < 1 || g.out_h < 1 ||
      g.out_w < 1 || g.batch < 1 || num_threads < 1)
    throw UsageError("depthwise_hybrid: bad geometry");
  std::vector<RowQuantization> rq(g.batch);
  const std::vector<int32_t> zp = Vec(zero_point, g.batch, "zero_point");
  const std::vector<float> sc = Vec(scale, g.batch, "scale");
  for (int b = 0; b < g.batch; ++b) rq[b].zero_point = zp[b], rq[b].scale = sc[b];
  const std::vector<float> fs = Vec(filter_scale, g.out_c, "filter_scale");
  const std::vector<float> bv = Vec(bias, g.out_c, "bias");
  DepthwiseHybridKernel kernel;
  kernel.Init(ResolveIsa(isa.c_str()), g, g.out_c / g.in_c, filter.data(), fs.data(), bv.data(),
              act_min, act_max);
  std::vector<uint8_t> scratch(kernel.ScratchBytes());
  py::array_t<float> out({g.batch, g.out_h, g.out_w, g.out_c});
  Poison(out);
  ThreadPool pool(num_threads);
  kernel.Run(q.data(), rq.data(), out.mutable_data(), scratch.data(), &pool);
  return out;
}

}  // namespace

void RegisterFloatAndHybridEntries(py::module_& t) {
  t.def("conv_f32", &testing::ConvF32, py::arg("input"), py::arg("filter"), py::arg("bias"),
        py::arg("act_min"), py::arg("act_max"), py::arg("stride"), py::arg("dilation"),
        py::arg("pad"), py::arg("out_hw"), py::arg("isa"), py::arg("num_threads") = 1,
        py::arg("builtin_rounding") = false);
  t.def("transpose_conv_f32", &testing::TransposeConvF32, py::arg("input"), py::arg("filter"),
        py::arg("bias"), py::arg("act_min"), py::arg("act_max"), py::arg("stride"), py::arg("pad"),
        py::arg("out_hw"), py::arg("isa"), py::arg("num_threads") = 1);
  t.def("depthwise_conv_f32", &testing::DepthwiseConvF32, py::arg("input"), py::arg("filter"),
        py::arg("bias"), py::arg("act_min"), py::arg("act_max"), py::arg("stride"),
        py::arg("dilation"), py::arg("pad"), py::arg("out_hw"), py::arg("isa"),
        py::arg("num_threads") = 1, py::arg("builtin_rounding") = false);
  t.def("f32_vmath", &testing::F32Vmath, py::arg("op"), py::arg("x"), py::arg("isa"));
  t.def("softmax_f32", &testing::SoftmaxF32Rows, py::arg("x"), py::arg("beta"), py::arg("isa"));
  t.def("f32_vmath_kernel", [](const std::string& isa) {  // name of the path's float maps
    return std::string(F32VmathConfigFor(ResolveIsa(isa.c_str())).name);
  });
  t.def("f32_vop", &testing::F32Vop, py::arg("op"), py::arg("x"), py::arg("y"), py::arg("lo"),
        py::arg("hi"), py::arg("isa"));
  t.def("max_pool_f32", &testing::MaxPoolF32, py::arg("x"), py::arg("filter"), py::arg("stride"),
        py::arg("pad"), py::arg("out_hw"), py::arg("lo"), py::arg("hi"), py::arg("isa"));
  t.def("resize_bilinear_f32", &testing::ResizeBilinearF32, py::arg("x"), py::arg("out_hw"),
        py::arg("align_corners"), py::arg("half_pixel_centers"), py::arg("isa"));
  // The load-time float16 conversion, against the scalar spec in the tests.
  t.def("half_to_float", [](const py::array_t<uint16_t, py::array::c_style | py::array::forcecast>& h) {
    py::array_t<float> out(h.size());
    Poison(out);
    HalfToFloatRow(h.data(), h.size(), out.mutable_data());
    return out;
  });
  t.def("f32_vops_kernel", [](const std::string& isa) {  // name of the path's elementwise kernels
    return std::string(F32VopsConfigFor(ResolveIsa(isa.c_str())).name);
  });
  t.def("fully_connected_f32", &testing::FullyConnectedF32, py::arg("a"), py::arg("b"),
        py::arg("bias"), py::arg("act_min"), py::arg("act_max"), py::arg("isa"),
        py::arg("num_threads") = 1, py::arg("builtin_rounding") = false);
  t.def(  // name of the path's float kernels
      "f32_gemm_kernel",
      [](const std::string& isa, bool builtin_rounding) {
        const Isa i = ResolveIsa(isa.c_str());
        return std::string(
            (builtin_rounding ? F32GemmBuiltinRoundingConfigFor(i) : F32GemmConfigFor(i)).name);
      },
      py::arg("isa"), py::arg("builtin_rounding") = false);
  t.def("hybrid_gemm", &testing::HybridGemm, py::arg("q"), py::arg("pad"), py::arg("zero_point"),
        py::arg("rows_per_batch"), py::arg("b"), py::arg("col_scale"), py::arg("bias"),
        py::arg("batch_scale"), py::arg("act_min"), py::arg("act_max"), py::arg("isa"),
        py::arg("num_threads") = 1, py::arg("whole_a") = false);
  t.def("depthwise_hybrid", &testing::DepthwiseHybrid, py::arg("q"), py::arg("zero_point"),
        py::arg("scale"), py::arg("filter"), py::arg("filter_scale"), py::arg("bias"),
        py::arg("act_min"), py::arg("act_max"), py::arg("stride"), py::arg("dilation"),
        py::arg("pad"), py::arg("out_hw"), py::arg("isa"), py::arg("num_threads") = 1);
  t.def(  // one float row quantized as a hybrid op does: (q, scale, zero_point)
      "hybrid_quantize_row",
      [](const F32& x, bool symmetric, const std::string& isa) {
        const Isa i = ResolveIsa(isa.c_str());
        py::array_t<int8_t> q(x.size());
        Poison(q);
        const int n = static_cast<int>(x.size());
        const RowQuantization r = symmetric ? SymmetricQuantizeRow(x.data(), n, q.mutable_data(), i)
                                            : AsymmetricQuantizeRow(x.data(), n, q.mutable_data(), i);
        return py::make_tuple(q, r.scale, r.zero_point);
      },
      py::arg("x"), py::arg("symmetric"), py::arg("isa"));
  t.def(  // the same as int16 levels minus the zero point: (q - zp, scale, zero_point)
      "hybrid_quantize_row_s16",
      [](const F32& x, bool symmetric, const std::string& isa) {
        const Isa i = ResolveIsa(isa.c_str());
        py::array_t<int16_t> q(x.size());
        Poison(q);
        const int n = static_cast<int>(x.size());
        const RowQuantization r = symmetric ? SymmetricQuantizeRow(x.data(), n, q.mutable_data(), i)
                                            : AsymmetricQuantizeRow(x.data(), n, q.mutable_data(), i);
        return py::make_tuple(q, r.scale, r.zero_point);
      },
      py::arg("x"), py::arg("symmetric"), py::arg("isa"));
  t.def("hybrid_gemm_kernel", [](const std::string& isa) {  // name of the path's hybrid GEMM
    return std::string(HybridGemmConfigFor(ResolveIsa(isa.c_str())).name);
  });
}

}  // namespace testing
}  // namespace pyrt
