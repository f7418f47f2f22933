// HARD_SWISH, int8: TFLite's reference int16 fixed-point kernel. The
// multipliers are derived in float (as the reference's Prepare does), then
// quantized in double and narrowed to Q15. The output depends on one int8
// value only, so Prepare runs the kernel once over all 256 inputs and Eval
// looks results up in that table (identical results, a fraction of the work).
#include <limits>

#include "kernels/lut_s8_kernel.h"
#include "kernels/reference/activations_s8.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Q31 -> Q15 multiplier, rounding, saturating at 32767 (TFLite
// DownScaleInt32ToInt16Multiplier).
int16_t DownScaleToInt16Multiplier(int32_t m) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (m >= std::numeric_limits<int32_t>::max() - kRoundingOffset) return 32767;
  return static_cast<int16_t>((m + kRoundingOffset) >> 16);
}

class HardSwish : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == DType::kInt8, label(), ": only int8 is supported, got ",
                DTypeName(in.dtype));
    RequireType(out, in.dtype, "output");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");

    const float hires_input_scale = (1.0f / 128.0f) * in.scale();
    const float reluish_scale = 3.0f / 32768.0f;
    const float output_multiplier = hires_input_scale / out.scale();
    const float reluish_multiplier = hires_input_scale / reluish_scale;
    const QuantizedMultiplier om = QuantizeMultiplier(output_multiplier, label() + " output");
    PYRT_ENSURE(om.shift <= 0, label(), ": input scale / (128 * output scale) = ",
                output_multiplier, " must be < 1");
    const QuantizedMultiplier rm = QuantizeMultiplier(reluish_multiplier, label() + " reluish");
    params_.input_zero_point = in.zero_point();
    params_.output_zero_point = out.zero_point();
    params_.output_multiplier = DownScaleToInt16Multiplier(om.multiplier);
    params_.output_exponent = om.shift;
    params_.reluish_multiplier = DownScaleToInt16Multiplier(rm.multiplier);
    params_.reluish_exponent = rm.shift;
    int8_t all_inputs[256];
    for (int v = 0; v < 256; ++v) all_inputs[v] = static_cast<int8_t>(v);  // lut index order
    int8_t lut[256];
    HardSwishS8(params_, 256, all_inputs, lut);
    kernel_.Init(isa(), lut);
    SetOutputShape(out, in.shape);
  }

  void Eval(const EvalContext& ctx) override {
    const Tensor& in = input(0);
    kernel_.Run(in.num_elements(), in.data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.pool);
  }

  const int8_t* UnaryLutS8() const override { return kernel_.lut(); }

 private:
  HardSwishParams params_;
  LutS8Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeHardSwish() { return std::make_unique<HardSwish>(); }

}  // namespace pyrt
