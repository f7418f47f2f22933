// QUANTIZE: float32 -> int8/uint8/int16 (per tensor), and requantization
// int8/uint8 -> int8/uint8, int16 -> int8/int16/int32, int32 -> int8/int16
// (TFLite reference kernels).
#include "core/unit_ranges.h"
#include "kernels/quantize_f32_kernel.h"
#include "kernels/reference/quantize.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

#include <type_traits>

namespace pyrt {
namespace {

class Quantize : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    RequirePerTensorQuant(out, "output");
    const DType i = in.dtype, o = out.dtype;
    if (i == DType::kFloat32) {
      if (o == DType::kInt8) eval_ = &Quantize::FromFloat<int8_t>;
      if (o == DType::kInt8) simd_s8_ = AffineQuantizeS8For(isa());
      if (o == DType::kUInt8) eval_ = &Quantize::FromFloat<uint8_t>;
      if (o == DType::kInt16) eval_ = &Quantize::FromFloat<int16_t>;
      if (o == DType::kInt16) simd_s16_ = AffineQuantizeS16For(isa());
    } else {
      RequirePerTensorQuant(in, "input");
      if (i == DType::kInt8 && o == DType::kInt8) eval_ = &Quantize::Requant<int8_t, int8_t>;
      if (i == DType::kInt8 && o == DType::kUInt8) eval_ = &Quantize::Requant<int8_t, uint8_t>;
      if (i == DType::kUInt8 && o == DType::kInt8) eval_ = &Quantize::Requant<uint8_t, int8_t>;
      if (i == DType::kUInt8 && o == DType::kUInt8) eval_ = &Quantize::Requant<uint8_t, uint8_t>;
      if (i == DType::kInt16 && o == DType::kInt8) eval_ = &Quantize::Requant<int16_t, int8_t>;
      // int32 <-> int16 and int32 -> int8: for applications with int32
      // quantized inputs or outputs (tflite-micro's keyword and SEANet models).
      if (i == DType::kInt16 && o == DType::kInt32) eval_ = &Quantize::Requant<int16_t, int32_t>;
      if (i == DType::kInt32 && o == DType::kInt16) eval_ = &Quantize::Requant<int32_t, int16_t>;
      if (i == DType::kInt32 && o == DType::kInt8) eval_ = &Quantize::Requant<int32_t, int8_t>;
      if (i == DType::kInt16 && o == DType::kInt16) {
        PYRT_ENSURE(in.zero_point() == 0 && out.zero_point() == 0, label(),
                    ": int16 -> int16 requantization needs zero points 0, got ", in.zero_point(),
                    " and ", out.zero_point());
        eval_ = &Quantize::Requant<int16_t, int16_t>;
      }
      if (eval_) {
        const double real = static_cast<double>(in.scale()) / static_cast<double>(out.scale());
        multiplier_ = QuantizeMultiplier(real, label());
      }
    }
    PYRT_ENSURE(eval_ != nullptr, label(), ": ", DTypeName(i), " -> ", DTypeName(o),
                " is not supported");
    SetOutputShape(out, in.shape);
  }

  void Eval(const EvalContext& ctx) override { (this->*eval_)(ctx.pool); }

 private:
  // A float model input of an int8 model (a 224x224x3 image: 10 us on one
  // thread) in slices across the threads; elementwise, so the same bytes.
  template <typename OutT>
  void FromFloat(ThreadPool* pool) {
    const float* x = input(0).data_as<float>();
    Tensor& out = output(0);
    OutT* y = out.data_as<OutT>();
    const float scale = out.scale();
    const int32_t zp = out.zero_point();
    const int64_t n = input(0).num_elements();
    ParallelSlices(pool, n, kMinElementsPerSlice, [&](int64_t begin, int64_t end) {
      if constexpr (std::is_same_v<OutT, int8_t>) {
        if (simd_s8_) return simd_s8_(x + begin, end - begin, scale, zp, y + begin);
      }
      if constexpr (std::is_same_v<OutT, int16_t>) {
        if (simd_s16_) return simd_s16_(x + begin, end - begin, scale, zp, y + begin);
      }
      AffineQuantize(x + begin, end - begin, scale, zp, y + begin);
    });
  }

  template <typename InT, typename OutT>
  void Requant(ThreadPool*) {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    Requantize(in.data_as<InT>(), in.num_elements(), multiplier_.multiplier, multiplier_.shift,
               in.zero_point(), out.zero_point(), out.data_as<OutT>());
  }

  static constexpr int64_t kMinElementsPerSlice = 32768;
  void (Quantize::*eval_)(ThreadPool*) = nullptr;
  AffineQuantizeS8Fn simd_s8_ = nullptr;    // float -> int8 on a SIMD path
  AffineQuantizeS16Fn simd_s16_ = nullptr;  // float -> int16 on a SIMD path
  QuantizedMultiplier multiplier_;
};

}  // namespace

std::unique_ptr<Op> MakeQuantize() { return std::make_unique<Quantize>(); }

}  // namespace pyrt
