// SOFTMAX, int8 in / int8 or int16 out: TFLite's reference (gemmlowp fixed point)
// path, its exp tabulated per int8 difference at Prepare. Prepare rejects with ModelError everything the reference would
// reject or abort on (TFLITE_CHECKs in PreprocessSoftmaxScaling).
#include <algorithm>
#include <cmath>

#include "kernels/reference/softmax_s8.h"
#include "kernels/softmax_s8/softmax_s8_table.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

constexpr int kScaledDiffIntegerBits = 5;

// floor(31 * 2^26 / 2^left_shift): the largest |x - max| whose rescaled
// value still fits the Q5 exp() input (TFLite CalculateInputRadius).
int32_t InputRadius(int left_shift) {
  const double max_rescaled = static_cast<double>((1 << kScaledDiffIntegerBits) - 1) *
                              static_cast<double>(int64_t{1} << (31 - kScaledDiffIntegerBits)) /
                              static_cast<double>(int64_t{1} << left_shift);
  return static_cast<int32_t>(std::floor(max_rescaled));
}

class Softmax : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == DType::kInt8 && (out.dtype == DType::kInt8 || out.dtype == DType::kInt16), label(),
                ": only int8 input with int8 or int16 output is supported, got ", DTypeName(in.dtype), " -> ",
                DTypeName(out.dtype));
    PYRT_ENSURE(in.rank() >= 1, label(), ": input must have rank >= 1");
    RequirePerTensorQuant(in, "input");
    out_s16_ = out.dtype == DType::kInt16;
    if (!out_s16_) {  // the reference checks no int16 output parameters for int8 input
      RequirePerTensorQuant(out, "output");
      PYRT_ENSURE(out.zero_point() == -128, label(), ": output zero point must be -128, got ",
                  out.zero_point());
      // Float tolerance check, as TF_LITE_ENSURE_NEAR does it.
      const float scale_error = std::fabs(out.scale() - 1.f / 256);
      PYRT_ENSURE(scale_error <= 0.001f * 1.f / 256, label(), ": output scale must be 1/256, got ",
                  out.scale());
    }

    // PreprocessSoftmaxScaling: beta * s_in * 2^26 in double, capped.
    const double beta = options<SoftmaxOptions>().beta;
    const double real = std::min(beta * static_cast<double>(in.scale()) *
                                     static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
                                 static_cast<double>((int64_t{1} << 31) - 1));
    PYRT_ENSURE(real > 1.0, label(), ": beta (", beta, ") * input scale (", in.scale(),
                ") * 2^26 = ", real, " must be > 1");
    const QuantizedMultiplier q = QuantizeMultiplierGreaterThanOne(real, label());
    params_.input_multiplier = q.multiplier;
    params_.input_left_shift = q.shift;
    params_.diff_min = -InputRadius(q.shift);
    table_ = BuildSoftmaxS8Table(params_);  // the exp of every int8 difference
    tabulated_ = SoftmaxS8TabulatedFor(isa());

    depth_ = in.dim(in.rank() - 1);
    rows_ = depth_ > 0 ? in.num_elements() / depth_ : 0;
    SetOutputShape(out, in.shape);
  }

  void Eval(const EvalContext&) override {
    if (out_s16_) {  // int8 -> int16 (tflite-micro's keyword model): untabulated
      SoftmaxS8ToS16(params_, rows_, depth_, input(0).data_as<int8_t>(), output(0).data_as<int16_t>());
      return;
    }
    tabulated_(table_, rows_, depth_, input(0).data_as<int8_t>(), output(0).data_as<int8_t>());
  }

 private:
  SoftmaxS8Params params_;
  SoftmaxS8Table table_;
  SoftmaxS8TabulatedFn tabulated_ = SoftmaxS8Tabulated;
  bool out_s16_ = false;
  int depth_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakeSoftmax() { return std::make_unique<Softmax>(); }

}  // namespace pyrt
