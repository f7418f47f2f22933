// DEPTHWISE_CONV_2D, int8: TFLite reference DepthwiseConvPerChannel. As in
// TFLite, the depth multiplier comes from the shapes (filter depth / input
// depth), not from the options.
#include <vector>

#include "kernels/conv_s8_kernel.h"
#include "kernels/depthwise_conv_s8_kernel.h"
#include "kernels/weight_sums_s8.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class DepthwiseConv2D : public Op {
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
    RequireDepthwiseShapes(in, filter, label());
    PYRT_ENSURE(filter.is_constant, label(), ": filter must be a constant tensor");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    g_ = WindowGeometry(o, in.shape, filter.dim(1), filter.dim(2), label());
    g_.out_c = filter.dim(3);
    PYRT_ENSURE(g_.in_c > 0 && g_.out_c % g_.in_c == 0, label(), ": filter depth ", g_.out_c,
                " is not a multiple of input depth ", g_.in_c);
    depth_multiplier_ = g_.out_c / g_.in_c;
    SetOutputShape(out, {g_.batch, g_.out_h, g_.out_w, g_.out_c});
    const ChannelMultipliers rq = ConvRequantization(in, filter, bias, out, g_.out_c, 3, label());
    const ActivationRange act = QuantizedActivationRange(o.activation, out, label());
    // One input channel and several outputs (a spectrogram's first layer):
    // a CONV_2D with depth-1 filters, the same sums and requantization, on
    // the GEMM kernels (the depthwise ones take multiplier 1; micro_speech's
    // 10x8 layer with 8 outputs had run on the scalar reference, 12x LiteRT).
    as_conv_ = g_.in_c == 1 && g_.out_c > 1;
    if (as_conv_) {
      conv_filter_ =
          DepthwiseFilterToConv(filter.data_as<int8_t>(), g_.out_c, g_.filter_h, g_.filter_w);
      const int K = g_.filter_h * g_.filter_w;
      conv_kernel_.Init(isa(), g_, conv_filter_.data(), in.zero_point(),
                        FoldInputZeroPoint(ReadBias(bias, g_.out_c), conv_filter_.data(), K,
                                           in.zero_point()),
                        rq.multiplier, rq.shift, out.zero_point(), act.min, act.max);
      scratch_bytes_ = conv_kernel_.scratch_bytes();
      return;
    }
    kernel_.Init(isa(), g_, depth_multiplier_, filter.data_as<int8_t>(), in.zero_point(),
                 ReadBias(bias, g_.out_c), rq.multiplier, rq.shift, out.zero_point(), act.min,
                 act.max);
    scratch_bytes_ = kernel_.scratch_bytes();
  }

  void Eval(const EvalContext& ctx) override {
    if (as_conv_) {
      conv_kernel_.Run(input(0).data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.scratch,
                       ctx.pool);
    } else {
      kernel_.Run(input(0).data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.scratch, ctx.pool);
    }
  }

 private:
  ConvGeometry g_{};
  int depth_multiplier_ = 1;
  DepthwiseConvS8Kernel kernel_;
  bool as_conv_ = false;
  std::vector<int8_t> conv_filter_;  // [out_c, H, W, 1], read by conv_kernel_
  ConvS8Kernel conv_kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeDepthwiseConv2D() { return std::make_unique<DepthwiseConv2D>(); }

}  // namespace pyrt
