// HARD_SWISH, int8: TFLite's reference int16 fixed-point kernel. The
// multipliers are derived in float (as the reference's Prepare does), then
// quantized in double and narrowed to Q15. The output depends on one int8
// value only, so Prepare runs the kernel once over all 256 inputs and Eval
// looks results up in that table (identical results, a fraction of the work).
#include <limits>

#include "kernels/reference/activations_s8.h"
#include "ops/table_op.h"
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

class HardSwish : public TableOpS8 {
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
    HardSwishParams params;
    params.input_zero_point = in.zero_point();
    params.output_zero_point = out.zero_point();
    params.output_multiplier = DownScaleToInt16Multiplier(om.multiplier);
    params.output_exponent = om.shift;
    params.reluish_multiplier = DownScaleToInt16Multiplier(rm.multiplier);
    params.reluish_exponent = rm.shift;
    int8_t all_inputs[256];
    for (int v = 0; v < 256; ++v) all_inputs[v] = static_cast<int8_t>(v);  // lut index order
    int8_t lut[256];
    HardSwishS8(params, 256, all_inputs, lut);
    SetTable(lut);
    SetOutputShape(out, in.shape);
  }
};

}  // namespace

std::unique_ptr<Op> MakeHardSwish() { return std::make_unique<HardSwish>(); }

}  // namespace pyrt
