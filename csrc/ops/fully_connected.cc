// FULLY_CONNECTED, int8: TFLite reference FullyConnected(PerChannel). The
// pinned reference requantizes in double: round(acc * (s_in * s_w / s_out)),
// not with a fixed-point multiplier (TensorFlow issue 119412), so we do too.
#include "kernels/fully_connected_s8_kernel.h"
#include "kernels/weight_sums_s8.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

constexpr int64_t kMaxAccumulationDepth = int64_t{1} << 17;

class FullyConnected : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    const FullyConnectedOptions& o = options<FullyConnectedOptions>();
    Tensor& in = input(0);
    Tensor& filter = input(1);
    Tensor* bias = optional_input(2);
    Tensor& out = output(0);
    PYRT_ENSURE(o.weights_format == 0, label(), ": shuffled weights format is not supported");
    PYRT_ENSURE(in.dtype == DType::kInt8, label(), ": only int8 input is supported, got ",
                DTypeName(in.dtype));
    RequireType(filter, DType::kInt8, "filter");
    RequireType(out, DType::kInt8, "output");
    PYRT_ENSURE(filter.rank() == 2, label(), ": filter must be 2-D, got ",
                ShapeToString(filter.shape));
    PYRT_ENSURE(filter.is_constant, label(), ": filter must be a constant tensor");
    RequirePerTensorQuant(in, "input");
    RequirePerTensorQuant(out, "output");
    units_ = filter.dim(0);
    depth_ = filter.dim(1);
    PYRT_ENSURE(depth_ > 0 && depth_ < kMaxAccumulationDepth, label(), ": filter depth ", depth_,
                " is not supported");
    const FullyConnectedShape fc =
        FullyConnectedOutputShape(in, depth_, units_, o.keep_num_dims, label());
    batches_ = fc.batches;
    SetOutputShape(out, fc.output);

    const QuantParams& fq = filter.quant;
    const bool per_channel = fq.scale.size() > 1;
    PYRT_ENSURE(fq.scale.size() == 1 || (fq.quantized_dimension == 0 &&
                                         static_cast<int>(fq.scale.size()) == units_),
                label(), ": filter needs 1 or ", units_, " scales, found ", fq.scale.size());
    // Per-channel kernels ignore filter zero points (symmetric by spec);
    // per-tensor ones would apply it, which we do not implement.
    PYRT_ENSURE(per_channel || fq.zero_point[0] == 0, label(),
                ": non-zero filter zero point ", fq.zero_point[0], " is not supported");
    if (bias) {
      RequireType(*bias, DType::kInt32, "bias");
      PYRT_ENSURE(bias->is_constant && bias->num_elements() == units_, label(),
                  ": bias must be a constant of ", units_, " elements");
    }
    std::vector<double> effective_scale(units_);
    for (int c = 0; c < units_; ++c) {
      const double s_w = fq.scale[per_channel ? c : 0];
      effective_scale[c] = static_cast<double>(in.scale()) * s_w / static_cast<double>(out.scale());
    }
    const int8_t* weights = filter.data_as<int8_t>();
    const ActivationRange act = QuantizedActivationRange(o.activation, out, label());
    kernel_.Init(isa(), units_, depth_, weights,
                 FoldInputZeroPoint(ReadBias(bias, units_), weights, depth_, in.zero_point()),
                 std::move(effective_scale), out.zero_point(), act.min, act.max, batches_);
    scratch_bytes_ = kernel_.ScratchBytes(batches_);
  }

  void Eval(const EvalContext& ctx) override {
    kernel_.Run(batches_, input(0).data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.scratch,
                ctx.pool);
  }

 private:
  int units_ = 0, depth_ = 0, batches_ = 0;
  FullyConnectedS8Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeFullyConnected() { return std::make_unique<FullyConnected>(); }

}  // namespace pyrt
