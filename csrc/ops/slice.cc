// SLICE: the block [begin, begin + size) of any dense dtype, with constant
// int32/int64 begin and size (one value per input dim; size -1 = to the end).
// TFLite has no quantization check here. A strided block copy.
#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Slice : public Op {
 public:
  void Prepare() override {
    RequireInputCount(3, 3);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    const size_t elem = CopyableSameTypeElementSize(in, output(0), label());
    const int rank = in.rank();
    PYRT_ENSURE(rank <= kMaxCopyDims, label(), ": input rank ", rank, " exceeds ", kMaxCopyDims);
    PYRT_ENSURE(input(1).dtype == input(2).dtype, label(), ": begin and size types differ");
    const std::vector<int64_t> begin = ReadPerDimIndices(input(1), rank, label(), "begin");
    const std::vector<int64_t> size = ReadPerDimIndices(input(2), rank, label(), "size");
    const std::vector<int64_t> strides = ByteStrides(in.shape, elem);
    Shape shape(rank);
    CopyPlan plan;
    plan.run_bytes = static_cast<int64_t>(elem);
    offset_ = 0;
    for (int i = 0; i < rank; ++i) {
      const int64_t dim = in.dim(i);
      PYRT_ENSURE(begin[i] >= 0 && begin[i] <= dim, label(), ": begin ", begin[i], " of dim ", i,
                  " is outside [0, ", dim, "]");
      int64_t n = size[i];
      if (n == -1) n = dim - begin[i];
      PYRT_ENSURE(n >= 0 && begin[i] + n <= dim, label(), ": size ", size[i], " at begin ",
                  begin[i], " of dim ", i, " does not fit in ", dim);
      shape[i] = static_cast<int32_t>(n);
      offset_ += begin[i] * strides[i];
    }
    SetOutputShape(output(0), shape);
    const std::vector<int64_t> out_strides = ByteStrides(shape, elem);
    for (int i = 0; i < rank; ++i) AddCopyAxis(&plan, shape[i], strides[i], out_strides[i]);
    plan_ = SimplifyCopyPlan(plan);
    if (output(0).num_elements() == 0) offset_ = 0;
  }

  void Eval(const EvalContext&) override { BlockCopy(plan_, input(0).data + offset_, output(0).data); }

 private:
  CopyPlan plan_;
  int64_t offset_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakeSlice() { return std::make_unique<Slice>(); }

}  // namespace pyrt
