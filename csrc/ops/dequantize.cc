// DEQUANTIZE: int8/uint8/int16 (per tensor) and int8 per channel -> float32,
// TFLite reference;
// float16 -> float32 (float16-weight models: the weights are constants, so
// the interpreter folds these ops at Prepare and they never run at invoke).
#include "kernels/half_to_float.h"
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
    if (in.dtype == DType::kInt8 && in.quant.per_channel()) {
      // PerChannelDequantize: scale[c] * (q - zp[c]) along quantized_dimension.
      const int axis = in.quant.quantized_dimension;
      PYRT_ENSURE(axis >= 0 && axis < in.rank() &&
                      static_cast<int64_t>(in.quant.scale.size()) == in.dim(axis) &&
                      in.quant.zero_point.size() == in.quant.scale.size(),
                  label(), ": input ", in.name, " has ", in.quant.scale.size(),
                  " scales for quantized dimension ", axis, " of shape ", ShapeToString(in.shape));
      channels_ = in.dim(axis);
      inner_ = 1;
      for (int d = axis + 1; d < in.rank(); ++d) inner_ *= in.dim(d);
      outer_ = channels_ * inner_ > 0 ? in.num_elements() / (channels_ * inner_) : 0;
      eval_ = &Dequantize::RunPerChannel;
      return;
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

  void RunPerChannel() {
    const Tensor& in = input(0);
    const int8_t* x = in.data_as<int8_t>();
    float* y = output(0).data_as<float>();
    for (int64_t o = 0; o < outer_; ++o) {
      for (int64_t c = 0; c < channels_; ++c) {
        const int64_t at = (o * channels_ + c) * inner_;
        DequantizeToFloat(x + at, inner_, in.quant.scale[c], static_cast<int32_t>(in.quant.zero_point[c]),
                          y + at);
      }
    }
  }

  void RunHalf() {
    const Tensor& in = input(0);
    HalfToFloatRow(in.data_as<uint16_t>(), in.num_elements(), output(0).data_as<float>());
  }

  void (Dequantize::*eval_)() = nullptr;
  int64_t outer_ = 0, channels_ = 0, inner_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakeDequantize() { return std::make_unique<Dequantize>(); }

}  // namespace pyrt
