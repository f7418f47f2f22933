// LOGISTIC, int8: TFLite's reference builds a 256-entry table at Prepare
// with float math (std::exp on float), so we do exactly the same.
#include <cmath>

#include "kernels/reference/activations_s8.h"
#include "ops/table_op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

class Logistic : public TableOpS8 {
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
    // Exact comparison, as the reference does; its output zero point is free.
    PYRT_ENSURE(static_cast<double>(out.scale()) == 1.0 / 256, label(),
                ": output scale must be exactly 1/256, got ", out.scale());
    int8_t lut[256];
    BuildLutS8(in.scale(), in.zero_point(), out.scale(), out.zero_point(), Sigmoid, lut);
    SetTable(lut);
    SetOutputShape(out, in.shape);
  }
};

}  // namespace

std::unique_ptr<Op> MakeLogistic() { return std::make_unique<Logistic>(); }

}  // namespace pyrt
