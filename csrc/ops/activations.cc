// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, TANH and GELU on int8. Each output
// is a function of one input value, so Prepare tabulates the reference
// arithmetic over the 256 int8 values (TableOpS8; the fusion pass can merge
// the table). RELU* and LEAKY_RELU requantize with QuantizeMultiplier of
// float scale ratios (activations.cc ReluPrepare / LeakyReluPrepare); TANH
// and GELU are LUTPopulate tables built with float math.
#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/reference/activations_s8.h"
#include "kernels/reference/unary_f32.h"
#include "kernels/reference/unary_s8.h"
#include "ops/registry.h"
#include "ops/unary_table_op.h"
#include "quant/float_cast.h"
#include "quant/gemmlowp_math.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// zp + int32(roundf(limit / scale)) in float, as QuantizedReluX (int32 add,
// wrapping as on x86-64 for absurd scales).
int32_t QuantizeLimit(float limit, const Tensor& out) {
  return WrappingAdd(out.zero_point(), FloatToInt32LikeX86(std::round(limit / out.scale())));
}

class ReluX : public UnaryTableS8 {
 public:
  ReluX(float lo, float hi) : lo_(lo), hi_(hi) {}

 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    // The ratio is taken in float, then widened.
    const float ratio = in.scale() / out.scale();
    const QuantizedMultiplier q = QuantizeMultiplier(ratio, label() + " input/output scale");
    ReluXParams p;
    p.input_zero_point = in.zero_point();
    p.output_zero_point = out.zero_point();
    p.multiplier = q.multiplier;
    p.shift = q.shift;
    p.act_min = std::max(-128, QuantizeLimit(lo_, out));
    p.act_max = std::isinf(hi_) ? 127 : std::min(127, QuantizeLimit(hi_, out));
    TabulateS8([&p](int8_t v) { return ReluXS8(p, v); }, lut);
  }

 private:
  float lo_, hi_;
};

class LeakyRelu : public UnaryTableS8 {
 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    const float alpha = options<LeakyReluOptions>().alpha;
    // Both products / ratios are float expressions widened to double.
    const float alpha_ratio = in.scale() * alpha / out.scale();
    const float identity_ratio = in.scale() / out.scale();
    const QuantizedMultiplier qa = QuantizeMultiplier(alpha_ratio, label() + " alpha");
    const QuantizedMultiplier qi = QuantizeMultiplier(identity_ratio, label() + " identity");
    LeakyReluParams p;
    p.input_zero_point = in.zero_point();
    p.output_zero_point = out.zero_point();
    p.alpha_multiplier = qa.multiplier;
    p.alpha_shift = qa.shift;
    p.identity_multiplier = qi.multiplier;
    p.identity_shift = qi.shift;
    TabulateS8([&p](int8_t v) { return LeakyReluS8(p, v); }, lut);
  }
};

float TanhF(float x) { return std::tanh(x); }

using FloatFn = float (*)(float);

// LUTPopulate table of a float function.
class FloatLut : public UnaryTableS8 {
 public:
  explicit FloatLut(FloatFn f) : f_(f) {}

 protected:
  void BuildTable(const Tensor& in, const Tensor& out, int8_t lut[256]) override {
    BuildLutS8(in.scale(), in.zero_point(), out.scale(), out.zero_point(), Function(), lut);
  }
  virtual FloatFn Function() const { return f_; }

 private:
  FloatFn f_;
};

class Gelu : public FloatLut {
 public:
  Gelu() : FloatLut(nullptr) {}

 protected:
  FloatFn Function() const override {
    return options<GeluOptions>().approximate ? GeluApprox : GeluExact;
  }
};

}  // namespace

std::unique_ptr<Op> MakeRelu() {
  return std::make_unique<ReluX>(0.f, std::numeric_limits<float>::infinity());
}
std::unique_ptr<Op> MakeRelu6() { return std::make_unique<ReluX>(0.f, 6.f); }
std::unique_ptr<Op> MakeReluN1To1() { return std::make_unique<ReluX>(-1.f, 1.f); }
std::unique_ptr<Op> MakeLeakyRelu() { return std::make_unique<LeakyRelu>(); }
std::unique_ptr<Op> MakeTanh() { return std::make_unique<FloatLut>(TanhF); }
std::unique_ptr<Op> MakeGelu() { return std::make_unique<Gelu>(); }
// RELU_0_TO_1 is QuantizedReluX(0, 1); ELU's int8 kernel is a LUTPopulate
// table of x < 0 ? expm1(x) : x (activations.cc EluPrepare).
std::unique_ptr<Op> MakeRelu0To1() { return std::make_unique<ReluX>(0.f, 1.f); }
std::unique_ptr<Op> MakeElu() {
  return std::make_unique<FloatLut>([](float x) { return x < 0.f ? std::expm1(x) : x; });
}

}  // namespace pyrt
