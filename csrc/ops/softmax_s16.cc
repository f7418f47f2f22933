// SOFTMAX, int16 in / int16 out (16x8 models): TFLite's reference
// SoftmaxInt16, with the exp and 1/(1+x) tables built at Prepare exactly as
// the reference builds them (double, 513 entries).
#include <cmath>

#include "kernels/reference/softmax_s16.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/lut_s16.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

double Exp(double v) { return std::exp(v); }
double OneOverOnePlusX(double v) { return 1.0 / (1.0 + v); }

class Softmax16 : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    RequireType(in, DType::kInt16, "input");
    RequireType(out, DType::kInt16, "output");
    // The reference supports ranks 1 to 4 for int16.
    PYRT_ENSURE(in.rank() >= 1 && in.rank() <= 4, label(), ": int16 input must have rank 1 to 4, got ",
                in.rank());
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    PYRT_ENSURE(in.zero_point() == 0 && out.zero_point() == 0, label(),
                ": int16 input and output need zero point 0, got ", in.zero_point(), " and ",
                out.zero_point());
    const float scale_error = std::fabs(out.scale() - 1.f / 32768);
    PYRT_ENSURE(scale_error <= 0.001f * 1.f / 32768, label(),
                ": output scale must be 1/32768, got ", out.scale());
    depth_ = in.dim(in.rank() - 1);
    // Keeps the int32 sum of exps (each <= 32767) from overflowing.
    PYRT_ENSURE(depth_ < 65536, label(), ": last dimension ", depth_, " is too large");
    rows_ = depth_ > 0 ? in.num_elements() / depth_ : 0;

    // s_in * beta is a float product in the reference, then widened.
    const float scale_beta = in.scale() * options<SoftmaxOptions>().beta;
    const QuantizedMultiplier q =
        QuantizeMultiplier(static_cast<double>(scale_beta) / (10.0 / 65535.0), label());
    const double range = 65535.0;
    PopulateLutS16(10.0 / range, 32767, 2.0 / range, 0, &Exp, exp_lut_);
    PopulateLutS16(1.0 / range, -32768, 2.0 / range, 0, &OneOverOnePlusX, reciprocal_lut_);
    params_ = SoftmaxS16Params{q.multiplier, q.shift, exp_lut_, reciprocal_lut_};
    SetOutputShape(out, in.shape);
  }

  void Eval(const EvalContext&) override {
    SoftmaxS16(params_, input(0).data_as<int16_t>(), output(0).data_as<int16_t>(), rows_, depth_);
  }

 private:
  int16_t exp_lut_[kLutS16Size];
  int16_t reciprocal_lut_[kLutS16Size];
  SoftmaxS16Params params_;
  int depth_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakeSoftmaxS16() { return std::make_unique<Softmax16>(); }

}  // namespace pyrt
