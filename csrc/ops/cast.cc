// CAST: elementwise type conversion of stored values (quantization
// parameters are ignored, as TFLite does), kernels/reference/cast.h.
#include "kernels/reference/cast.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class CastOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    Tensor& out = output(0);
    PYRT_ENSURE(CastSupported(in.dtype) && CastSupported(out.dtype), label(),
                ": unsupported cast from input tensor ", in.index, " '", in.name, "' ",
                DTypeName(in.dtype), " to output tensor ", out.index, " '", out.name, "' ",
                DTypeName(out.dtype),
                " (supported: bool, int8, uint8, int16, uint16, int32, uint32, int64, float32)");
    SetOutputShape(out, in.shape);
  }
  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    Cast(in.dtype, in.data, output(0).dtype, output(0).data, in.num_elements());
  }
};

}  // namespace

std::unique_ptr<Op> MakeCast() { return std::make_unique<CastOp>(); }

}  // namespace pyrt
