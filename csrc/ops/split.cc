// SPLIT, SPLIT_V and UNPACK: one input cut along an axis into consecutive
// pieces, one per output, any dense dtype. Piece i is a strided block copy
// (one contiguous slab per outer index). Like TFLite, SPLIT and SPLIT_V do
// not check quantization, UNPACK requires every output to share the input's
// scale and zero point.
#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class SplitBase : public Op {
 public:
  void Eval(const EvalContext&) override {
    const uint8_t* in = input(data_input_).data;
    for (int i = 0; i < num_outputs(); ++i) BlockCopy(plans_[i], in + offsets_[i], output(i).data);
  }

 protected:
  // The constant int32 axis input of SPLIT / SPLIT_V, wrapped once.
  int ReadAxis(const Tensor& t, int rank) const {
    RequireType(t, DType::kInt32, "axis");
    const std::vector<int64_t> axis = ReadConstantIndices(t, label(), "axis");
    PYRT_ENSURE(axis.size() == 1, label(), ": axis must have one element, got ", axis.size());
    return WrapAxis(axis[0], rank, label(), "axis");
  }

  // Cuts input `data_input` along `axis` into pieces of `sizes` (summing to
  // the dim); `drop_axis` removes the axis from the output shapes (UNPACK).
  void PlanPieces(int data_input, int axis, const std::vector<int64_t>& sizes, bool drop_axis) {
    data_input_ = data_input;
    const Tensor& in = input(data_input);
    const size_t elem = CopyableElementSize(in, label(), "input");
    int64_t outer = 1, inner = static_cast<int64_t>(elem);
    for (int d = 0; d < axis; ++d) outer *= in.dim(d);
    for (int d = axis + 1; d < in.rank(); ++d) inner *= in.dim(d);
    plans_.assign(sizes.size(), CopyPlan{});
    offsets_.assign(sizes.size(), 0);
    int64_t start = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      Tensor& out = output(static_cast<int>(i));
      RequireSameType(in, out, label());
      Shape shape = in.shape;
      shape[axis] = static_cast<int32_t>(sizes[i]);
      if (drop_axis) shape.erase(shape.begin() + axis);
      SetOutputShape(out, shape);
      const int64_t slab = sizes[i] * inner;
      CopyPlan plan;
      plan.run_bytes = slab;
      AddCopyAxis(&plan, outer, in.dim(axis) * inner, slab);
      plans_[i] = SimplifyCopyPlan(plan);
      offsets_[i] = start * inner;
      start += sizes[i];
    }
  }

 private:
  int data_input_ = 0;
  std::vector<CopyPlan> plans_;
  std::vector<int64_t> offsets_;
};

// SPLIT(axis, input): num_splits equal pieces.
class Split : public SplitBase {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    const int n = options<SplitOptions>().num_splits;
    PYRT_ENSURE(n >= 1 && n == num_outputs(), label(), ": num_splits ", n,
                " differs from the number of outputs ", num_outputs());
    const Tensor& in = input(1);
    const int axis = ReadAxis(input(0), in.rank());
    const int64_t dim = in.dim(axis);
    PYRT_ENSURE(dim % n == 0, label(), ": dim ", axis, " of size ", dim,
                " is not an even split into ", n);
    PlanPieces(1, axis, std::vector<int64_t>(n, dim / n), false);
  }
};

// SPLIT_V(input, size_splits, axis): given sizes, one of them may be -1.
class SplitV : public SplitBase {
 public:
  void Prepare() override {
    RequireInputCount(3, 3);
    const Tensor& in = input(0);
    const Tensor& sizes_t = input(1);
    PYRT_ENSURE(sizes_t.rank() == 1 && sizes_t.dim(0) == num_outputs(), label(),
                ": size_splits must have shape [", num_outputs(), "] (one per output), got ",
                ShapeToString(sizes_t.shape));
    const int axis = ReadAxis(input(2), in.rank());
    std::vector<int64_t> sizes = ReadConstantIndices(sizes_t, label(), "size_splits");
    int64_t sum = 0;
    int infer = -1;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == -1) {
        PYRT_ENSURE(infer == -1, label(), ": size_splits contains more than one -1");
        infer = static_cast<int>(i);
        continue;
      }
      PYRT_ENSURE(sizes[i] >= 0 && sizes[i] <= in.dim(axis), label(), ": size_splits value ",
                  sizes[i], " is invalid for dim ", axis, " of size ", in.dim(axis));
      sum += sizes[i];
    }
    if (infer >= 0) {
      PYRT_ENSURE(sum <= in.dim(axis), label(), ": size_splits sum ", sum,
                  " exceeds dim ", axis, " of size ", in.dim(axis));
      sizes[infer] = in.dim(axis) - sum;
    } else {
      PYRT_ENSURE(sum == in.dim(axis), label(), ": size_splits sum ", sum, " differs from dim ",
                  axis, " of size ", in.dim(axis));
    }
    PlanPieces(0, axis, sizes, false);
  }
};

// UNPACK(input): num pieces of size 1 with the axis removed.
class Unpack : public SplitBase {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    const UnpackOptions& o = options<UnpackOptions>();
    const Tensor& in = input(0);
    PYRT_ENSURE(in.num_elements() > 0, label(), ": input is empty");
    const int axis = WrapAxis(o.axis, in.rank(), label(), "axis");
    PYRT_ENSURE(o.num == num_outputs() && o.num == in.dim(axis), label(), ": num ", o.num,
                " must equal the number of outputs ", num_outputs(), " and dim ", axis,
                " of the input (", in.dim(axis), ")");
    for (int i = 0; i < num_outputs(); ++i) RequireSameQuantization(in, output(i), label(), "input");
    PlanPieces(0, axis, std::vector<int64_t>(o.num, 1), true);
  }
};

}  // namespace

std::unique_ptr<Op> MakeSplit() { return std::make_unique<Split>(); }
std::unique_ptr<Op> MakeSplitV() { return std::make_unique<SplitV>(); }
std::unique_ptr<Op> MakeUnpack() { return std::make_unique<Unpack>(); }

}  // namespace pyrt
