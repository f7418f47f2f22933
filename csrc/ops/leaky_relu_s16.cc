// LEAKY_RELU, int16 in / int16 out (16x8 models; tflite-micro's SEANet
// integration models): LeakyReluPrepare's two multipliers (float products
// widened to double, as the int8 version) and zero points 0, which the
// reference requires for int16.
#include "kernels/reference/leaky_relu_s16.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class LeakyReluS16Op : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    RequireType(in, DType::kInt16, "input");
    RequireType(out, DType::kInt16, "output");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    PYRT_ENSURE(in.zero_point() == 0 && out.zero_point() == 0, label(),
                ": int16 input and output need zero point 0, got ", in.zero_point(), " and ",
                out.zero_point());
    const float alpha = options<LeakyReluOptions>().alpha;
    const float alpha_ratio = in.scale() * alpha / out.scale();
    const float identity_ratio = in.scale() / out.scale();
    const QuantizedMultiplier qa = QuantizeMultiplier(alpha_ratio, label() + " alpha");
    const QuantizedMultiplier qi = QuantizeMultiplier(identity_ratio, label() + " identity");
    params_ = LeakyReluParams{};
    params_.alpha_multiplier = qa.multiplier;
    params_.alpha_shift = qa.shift;
    params_.identity_multiplier = qi.multiplier;
    params_.identity_shift = qi.shift;
    SetOutputShape(out, in.shape);
  }

  void Eval(const EvalContext&) override {
    LeakyReluS16(params_, input(0).data_as<int16_t>(), output(0).data_as<int16_t>(), input(0).num_elements());
  }

 private:
  LeakyReluParams params_;
};

}  // namespace

std::unique_ptr<Op> MakeLeakyReluS16() { return std::make_unique<LeakyReluS16Op>(); }

}  // namespace pyrt
