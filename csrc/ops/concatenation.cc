// CONCATENATION along any axis (negative wraps), any dense dtype: per input,
// one contiguous slab per outer index, copied with memcpy. Like TFLite's
// Prepare, int8 inputs must share the output's scale and zero point (no
// requantization) and the fused activation must be NONE.
#include <limits>

#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Concatenation : public Op {
 public:
  void Prepare() override {
    PYRT_ENSURE(num_inputs() >= 1, label(), ": expected at least 1 input");
    RequireOutputCount(1);
    const ConcatenationOptions& o = options<ConcatenationOptions>();
    PYRT_ENSURE(o.activation == Activation::kNone, label(), ": fused activation ",
                static_cast<int>(o.activation), " is not supported (only NONE)");
    const Tensor& t0 = input(0);
    Tensor& out = output(0);
    const size_t elem = CopyableElementSize(t0, label(), "input 0");
    const int rank = t0.rank();
    int axis = o.axis < 0 ? o.axis + rank : o.axis;
    if (rank == 0) return PrepareScalars(elem);
    PYRT_ENSURE(axis >= 0 && axis < rank, label(), ": axis ", o.axis, " is out of range for rank ",
                rank);
    Shape shape = t0.shape;
    int64_t axis_sum = 0;
    for (int i = 0; i < num_inputs(); ++i) {
      const Tensor& t = input(i);
      CheckInput(t, i, axis);
      axis_sum += t.dim(axis);
      PYRT_ENSURE(axis_sum <= std::numeric_limits<int32_t>::max(), label(),
                  ": concatenated dimension is too large");
    }
    shape[axis] = static_cast<int32_t>(axis_sum);
    SetOutputShape(out, shape);
    int64_t outer = 1, inner = static_cast<int64_t>(elem);
    for (int d = 0; d < axis; ++d) outer *= shape[d];
    for (int d = axis + 1; d < rank; ++d) inner *= shape[d];
    plans_.clear();
    offsets_.clear();
    int64_t offset = 0;
    for (int i = 0; i < num_inputs(); ++i) {
      const int64_t slab = inner * input(i).dim(axis);
      CopyPlan plan;
      plan.run_bytes = slab;
      AddCopyAxis(&plan, outer, slab, inner * axis_sum);
      plans_.push_back(SimplifyCopyPlan(plan));
      offsets_.push_back(offset);
      offset += slab;
    }
  }

  void Eval(const EvalContext&) override {
    uint8_t* out = output(0).data;
    for (size_t i = 0; i < plans_.size(); ++i)
      BlockCopy(plans_[i], input(static_cast<int>(i)).data, out + offsets_[i]);
  }

 private:
  void CheckInput(const Tensor& t, int i, int axis) const {
    const Tensor& t0 = input(0);
    const Tensor& out = output(0);
    PYRT_ENSURE(t.dtype == out.dtype, label(), ": input ", i, " '", t.name, "' has type ",
                DTypeName(t.dtype), ", output has ", DTypeName(out.dtype));
    PYRT_ENSURE(t.rank() == t0.rank(), label(), ": input ", i, " has rank ", t.rank(),
                ", input 0 has rank ", t0.rank());
    for (int d = 0; d < t.rank(); ++d)
      PYRT_ENSURE(d == axis || t.dim(d) == t0.dim(d), label(), ": input ", i, " shape ",
                  ShapeToString(t.shape), " differs from input 0 shape ", ShapeToString(t0.shape),
                  " outside axis ", axis);
    if (out.dtype == DType::kInt8) {
      RequireSameQuantization(t, out, label(), "int8 input");
    } else if (out.dtype == DType::kUInt8) {
      // The reference rescales uint8 inputs with other parameters; not implemented.
      RequireSameQuantization(t, out, label(), "uint8 input");
    } else if (out.dtype == DType::kInt16) {
      PYRT_ENSURE(t.zero_point() == 0 && out.zero_point() == 0, label(),
                  ": int16 tensors need zero point 0");
    }
  }

  // Constant scalars concatenate into a vector (TFLite folds them in Prepare).
  void PrepareScalars(size_t elem) {
    PYRT_ENSURE(options<ConcatenationOptions>().axis == 0, label(),
                ": scalars can only be concatenated along axis 0");
    plans_.clear();
    offsets_.clear();
    for (int i = 0; i < num_inputs(); ++i) {
      const Tensor& t = input(i);
      PYRT_ENSURE(t.is_constant && t.rank() == 0, label(),
                  ": concatenating scalars needs constant scalar inputs");
      PYRT_ENSURE(t.dtype == output(0).dtype, label(), ": input ", i, " type differs from output");
      CopyPlan plan;
      plan.run_bytes = static_cast<int64_t>(elem);
      plans_.push_back(plan);
      offsets_.push_back(static_cast<int64_t>(elem) * i);
    }
    SetOutputShape(output(0), {num_inputs()});
  }

  std::vector<CopyPlan> plans_;
  std::vector<int64_t> offsets_;
};

}  // namespace

std::unique_ptr<Op> MakeConcatenation() { return std::make_unique<Concatenation>(); }

}  // namespace pyrt
