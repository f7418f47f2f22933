// CONV_2D, int8 activations with int8 per-channel (or per-tensor) weights:
// TFLite reference ConvPerChannel, via im2col + GEMM with the input zero
// point folded into the bias. Grouped convolutions with one input channel
// per group run on the depthwise kernel (same integer sums and requant).
#include <algorithm>

#include "kernels/conv_s8_kernel.h"
#include "ops/activation_range.h"
#include "kernels/depthwise_conv_s8_kernel.h"
#include "kernels/weight_sums_s8.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Largest filter volume whose int8 x int8 sum cannot overflow int32.
constexpr int64_t kMaxAccumulationDepth = int64_t{1} << 17;

class Conv2D : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    const ConvOptions& o = options<ConvOptions>();
    Tensor& in = input(0);
    Tensor& filter = input(1);
    Tensor* bias = optional_input(2);
    Tensor& out = output(0);
    PYRT_ENSURE(in.dtype == DType::kInt8, label(), ": only int8 input is supported, got ",
                DTypeName(in.dtype));
    RequireType(filter, DType::kInt8, "filter");
    RequireType(out, DType::kInt8, "output");
    RequireConvShapes(in, filter, label());
    PYRT_ENSURE(filter.is_constant, label(), ": filter must be a constant tensor");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    g_ = WindowGeometry(o, in.shape, filter.dim(1), filter.dim(2), label());
    g_.out_c = filter.dim(0);
    channelwise_ = IsChannelwiseGroupedConv(filter.dim(3), g_.in_c, g_.out_c);
    PYRT_ENSURE(filter.dim(3) == g_.in_c || channelwise_, label(), ": filter depth ", filter.dim(3),
                " differs from input depth ", g_.in_c,
                " (grouped convolution is only supported with one input channel per group)");
    const int64_t K = int64_t{g_.filter_h} * g_.filter_w * filter.dim(3);
    PYRT_ENSURE(K < kMaxAccumulationDepth, label(), ": filter volume ", K, " is too large");
    SetOutputShape(out, {g_.batch, g_.out_h, g_.out_w, g_.out_c});

    for (int64_t zp : filter.quant.zero_point)
      PYRT_ENSURE(zp == 0, label(), ": filter zero points must be 0 (symmetric), found ", zp);
    const ChannelMultipliers rq = ConvRequantization(in, filter, bias, out, g_.out_c, 0, label());
    const int8_t* weights = filter.data_as<int8_t>();
    const ActivationRange act = QuantizedActivationRange(o.activation, out, label());
    if (channelwise_) {
      dw_filter_ = ConvFilterToDepthwise(weights, g_.out_c, g_.filter_h, g_.filter_w);
      dw_kernel_.Init(isa(), g_, g_.out_c / g_.in_c, dw_filter_.data(), in.zero_point(),
                      ReadBias(bias, g_.out_c), rq.multiplier, rq.shift, out.zero_point(), act.min,
                      act.max);
      scratch_bytes_ = dw_kernel_.scratch_bytes();
      return;
    }
    kernel_.Init(isa(), g_, weights, in.zero_point(),
                 FoldInputZeroPoint(ReadBias(bias, g_.out_c), weights, static_cast<int>(K),
                                    in.zero_point()),
                 rq.multiplier, rq.shift, out.zero_point(), act.min, act.max);
    scratch_bytes_ = kernel_.scratch_bytes();
  }

  void Eval(const EvalContext& ctx) override {
    if (channelwise_) {
      dw_kernel_.Run(input(0).data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.scratch, ctx.pool);
    } else {
      kernel_.Run(input(0).data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.scratch, ctx.pool);
    }
  }

 private:
  ConvGeometry g_{};
  ConvS8Kernel kernel_;
  bool channelwise_ = false;
  std::vector<int8_t> dw_filter_;  // the reference depthwise path reads it at Eval
  DepthwiseConvS8Kernel dw_kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeConv2D() { return std::make_unique<Conv2D>(); }

}  // namespace pyrt
