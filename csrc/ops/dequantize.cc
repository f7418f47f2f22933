// DEQUANTIZE: int8/uint8/int16 (per tensor) -> float32, TFLite reference;
// float16 -> float32 (float16-weight models: the weights are constants, so
// the interpreter folds these ops at Prepare and they never run at invoke).
#include "kernels/reference/float16.h"
#include "kernels/reference/quantize.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Dequantize : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    Tensor& in = input(0);
    Tensor& out = output(0);
    RequireType(out, DType::kFloat32, "output");
    SetOutputShape(out, in.shape);
    if (in.dtype == DType::kFloat16) {
      eval_ = &Dequantize::RunHalf;
      return;
    }
    switch (in.dtype) {
      case DType::kInt8: eval_ = &Dequantize::Run<int8_t>; break;
      case DType::kUInt8: eval_ = &Dequantize::Run<uint8_t>; break;
      case DType::kInt16: eval_ = &Dequantize::Run<int16_t>; break;
      default:
        ThrowModelError(label(), ": input type ", DTypeName(in.dtype), " is not supported");
    }
    RequirePerTensorQuant(in, "input");
    // The pinned reference only dequantizes symmetric int16.
    PYRT_ENSURE(in.dtype != DType::kInt16 || in.zero_point() == 0, label(),
                ": int16 input needs zero point 0, got ", in.zero_point());
  }

  void Eval(const EvalContext&) override { (this->*eval_)(); }

 private:
  template <typename InT>
  void Run() {
    const Tensor& in = input(0);
    DequantizeToFloat(in.data_as<InT>(), in.num_elements(), in.scale(), in.zero_point(),
                      output(0).data_as<float>());
  }

  void RunHalf() {
    const Tensor& in = input(0);
    HalfToFloat(in.data_as<uint16_t>(), in.num_elements(), output(0).data_as<float>());
  }

  void (Dequantize::*eval_)() = nullptr;
};

}  // namespace

std::unique_ptr<Op> MakeDequantize() { return std::make_unique<Dequantize>(); }

}  // namespace pyrt
