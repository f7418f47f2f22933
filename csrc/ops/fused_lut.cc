#include "ops/fused_lut.h"

#include <cstring>

#include "kernels/lut_s8_kernel.h"

namespace pyrt {
namespace {

class FusedLutS8 : public Op {
 public:
  explicit FusedLutS8(const int8_t lut[256]) { std::memcpy(lut_, lut, sizeof(lut_)); }

  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    RequireType(input(0), DType::kInt8, "input");
    RequireType(output(0), DType::kInt8, "output");
    PYRT_ENSURE(input(0).shape == output(0).shape, label(), ": fused input and output shapes "
                "differ: ", ShapeToString(input(0).shape), " vs ", ShapeToString(output(0).shape));
    kernel_.Init(isa(), lut_);
  }

  void Eval(const EvalContext& ctx) override {
    const Tensor& in = input(0);
    kernel_.Run(in.num_elements(), in.data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.pool);
  }

  const int8_t* UnaryLutS8() const override { return kernel_.lut(); }

 private:
  int8_t lut_[256];
  LutS8Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeFusedLutS8(const int8_t lut[256]) {
  return std::make_unique<FusedLutS8>(lut);
}

}  // namespace pyrt
