// Float32 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (TFLite's float
// kernels): constant float32 filter and optional bias, fused activation as a
// clamp. Filters produced by DEQUANTIZE of float16 constants are constants
// too (folded at Prepare), so float16-weight models take this path.
#include <utility>

#include "kernels/reference/conv_f32.h"
#include "kernels/reference/conv_then_depthwise_f32.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

// Bounds the im2col scratch (rows of filter_h * filter_w * in_c floats).
constexpr int64_t kMaxFilterVolume = int64_t{1} << 20;

// Shared checks of the float ops: float32 tensors, constant weights.
class FloatWeightsOp : public Op {
 protected:
  void CheckTensors(int filter_rank, int max_inputs = 3) const {
    RequireInputCount(2, max_inputs);
    RequireOutputCount(1);
    RequireType(input(0), DType::kFloat32, "input");
    RequireType(input(1), DType::kFloat32, "filter");
    RequireType(output(0), DType::kFloat32, "output");
    PYRT_ENSURE(input(1).is_constant, label(), ": filter must be a constant tensor");
    PYRT_ENSURE(input(1).rank() == filter_rank, label(), ": filter must be ", filter_rank,
                "-D, got ", ShapeToString(input(1).shape));
    if (const Tensor* bias = optional_input(2)) {
      RequireType(*bias, DType::kFloat32, "bias");
      PYRT_ENSURE(bias->is_constant, label(), ": bias must be a constant tensor");
    }
  }
  const float* BiasOf(int n) const {
    const Tensor* bias = optional_input(2);
    if (!bias) return nullptr;
    PYRT_ENSURE(bias->num_elements() == n, label(), ": bias must have ", n, " elements, got ",
                bias->num_elements());
    return bias->data_as<float>();
  }
  // Fills g (all but out_c / filter size, set by the caller first) from the
  // input shape and options; sets the output shape.
  void PrepareGeometry(ConvGeometry& g) const {
    const Tensor& in = input(0);
    PYRT_ENSURE(in.rank() == 4, label(), ": input must be 4-D, got ", ShapeToString(in.shape));
    const int out_c = g.out_c;
    g = WindowGeometry(options<ConvOptions>(), in.shape, g.filter_h, g.filter_w, label());
    g.out_c = out_c;
    SetOutputShape(output(0), {g.batch, g.out_h, g.out_w, g.out_c});
  }
  void ActivationClamp(Activation act, float* lo, float* hi) const {
    FloatActivationRange(act, lo, hi, label());
  }
};

// A float conv that may carry the elementwise ops after it, fused in by
// interpreter/conv_f32_fusion.h: then inputs 3 and 4 are the ADD's other
// operand and the PRELU slopes, each optional.
class FloatConvWithEpilogue : public FloatWeightsOp {
 public:
  FloatConvWithEpilogue() = default;
  // The PRELU slopes are read at Prepare (from input 4).
  explicit FloatConvWithEpilogue(ConvF32Epilogue epilogue)
      : fused_(true), epilogue_(std::move(epilogue)) {}
  // The fused ADD's other operand (at Eval), or null.
  const float* residual_data() const { return residual(); }

 protected:
  int max_inputs() const { return fused_ ? 5 : 3; }
  // Checks the fused operands and reads the PRELU slopes (one per channel,
  // or one for all).
  void PrepareEpilogue(int out_c) {
    if (!fused_) return;
    if (epilogue_.add) {
      RequireType(input(3), DType::kFloat32, "residual");
      PYRT_ENSURE(input(3).shape == output(0).shape, label(), ": fused ADD operand ",
                  ShapeToString(input(3).shape), " differs from the output shape");
    }
    const Tensor* alpha = optional_input(4);
    if (!alpha) return;
    RequireType(*alpha, DType::kFloat32, "alpha");
    PYRT_ENSURE(alpha->is_constant && (alpha->num_elements() == out_c || alpha->num_elements() == 1),
                label(), ": fused PRELU needs constant per-channel slopes, got ",
                ShapeToString(alpha->shape));
    const float* a = alpha->data_as<float>();
    epilogue_.alpha.assign(out_c, a[0]);
    if (alpha->num_elements() == out_c) epilogue_.alpha.assign(a, a + out_c);
  }
  // The fused ADD's other operand, or null.
  const float* residual() const { return epilogue_.add ? input(3).data_as<float>() : nullptr; }

  bool fused_ = false;
  ConvF32Epilogue epilogue_;
};

// CONV_2D (with an epilogue: and the ops fused after it).
class Conv2DF32 : public FloatConvWithEpilogue {
 public:
  using FloatConvWithEpilogue::FloatConvWithEpilogue;

  void Prepare() override {
    CheckTensors(4, max_inputs());
    const Tensor& filter = input(1);
    ConvGeometry g{};
    g.out_c = filter.dim(0);
    g.filter_h = filter.dim(1);
    g.filter_w = filter.dim(2);
    PrepareGeometry(g);
    // One input channel per group: the depthwise kernel (conv_common.h).
    channelwise_ = IsChannelwiseGroupedConv(filter.dim(3), g.in_c, g.out_c);
    PYRT_ENSURE(filter.dim(3) == g.in_c || channelwise_, label(), ": filter depth ", filter.dim(3),
                " differs from input depth ", g.in_c,
                " (grouped convolution is only supported with one input channel per group)");
    const int64_t K = int64_t{g.filter_h} * g.filter_w * filter.dim(3);
    PYRT_ENSURE(K < kMaxFilterVolume, label(), ": filter volume ", K, " is too large");
    PrepareEpilogue(g.out_c);
    float lo, hi;
    ActivationClamp(options<ConvOptions>().activation, &lo, &hi);
    if (channelwise_) {
      // The kernel keeps its own copy.
      const std::vector<float> dw_filter =
          ConvFilterToDepthwise(filter.data_as<float>(), g.out_c, g.filter_h, g.filter_w);
      dw_kernel_.Init(isa(), g, dw_filter.data(), BiasOf(g.out_c), lo, hi,
                      builtin_float_rounding());
      dw_kernel_.SetEpilogue(isa(), epilogue_);
      scratch_bytes_ = dw_kernel_.scratch_bytes();
      return;
    }
    kernel_.Init(isa(), g, filter.data_as<float>(), BiasOf(g.out_c), lo, hi,
                 builtin_float_rounding());
    kernel_.SetEpilogue(isa(), epilogue_);
    scratch_bytes_ = kernel_.scratch_bytes();
  }
  void Eval(const EvalContext& ctx) override {
    float* out = output(0).data_as<float>();
    if (channelwise_) {
      dw_kernel_.Run(input(0).data_as<float>(), out, ctx.scratch, ctx.pool, residual());
    } else {
      kernel_.Run(input(0).data_as<float>(), out, ctx.scratch, ctx.pool, residual());
    }
  }
  // The GEMM kernel, or null when the depthwise kernel runs this conv.
  const ConvF32Kernel* conv_kernel() const { return channelwise_ ? nullptr : &kernel_; }

 private:
  ConvF32Kernel kernel_;
  bool channelwise_ = false;
  DepthwiseF32Kernel dw_kernel_;
};

// DEPTHWISE_CONV_2D (with an epilogue: and the ops fused after it).
class DepthwiseConv2DF32 : public FloatConvWithEpilogue {
 public:
  using FloatConvWithEpilogue::FloatConvWithEpilogue;

  void Prepare() override {
    CheckTensors(4, max_inputs());
    const Tensor& filter = input(1);
    PYRT_ENSURE(filter.dim(0) == 1, label(), ": filter must be [1, h, w, c], got ",
                ShapeToString(filter.shape));
    ConvGeometry g{};
    g.out_c = filter.dim(3);
    g.filter_h = filter.dim(1);
    g.filter_w = filter.dim(2);
    PrepareGeometry(g);
    PYRT_ENSURE(g.in_c > 0 && g.out_c % g.in_c == 0, label(), ": filter depth ", g.out_c,
                " is not a multiple of input depth ", g.in_c);
    float lo, hi;
    ActivationClamp(options<ConvOptions>().activation, &lo, &hi);
    PrepareEpilogue(g.out_c);
    // One input channel and several outputs: the CONV_2D it is, on the GEMM
    // (as the int8 op; not where float ops must round as LiteRT's builtin
    // depthwise kernel does).
    as_conv_ = g.in_c == 1 && g.out_c > 1 && !builtin_float_rounding();
    if (as_conv_) {
      const std::vector<float> conv_filter =
          DepthwiseFilterToConv(filter.data_as<float>(), g.out_c, g.filter_h, g.filter_w);
      conv_kernel_.Init(isa(), g, conv_filter.data(), BiasOf(g.out_c), lo, hi);
      conv_kernel_.SetEpilogue(isa(), epilogue_);
      scratch_bytes_ = conv_kernel_.scratch_bytes();
      return;
    }
    kernel_.Init(isa(), g, filter.data_as<float>(), BiasOf(g.out_c), lo, hi,
                 builtin_float_rounding());
    kernel_.SetEpilogue(isa(), epilogue_);
    scratch_bytes_ = kernel_.scratch_bytes();
  }
  void Eval(const EvalContext& ctx) override {
    const float* in = input(0).data_as<float>();
    float* out = output(0).data_as<float>();
    if (as_conv_) {
      conv_kernel_.Run(in, out, ctx.scratch, ctx.pool, residual());
    } else {
      kernel_.Run(in, out, ctx.scratch, ctx.pool, residual());
    }
  }
  // The depthwise kernel, or null when the GEMM runs this op.
  const DepthwiseF32Kernel* depthwise_kernel() const { return as_conv_ ? nullptr : &kernel_; }

 private:
  DepthwiseF32Kernel kernel_;
  bool as_conv_ = false;
  ConvF32Kernel conv_kernel_;
};

// A float CONV_2D whose output only a DEPTHWISE_CONV_2D reads (and,
// optionally, the depthwise's output only a pointwise CONV_2D), all
// prepared with their fused epilogues, run together in bands of rows
// (kernels/reference/conv_then_depthwise_f32.h). Inputs: the conv's, then
// the depthwise's but its first, then the project's but its first; output:
// the last op's.
class ConvThenDepthwiseF32Op : public Op {
 public:
  ConvThenDepthwiseF32Op(const Conv2DF32& conv, const DepthwiseConv2DF32& dw,
                         const Conv2DF32* project, int threads)
      : conv_(conv), dw_(dw), project_(project), threads_(threads) {}
  void Prepare() override {
    kernel_.Init(conv_.conv_kernel(), dw_.depthwise_kernel(),
                 project_ ? project_->conv_kernel() : nullptr, threads_);
    scratch_bytes_ = kernel_.scratch_bytes();
  }
  void Eval(const EvalContext& ctx) override {
    const ConvThenDepthwiseF32::Residuals residuals{
        conv_.residual_data(), dw_.residual_data(),
        project_ ? project_->residual_data() : nullptr};
    kernel_.Run(input(0).data_as<float>(), output(0).data_as<float>(), residuals, ctx.scratch,
                ctx.pool);
  }

 private:
  const Conv2DF32& conv_;
  const DepthwiseConv2DF32& dw_;
  const Conv2DF32* project_;
  int threads_;
  ConvThenDepthwiseF32 kernel_;
};

class FullyConnectedF32 : public FloatWeightsOp {
 public:
  void Prepare() override {
    CheckTensors(2);
    const FullyConnectedOptions& o = options<FullyConnectedOptions>();
    PYRT_ENSURE(o.weights_format == 0, label(), ": shuffled weights format is not supported");
    const Tensor& in = input(0);
    const Tensor& filter = input(1);
    const int units = filter.dim(0), depth = filter.dim(1);
    const FullyConnectedShape fc =
        FullyConnectedOutputShape(in, depth, units, o.keep_num_dims, label());
    batches_ = fc.batches;
    SetOutputShape(output(0), fc.output);
    float lo, hi;
    ActivationClamp(o.activation, &lo, &hi);
    kernel_.Init(isa(), units, depth, filter.data_as<float>(), BiasOf(units), lo, hi,
                 builtin_float_rounding());
  }
  void Eval(const EvalContext& ctx) override {
    kernel_.Run(batches_, input(0).data_as<float>(), output(0).data_as<float>(), ctx.pool);
  }

 private:
  int batches_ = 0;
  FullyConnectedF32Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeConv2DF32() { return std::make_unique<Conv2DF32>(); }
std::unique_ptr<Op> MakeConv2DThenF32(ConvF32Epilogue epilogue) {
  return std::make_unique<Conv2DF32>(std::move(epilogue));
}
std::unique_ptr<Op> MakeDepthwiseConv2DF32() { return std::make_unique<DepthwiseConv2DF32>(); }
std::unique_ptr<Op> MakeDepthwiseConv2DThenF32(ConvF32Epilogue epilogue) {
  return std::make_unique<DepthwiseConv2DF32>(std::move(epilogue));
}
std::unique_ptr<Op> MakeConvThenDepthwiseF32(const Op& conv, const Op& dw, const Op* project,
                                             int threads) {
  const auto* c = dynamic_cast<const Conv2DF32*>(&conv.implementation());
  const auto* d = dynamic_cast<const DepthwiseConv2DF32*>(&dw.implementation());
  const auto* p = project ? dynamic_cast<const Conv2DF32*>(&project->implementation()) : nullptr;
  if (!c || !d || !c->conv_kernel() || !d->depthwise_kernel() ||
      !ConvThenDepthwiseF32::Applies(*c->conv_kernel(), *d->depthwise_kernel()))
    return nullptr;
  if (project && (!p || !p->conv_kernel() ||
                  !ConvThenDepthwiseF32::CanProject(*d->depthwise_kernel(), *p->conv_kernel())))
    return nullptr;
  return std::make_unique<ConvThenDepthwiseF32Op>(*c, *d, p, threads);
}
std::unique_ptr<Op> MakeFullyConnectedF32() { return std::make_unique<FullyConnectedF32>(); }

}  // namespace pyrt
