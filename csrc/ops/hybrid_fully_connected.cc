// Hybrid FULLY_CONNECTED (float32 input/output, int8 weights), as LiteRT's
// EvalHybridDense (the same code for the builtin and reference resolvers):
// each input row is quantized symmetrically, or asymmetrically when the
// option asymmetric_quantize_inputs is set; the int32 dot products (minus
// zero point x row sums) are scaled by float(s_w[n] * s_in) and added to
// the bias, then clamped.
#include <type_traits>

#include "kernels/hybrid_gemm.h"
#include "ops/activation_range.h"
#include "ops/conv_common.h"
#include "ops/hybrid_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "kernels/hybrid_quant.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

constexpr int64_t kMaxAccumulationDepth = int64_t{1} << 20;

class FullyConnectedHybrid : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 3);
    RequireOutputCount(1);
    const FullyConnectedOptions& o = options<FullyConnectedOptions>();
    const Tensor& in = input(0);
    const Tensor& filter = input(1);
    RequireType(in, DType::kFloat32, "input");
    RequireType(filter, DType::kInt8, "filter");
    RequireType(output(0), DType::kFloat32, "output");
    PYRT_ENSURE(o.weights_format == 0, label(), ": shuffled weights format is not supported");
    PYRT_ENSURE(filter.rank() == 2, label(), ": filter must be 2-D, got ",
                ShapeToString(filter.shape));
    units_ = filter.dim(0);
    depth_ = filter.dim(1);
    PYRT_ENSURE(depth_ > 0 && depth_ < kMaxAccumulationDepth, label(), ": filter depth ", depth_,
                " is not supported");
    const FullyConnectedShape fc =
        FullyConnectedOutputShape(in, depth_, units_, o.keep_num_dims, label());
    batches_ = fc.batches;
    SetOutputShape(output(0), fc.output);
    asymmetric_ = o.asymmetric_quantize_inputs;
    const std::vector<float> scales = HybridFilterScales(filter, units_, 0, label());
    float lo, hi;
    FloatActivationRange(o.activation, &lo, &hi, label());
    gemm_.Init(isa(), units_, depth_, filter.data_as<int8_t>(), scales.data(),
               HybridBias(optional_input(2), units_, label()), lo, hi);
    // Scratch: [quantized rows][row quantizations][row scales][row zero
    // points][GEMM].
    rq_offset_ = AlignScratch(static_cast<size_t>(batches_) * depth_);
    scale_offset_ = rq_offset_ + AlignScratch(sizeof(RowQuantization) * batches_);
    zp_offset_ = scale_offset_ + AlignScratch(sizeof(float) * batches_);
    gemm_offset_ = zp_offset_ + AlignScratch(sizeof(int32_t) * batches_);
    scratch_bytes_ = gemm_offset_ + gemm_.ScratchBytes(batches_);
  }

  void Eval(const EvalContext& ctx) override {
    const float* x = input(0).data_as<float>();
    int8_t* q = reinterpret_cast<int8_t*>(ctx.scratch);
    auto* rq = reinterpret_cast<RowQuantization*>(ctx.scratch + rq_offset_);
    auto* scales = reinterpret_cast<float*>(ctx.scratch + scale_offset_);
    auto* zero_points = reinterpret_cast<int32_t*>(ctx.scratch + zp_offset_);
    for (int b = 0; b < batches_; ++b) {
      const size_t off = static_cast<size_t>(b) * depth_;
      rq[b] = asymmetric_ ? AsymmetricQuantizeRow(x + off, depth_, q + off, isa())
                          : SymmetricQuantizeRow(x + off, depth_, q + off, isa());
      scales[b] = rq[b].scale;
      zero_points[b] = rq[b].zero_point;
    }
    const int depth = depth_, kp = gemm_.kp();
    auto pack = [&](int m0, int count, auto* dst) {
      using T = std::remove_pointer_t<decltype(dst)>;
      for (int r = 0; r < count; ++r) {
        const int8_t* src = q + static_cast<size_t>(m0 + r) * depth;
        const int32_t zp = rq[m0 + r].zero_point;
        T* row = dst + static_cast<size_t>(r) * kp;
        for (int k = 0; k < depth; ++k) row[k] = HybridA<T>::From(src[k], zp);
        for (int k = depth; k < kp; ++k) row[k] = 0;
      }
    };
    gemm_.Run(batches_, pack, scales, zero_points, 1, output(0).data_as<float>(),
              static_cast<size_t>(units_), ctx.scratch + gemm_offset_, ctx.pool);
  }

 private:
  int units_ = 0, depth_ = 0, batches_ = 0;
  bool asymmetric_ = false;
  size_t rq_offset_ = 0, scale_offset_ = 0, zp_offset_ = 0, gemm_offset_ = 0;
  PackedHybridGemm gemm_;
};

}  // namespace

std::unique_ptr<Op> MakeFullyConnectedHybrid() {
  return std::make_unique<FullyConnectedHybrid>();
}

}  // namespace pyrt
