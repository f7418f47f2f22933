// PACK: N same-shape inputs stacked along a new axis (negative wraps over
// rank + 1), any dense dtype. Input i lands as one contiguous slab per outer
// index. Like TFLite's Prepare, every input must share the output's scale and
// zero point.
#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Pack : public Op {
 public:
  void Prepare() override {
    const PackOptions& o = options<PackOptions>();
    PYRT_ENSURE(o.values_count >= 1 && o.values_count == num_inputs(), label(), ": values_count ",
                o.values_count, " differs from the number of inputs ", num_inputs());
    RequireOutputCount(1);
    const Tensor& t0 = input(0);
    Tensor& out = output(0);
    const size_t elem = CopyableElementSize(t0, label(), "input 0");
    const int rank = t0.rank();
    const int axis = o.axis < 0 ? o.axis + rank + 1 : o.axis;
    PYRT_ENSURE(axis >= 0 && axis <= rank, label(), ": axis ", o.axis,
                " is out of range for inputs of rank ", rank);
    for (int i = 0; i < num_inputs(); ++i) {
      const Tensor& t = input(i);
      PYRT_ENSURE(t.dtype == out.dtype, label(), ": input ", i, " '", t.name, "' has type ",
                  DTypeName(t.dtype), ", output has ", DTypeName(out.dtype));
      PYRT_ENSURE(t.shape == t0.shape, label(), ": input ", i, " shape ", ShapeToString(t.shape),
                  " differs from input 0 shape ", ShapeToString(t0.shape));
      RequireSameQuantization(t, out, label(), "input");
    }
    Shape shape = t0.shape;
    shape.insert(shape.begin() + axis, num_inputs());
    SetOutputShape(out, shape);
    int64_t outer = 1, slab = static_cast<int64_t>(elem);
    for (int d = 0; d < axis; ++d) outer *= t0.dim(d);
    for (int d = axis; d < rank; ++d) slab *= t0.dim(d);
    CopyPlan plan;
    plan.run_bytes = slab;
    AddCopyAxis(&plan, outer, slab, slab * num_inputs());
    plan_ = SimplifyCopyPlan(plan);
    slab_ = slab;
  }

  void Eval(const EvalContext&) override {
    uint8_t* out = output(0).data;
    for (int i = 0; i < num_inputs(); ++i) BlockCopy(plan_, input(i).data, out + slab_ * i);
  }

 private:
  CopyPlan plan_;
  int64_t slab_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakePack() { return std::make_unique<Pack>(); }

}  // namespace pyrt
