// REDUCE_ANY and REDUCE_ALL on bool: the logical OR / AND over the axes,
// which on bools are REDUCE_MAX / REDUCE_MIN (also for empty reductions:
// ANY of nothing is false, ALL of nothing is true), so they forward to that op.
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class ReduceLogicalOp : public Op {
 public:
  explicit ReduceLogicalOp(bool any) : inner_(any ? MakeReduceMax() : MakeReduceMin()) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    RequireType(input(0), DType::kBool, "input");
    inner_->Bind(&desc(), bound_inputs(), bound_outputs());
    inner_->set_isa(isa());
    inner_->Prepare();
  }
  void Eval(const EvalContext& ctx) override { inner_->Eval(ctx); }

 private:
  std::unique_ptr<Op> inner_;
};

}  // namespace

std::unique_ptr<Op> MakeReduceAny() { return std::make_unique<ReduceLogicalOp>(true); }
std::unique_ptr<Op> MakeReduceAll() { return std::make_unique<ReduceLogicalOp>(false); }

}  // namespace pyrt
