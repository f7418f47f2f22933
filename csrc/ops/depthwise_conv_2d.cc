// DEPTHWISE_CONV_2D, int8: TFLite reference DepthwiseConvPerChannel. As in
// TFLite, the depth multiplier comes from the shapes (filter depth / input
// depth), not from the options.
#include "kernels/depthwise_conv_s8_kernel.h"
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
    kernel_.Init(isa(), g_, depth_multiplier_, filter.data_as<int8_t>(), in.zero_point(),
                 ReadBias(bias, g_.out_c), rq.multiplier, rq.shift, out.zero_point(), act.min,
                 act.max);
    scratch_bytes_ = kernel_.scratch_bytes();
  }

  void Eval(const EvalContext& ctx) override {
    kernel_.Run(input(0).data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.scratch, ctx.pool);
  }

 private:
  ConvGeometry g_{};
  int depth_multiplier_ = 1;
  DepthwiseConvS8Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeDepthwiseConv2D() { return std::make_unique<DepthwiseConv2D>(); }

}  // namespace pyrt
