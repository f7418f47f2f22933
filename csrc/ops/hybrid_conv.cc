// Hybrid CONV_2D and DEPTHWISE_CONV_2D (float32 input/output, int8 weights),
// reproducing LiteRT's builtin (optimized) x86 kernels bit for bit:
// - CONV_2D with differing per-channel scales (EvalHybridPerChannel) and
//   DEPTHWISE_CONV_2D quantize each image asymmetrically; CONV_2D with one
//   scale (or all equal, EvalHybrid) quantizes each image symmetrically.
// - The integer dot products are exact (kernels/hybrid_gemm.h,
//   kernels/depthwise_hybrid_kernel.h hold the float epilogues).
#include <cstring>

#include "kernels/depthwise_hybrid_kernel.h"
#include "ops/activation_range.h"
#include "kernels/hybrid_gemm.h"
#include "ops/conv_common.h"
#include "ops/hybrid_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "kernels/hybrid_quant.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

constexpr int64_t kMaxFilterVolume = int64_t{1} << 20;

// Input quantization shared by both ops: one RowQuantization per image.
class HybridConvBase : public Op {
 protected:
  void CheckTensors() {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    RequireType(input(0), DType::kFloat32, "input");
    RequireType(input(1), DType::kInt8, "filter");
    RequireType(output(0), DType::kFloat32, "output");
    PYRT_ENSURE(input(1).rank() == 4, label(), ": filter must be 4-D, got ",
                ShapeToString(input(1).shape));
  }
  // Scratch: [quantized images][per-image quantization][batch scales]
  // [batch zero points][kernel]; value_bytes: 1 (int8 levels) or 2 (int16
  // levels minus the zero point).
  void LayoutScratch(const ConvGeometry& g, size_t kernel_bytes, size_t value_bytes = 1) {
    image_size_ = static_cast<size_t>(g.in_h) * g.in_w * g.in_c;
    PYRT_ENSURE(image_size_ < (size_t{1} << 31), label(), ": input image of ", image_size_,
                " values is too large for on-the-fly quantization");
    batch_ = g.batch;
    rq_offset_ = AlignScratch(image_size_ * g.batch * value_bytes);
    scale_offset_ = rq_offset_ + AlignScratch(sizeof(RowQuantization) * g.batch);
    zp_offset_ = scale_offset_ + AlignScratch(sizeof(float) * g.batch);
    kernel_offset_ = zp_offset_ + AlignScratch(sizeof(int32_t) * g.batch);
    scratch_bytes_ = kernel_offset_ + kernel_bytes;
  }
  // Quantizes every image; returns the quantized input (in scratch): int8
  // levels, or int16 levels minus the image's zero point.
  template <typename T = int8_t>
  const T* QuantizeImages(const EvalContext& ctx, bool asymmetric) const {
    const float* x = input(0).data_as<float>();
    T* q = reinterpret_cast<T*>(ctx.scratch);
    for (int b = 0; b < batch_; ++b) {
      const size_t off = image_size_ * b;
      const int n = static_cast<int>(image_size_);
      rq()[b] = asymmetric ? AsymmetricQuantizeRow(x + off, n, q + off, isa())
                           : SymmetricQuantizeRow(x + off, n, q + off, isa());
      scales()[b] = rq()[b].scale;
      zero_points()[b] = rq()[b].zero_point;
    }
    return q;
  }
  RowQuantization* rq() const { return reinterpret_cast<RowQuantization*>(scratch_ + rq_offset_); }
  float* scales() const { return reinterpret_cast<float*>(scratch_ + scale_offset_); }
  int32_t* zero_points() const { return reinterpret_cast<int32_t*>(scratch_ + zp_offset_); }
  uint8_t* kernel_scratch() const { return scratch_ + kernel_offset_; }

  uint8_t* scratch_ = nullptr;  // set at each Eval
  size_t image_size_ = 0, rq_offset_ = 0, scale_offset_ = 0, zp_offset_ = 0, kernel_offset_ = 0;
  int batch_ = 0;
};

class Conv2DHybrid : public HybridConvBase {
 public:
  void Prepare() override {
    CheckTensors();
    const Tensor& filter = input(1);
    const ConvOptions& o = options<ConvOptions>();
    PYRT_ENSURE(input(0).rank() == 4, label(), ": input must be 4-D, got ",
                ShapeToString(input(0).shape));
    g_ = WindowGeometry(o, input(0).shape, filter.dim(1), filter.dim(2), label());
    g_.out_c = filter.dim(0);
    PYRT_ENSURE(filter.dim(3) == g_.in_c, label(), ": filter depth ", filter.dim(3),
                " differs from input depth ", g_.in_c, " (grouped convolution is not supported)");
    K_ = g_.filter_h * g_.filter_w * g_.in_c;
    PYRT_ENSURE(K_ > 0 && K_ < kMaxFilterVolume, label(), ": filter volume ", K_,
                " is not supported");
    SetOutputShape(output(0), {g_.batch, g_.out_h, g_.out_w, g_.out_c});
    const std::vector<float> scales = HybridFilterScales(filter, g_.out_c, 0, label());
    asymmetric_ = ScalesDiffer(filter);
    pointwise_ = g_.filter_h == 1 && g_.filter_w == 1 && g_.stride_h == 1 && g_.stride_w == 1 &&
                 g_.pad_top == 0 && g_.pad_left == 0 && g_.out_h == g_.in_h && g_.out_w == g_.in_w;
    float lo, hi;
    FloatActivationRange(o.activation, &lo, &hi, label());
    gemm_.Init(isa(), g_.out_c, K_, filter.data_as<int8_t>(), scales.data(),
               HybridBias(optional_input(2), g_.out_c, label()), lo, hi);
    // Pointwise rows of A are the input pixels: quantized straight into the
    // GEMM's int16 form, nothing to pack.
    direct_ = pointwise_ && gemm_.input() == HybridGemmInput::kS16 && gemm_.kp() == K_;
    if (direct_) {
      LayoutScratch(g_, 0, sizeof(int16_t));
    } else {
      LayoutScratch(g_, gemm_.ScratchBytes(M()));
    }
  }

  void Eval(const EvalContext& ctx) override {
    scratch_ = ctx.scratch;
    if (direct_) {
      const int16_t* a = QuantizeImages<int16_t>(ctx, asymmetric_);
      gemm_.RunPacked(M(), a, scales(), zero_points(), g_.out_h * g_.out_w,
                      output(0).data_as<float>(), static_cast<size_t>(g_.out_c), ctx.pool);
      return;
    }
    const int8_t* q = QuantizeImages(ctx, asymmetric_);
    if (gemm_.input() == HybridGemmInput::kU8Offset128) {
      // The GEMM reads q + 128: flip the sign bits once here, so packing
      // rows is copying bytes (PackRows<uint8_t>).
      uint8_t* u = reinterpret_cast<uint8_t*>(scratch_);
      const size_t n = image_size_ * batch_;
      for (size_t i = 0; i < n; ++i) u[i] ^= 0x80;
    }
    gemm_.Run(
        M(), [&](int m0, int count, auto* dst) { PackRows(q, m0, count, dst); }, scales(),
        zero_points(), g_.out_h * g_.out_w, output(0).data_as<float>(),
        static_cast<size_t>(g_.out_c), kernel_scratch(), ctx.pool);
  }

 private:
  int M() const { return g_.batch * g_.out_h * g_.out_w; }
  template <typename T>
  void PackRows(const int8_t* q, int m0, int count, T* dst) const;

  ConvGeometry g_{};
  int K_ = 0;
  bool asymmetric_ = false;
  bool pointwise_ = false;  // 1x1, stride 1, no padding: rows of A are input pixels
  bool direct_ = false;     // pointwise with int16 rows of K values: A is the quantized input
  PackedHybridGemm gemm_;
};

// Rows m0.. of the im2col matrix (row = output pixel, taps fy, fx, c) in
// the GEMM's HybridA<T> form with the zero point of the row's image;
// padding taps stand for q = zero point (LiteRT pads with the zero point and
// subtracts zero_point * row sums: the same integers).
template <typename T>
void Conv2DHybrid::PackRows(const int8_t* q, int m0, int count, T* dst) const {
  const ConvGeometry& g = g_;
  const int pixels = g.out_h * g.out_w, kp = gemm_.kp();
  if constexpr (sizeof(T) == 1) {
    // Byte formats: q already holds HybridA<T>::From(q) (Eval flips the sign
    // bits for uint8; int8 is q itself), so rows are byte copies.
    const T* u = reinterpret_cast<const T*>(q);
    if (pointwise_ && kp == K_) {
      std::memcpy(dst, u + static_cast<size_t>(m0) * K_, static_cast<size_t>(count) * K_);
      return;
    }
    for (int r = 0; r < count; ++r) {
      const int m = m0 + r, b = m / pixels, p = m % pixels;
      const int oy = p / g.out_w, ox = p % g.out_w;
      const T pad = HybridA<T>::Pad(rq()[b].zero_point);
      const T* image = u + image_size_ * b;
      T* row = dst + static_cast<size_t>(r) * kp;
      std::memset(row + K_, 0, kp - K_);
      for (int fy = 0; fy < g.filter_h; ++fy) {
        const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
        for (int fx = 0; fx < g.filter_w; ++fx) {
          const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
          T* out = row + (fy * g.filter_w + fx) * g.in_c;
          if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
            std::memset(out, pad, g.in_c);
          } else {
            std::memcpy(out, image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c, g.in_c);
          }
        }
      }
    }
    return;
  }
  for (int r = 0; r < count; ++r) {
    const int m = m0 + r, b = m / pixels, p = m % pixels;
    const int oy = p / g.out_w, ox = p % g.out_w;
    const int32_t zp = rq()[b].zero_point;
    const T pad = HybridA<T>::Pad(zp);
    const int8_t* image = q + image_size_ * b;
    T* row = dst + static_cast<size_t>(r) * kp;
    std::fill(row + K_, row + kp, T{0});
    for (int fy = 0; fy < g.filter_h; ++fy) {
      const int iy = oy * g.stride_h - g.pad_top + fy * g.dilation_h;
      for (int fx = 0; fx < g.filter_w; ++fx) {
        const int ix = ox * g.stride_w - g.pad_left + fx * g.dilation_w;
        T* out = row + (fy * g.filter_w + fx) * g.in_c;
        if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
          std::fill(out, out + g.in_c, pad);
          continue;
        }
        const int8_t* in = image + (static_cast<size_t>(iy) * g.in_w + ix) * g.in_c;
        for (int c = 0; c < g.in_c; ++c) out[c] = HybridA<T>::From(in[c], zp);
      }
    }
  }
}

class DepthwiseConv2DHybrid : public HybridConvBase {
 public:
  void Prepare() override {
    CheckTensors();
    const Tensor& filter = input(1);
    const ConvOptions& o = options<ConvOptions>();
    PYRT_ENSURE(filter.dim(0) == 1, label(), ": filter must be [1, h, w, c], got ",
                ShapeToString(filter.shape));
    PYRT_ENSURE(input(0).rank() == 4, label(), ": input must be 4-D, got ",
                ShapeToString(input(0).shape));
    ConvGeometry g = WindowGeometry(o, input(0).shape, filter.dim(1), filter.dim(2), label());
    g.out_c = filter.dim(3);
    PYRT_ENSURE(g.in_c > 0 && g.out_c % g.in_c == 0, label(), ": filter depth ", g.out_c,
                " is not a multiple of input depth ", g.in_c);
    // int32 sums of taps * 127 * 255 stay exact.
    PYRT_ENSURE(int64_t{g.filter_h} * g.filter_w <= (int64_t{1} << 16), label(), ": filter of ",
                g.filter_h, "x", g.filter_w, " taps is too large");
    SetOutputShape(output(0), {g.batch, g.out_h, g.out_w, g.out_c});
    const std::vector<float> scales = HybridFilterScales(filter, g.out_c, 3, label());
    float lo, hi;
    FloatActivationRange(o.activation, &lo, &hi, label());
    kernel_.Init(isa(), g, g.out_c / g.in_c, filter.data_as<int8_t>(), scales.data(),
                 HybridBias(optional_input(2), g.out_c, label()), lo, hi);
    LayoutScratch(g, kernel_.ScratchBytes());
  }

  void Eval(const EvalContext& ctx) override {
    scratch_ = ctx.scratch;
    const int8_t* q = QuantizeImages(ctx, /*asymmetric=*/true);
    kernel_.Run(q, rq(), output(0).data_as<float>(), kernel_scratch(), ctx.pool);
  }

 private:
  DepthwiseHybridKernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeConv2DHybrid() { return std::make_unique<Conv2DHybrid>(); }
std::unique_ptr<Op> MakeDepthwiseConv2DHybrid() {
  return std::make_unique<DepthwiseConv2DHybrid>();
}

}  // namespace pyrt
