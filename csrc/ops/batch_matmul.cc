// BATCH_MATMUL (lhs, rhs: ranks 2-5, batch dims broadcast, adj_x / adj_y).
// int8: TFLite's reference BatchMatMul with per-tensor zero points of both
// operands and one MultiplyByQuantizedMultiplier of
// double(float(s_lhs * s_rhs)) / double(s_out) (float product, as
// GetQuantizedConvolutionMultipler computes it); no bias, no activation.
// int16 x int16 / int16 x int8: see BatchMatMulS16Op.
// float32: plain sums of products. Both operands may be non-constant.
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/batch_matmul_s8/batch_matmul_s8_gemm.h"
#include "kernels/reference/batch_matmul.h"
#include "kernels/reference/batch_matmul_s16.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class BatchMatMulBase : public Op {
 protected:
  // Checks types and shapes, fills g_ and sets the output shape.
  void PrepareShapes(DType t, DType rhs_type) {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& lhs = input(0);
    const Tensor& rhs = input(1);
    RequireType(lhs, t, "lhs");
    RequireType(rhs, rhs_type, "rhs");
    RequireType(output(0), t, "output");
    const int lr = lhs.rank(), rr = rhs.rank();
    PYRT_ENSURE(lr >= 2 && lr <= 5 && rr >= 2 && rr <= 5, label(), ": operands must have rank 2 to 5, got ",
                ShapeToString(lhs.shape), " and ", ShapeToString(rhs.shape));
    const BatchMatMulOptions& o = options<BatchMatMulOptions>();
    g_ = BatchMatMulGeometry{};
    g_.adj_x = o.adj_x;
    g_.adj_y = o.adj_y;
    const int out_rank = std::max(lr, rr);
    Shape out_shape(out_rank);
    SetBatchDims(lhs.shape, rhs.shape, &out_shape);
    const int lhs_k = lhs.dim(lr - (o.adj_x ? 2 : 1)), rhs_k = rhs.dim(rr - (o.adj_y ? 1 : 2));
    PYRT_ENSURE(lhs_k == rhs_k, label(), ": inner dimensions differ: ", ShapeToString(lhs.shape),
                o.adj_x ? " (adj_x)" : "", " x ", ShapeToString(rhs.shape), o.adj_y ? " (adj_y)" : "");
    g_.depth = lhs_k;
    g_.rows = lhs.dim(lr - (o.adj_x ? 1 : 2));
    g_.cols = rhs.dim(rr - (o.adj_y ? 2 : 1));
    out_shape[out_rank - 2] = g_.rows;
    out_shape[out_rank - 1] = g_.cols;
    SetOutputShape(output(0), out_shape);
  }

  BatchMatMulGeometry g_{};

 private:
  // Broadcast batch dims (right-aligned, rank 5 as the reference extends
  // shapes) and each operand's element stride per batch dim (0: broadcast).
  void SetBatchDims(const Shape& lhs, const Shape& rhs, Shape* out) {
    const int out_rank = static_cast<int>(out->size());
    int64_t lhs_stride = int64_t{lhs[lhs.size() - 2]} * lhs.back();
    int64_t rhs_stride = int64_t{rhs[rhs.size() - 2]} * rhs.back();
    for (int d = kBatchMatMulBatchDims - 1; d >= 0; --d) {
      const int from_end = kBatchMatMulBatchDims - d + 2;  // position counted from the last dim
      const int li = static_cast<int>(lhs.size()) - from_end, ri = static_cast<int>(rhs.size()) - from_end;
      const int l = li >= 0 ? lhs[li] : 1, r = ri >= 0 ? rhs[ri] : 1;
      PYRT_ENSURE(l == r || l == 1 || r == 1, label(), ": batch dimensions of ", ShapeToString(lhs),
                  " and ", ShapeToString(rhs), " do not broadcast");
      g_.batch[d] = l == 1 ? r : l;
      g_.lhs_stride[d] = l == 1 ? 0 : lhs_stride;
      g_.rhs_stride[d] = r == 1 ? 0 : rhs_stride;
      lhs_stride *= l;
      rhs_stride *= r;
      const int oi = out_rank - from_end;
      if (oi >= 0) (*out)[oi] = g_.batch[d];
    }
  }
};

class BatchMatMulS8Op : public BatchMatMulBase {
 public:
  void Prepare() override {
    PrepareShapes(DType::kInt8, DType::kInt8);
    const Tensor& lhs = input(0);
    const Tensor& rhs = input(1);
    const Tensor& out = output(0);
    RequirePerTensorQuant(lhs, "lhs");
    RequirePerTensorQuant(rhs, "rhs");
    RequirePerTensorQuant(out, "output");
    const double real = static_cast<double>(lhs.scale() * rhs.scale()) / static_cast<double>(out.scale());
    const QuantizedMultiplier m = QuantizeMultiplier(real, label() + " output multiplier");
    q_ = BatchMatMulQuant{lhs.zero_point(), rhs.zero_point(), m.multiplier, m.shift, out.zero_point()};
    use_gemm_ = gemm_.Init(isa(), g_, q_);
    scratch_bytes_ = use_gemm_ ? gemm_.ScratchBytes() : BatchMatMulS8ScratchBytes(g_);
  }
  void Eval(const EvalContext& ctx) override {
    if (use_gemm_)
      return gemm_.Run(input(0).data_as<int8_t>(), input(1).data_as<int8_t>(), output(0).data_as<int8_t>(),
                       ctx.scratch);
    BatchMatMulS8(isa(), g_, q_, input(0).data_as<int8_t>(), input(1).data_as<int8_t>(),
                  output(0).data_as<int8_t>(), ctx.scratch);
  }

 private:
  BatchMatMulQuant q_{};
  BatchMatMulS8Gemm gemm_;
  bool use_gemm_ = false;
};

class BatchMatMulF32Op : public BatchMatMulBase {
 public:
  void Prepare() override {
    PrepareShapes(DType::kFloat32, DType::kFloat32);
    scratch_bytes_ = BatchMatMulF32ScratchBytes(g_);
    for (int i = 0; i < 2; ++i) {
      // Copies: constant buffers carry no alignment guarantee for float.
      const Tensor& t = input(i);
      constant_[i].assign(t.is_constant ? t.num_elements() : 0, 0.f);
      if (t.is_constant) std::memcpy(constant_[i].data(), t.data, sizeof(float) * constant_[i].size());
    }
  }
  void Eval(const EvalContext& ctx) override {
    BatchMatMulF32(isa(), g_, Operand(0), Operand(1), output(0).data_as<float>(), ctx.scratch);
  }

 private:
  const float* Operand(int i) const {
    return input(i).is_constant ? constant_[i].data() : input(i).data_as<float>();
  }
  std::vector<float> constant_[2];
};

// int16 lhs with int16 or int8 rhs (16-bit activation einsum models):
// zero points 0 (the reference's Prepare), int64 sums. The multiplier uses
// each tensor's legacy per-tensor scale as the reference does, which is 0
// for a per-channel rhs: the reference then outputs all zeros, and so do we.
class BatchMatMulS16Op : public BatchMatMulBase {
 public:
  void Prepare() override {
    rhs_s8_ = input(1).dtype == DType::kInt8;
    PrepareShapes(DType::kInt16, rhs_s8_ ? DType::kInt8 : DType::kInt16);
    const Tensor& lhs = input(0);
    const Tensor& rhs = input(1);
    const Tensor& out = output(0);
    RequirePerTensorQuant(lhs, "lhs");
    RequirePerTensorQuant(out, "output");
    PYRT_ENSURE(lhs.zero_point() == 0 && out.zero_point() == 0 &&
                    std::all_of(rhs.quant.zero_point.begin(), rhs.quant.zero_point.end(),
                                [](int64_t z) { return z == 0; }),
                label(), ": int16 BATCH_MATMUL needs zero points 0 (lhs ", lhs.zero_point(), ", output ",
                out.zero_point(), ")");
    const float rhs_scale = rhs.quant.scale.size() == 1 ? rhs.quant.scale[0] : 0.f;
    const double real = static_cast<double>(lhs.scale() * rhs_scale) / static_cast<double>(out.scale());
    const QuantizedMultiplier m = QuantizeMultiplier(real, label() + " output multiplier");
    PYRT_ENSURE(m.shift >= -31 && m.shift <= 14, label(), ": output multiplier ", real, " is out of range");
    q_ = BatchMatMulS16Quant{m.multiplier, m.shift};
  }
  void Eval(const EvalContext&) override {
    if (rhs_s8_) {
      BatchMatMulS16(g_, q_, input(0).data_as<int16_t>(), input(1).data_as<int8_t>(), output(0).data_as<int16_t>());
    } else {
      BatchMatMulS16(g_, q_, input(0).data_as<int16_t>(), input(1).data_as<int16_t>(),
                     output(0).data_as<int16_t>());
    }
  }

 private:
  bool rhs_s8_ = false;
  BatchMatMulS16Quant q_{};
};

}  // namespace

std::unique_ptr<Op> MakeBatchMatMulS16() { return std::make_unique<BatchMatMulS16Op>(); }
std::unique_ptr<Op> MakeBatchMatMul() { return std::make_unique<BatchMatMulS8Op>(); }
std::unique_ptr<Op> MakeBatchMatMulF32() { return std::make_unique<BatchMatMulF32Op>(); }

}  // namespace pyrt
