// TRANSPOSE: output dim k is input dim perm[k] (perm constant int32, a
// permutation of [0, rank) with negative entries wrapped once), any dense
// dtype up to rank 8, no quantization check (TFLite has none). A strided
// block copy walking the output in order.
#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Transpose : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    const size_t elem = CopyableSameTypeElementSize(in, output(0), label());
    const int rank = in.rank();
    PYRT_ENSURE(rank <= kMaxCopyDims, label(), ": input rank ", rank, " exceeds ", kMaxCopyDims);
    const Tensor& perm_t = input(1);
    RequireType(perm_t, DType::kInt32, "perm");
    const std::vector<int64_t> perm = ReadPerDimIndices(perm_t, rank, label(), "perm");
    std::vector<bool> seen(rank, false);
    Shape shape(rank);
    std::vector<int> axes(rank);
    for (int k = 0; k < rank; ++k) {
      axes[k] = WrapAxis(perm[k], rank, label(), "perm value");
      PYRT_ENSURE(!seen[axes[k]], label(), ": perm repeats axis ", axes[k]);
      seen[axes[k]] = true;
      shape[k] = in.dim(axes[k]);
    }
    SetOutputShape(output(0), shape);
    const std::vector<int64_t> in_strides = ByteStrides(in.shape, elem);
    const std::vector<int64_t> out_strides = ByteStrides(shape, elem);
    CopyPlan plan;
    plan.run_bytes = static_cast<int64_t>(elem);
    for (int k = 0; k < rank; ++k) AddCopyAxis(&plan, shape[k], in_strides[axes[k]], out_strides[k]);
    plan_ = SimplifyCopyPlan(plan);
  }

  void Eval(const EvalContext&) override { BlockCopy(plan_, input(0).data, output(0).data); }

 private:
  CopyPlan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeTranspose() { return std::make_unique<Transpose>(); }

}  // namespace pyrt
