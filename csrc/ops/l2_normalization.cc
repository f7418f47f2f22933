// L2_NORMALIZATION over the last axis, int8 and float32 (l2norm.cc). int8
// requires the output quantization TFLite requires: scale exactly 1/128,
// zero point 0. No fused activation (TFLite rejects any).
#include "kernels/reference/l2_norm.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class L2Normalization : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == DType::kInt8 || in.dtype == DType::kFloat32, label(),
                ": only int8 and float32 are supported, got ", DTypeName(in.dtype));
    RequireType(out, in.dtype, "output");
    PYRT_ENSURE(in.rank() >= 1, label(), ": input must have rank >= 1");
    PYRT_ENSURE(options<ArithmeticOptions>().activation == Activation::kNone, label(),
                ": fused activations are not supported (as in TFLite)");
    if (in.dtype == DType::kInt8) {
      RequirePerTensorQuant(in, "input");
      RequirePerTensorQuant(out, "output");
      PYRT_ENSURE(static_cast<double>(out.scale()) == 1. / 128 && out.zero_point() == 0, label(),
                  ": int8 output must have scale 1/128 and zero point 0, got scale ", out.scale(),
                  ", zero point ", out.zero_point());
    }
    depth_ = in.dim(in.rank() - 1);
    rows_ = depth_ > 0 ? in.num_elements() / depth_ : 0;
    SetOutputShape(out, in.shape);
  }

  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    if (in.dtype == DType::kInt8) {
      L2NormalizationS8(in.zero_point(), rows_, depth_, in.data_as<int8_t>(),
                        output(0).data_as<int8_t>());
    } else {
      L2NormalizationF32(rows_, depth_, in.data_as<float>(), output(0).data_as<float>());
    }
  }

 private:
  int depth_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakeL2Normalization() { return std::make_unique<L2Normalization>(); }

}  // namespace pyrt
