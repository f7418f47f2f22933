// LOGICAL_AND, LOGICAL_OR (numpy broadcasting) and LOGICAL_NOT on bool
// tensors: the loop conditions the converter writes for Keras RNN layers.
#include "kernels/reference/broadcast.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class LogicalBinaryOp : public Op {
 public:
  explicit LogicalBinaryOp(bool is_and) : and_(is_and) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    RequireType(input(0), DType::kBool, "input1");
    RequireType(input(1), DType::kBool, "input2");
    RequireType(output(0), DType::kBool, "output");
    SetOutputShape(output(0), BroadcastOutputShape(input(0), input(1), label()));
    plan_ = MakeBroadcastPlan(input(0).shape, input(1).shape);
  }

  void Eval(const EvalContext&) override {
    const bool* a = input(0).data_as<bool>();
    const bool* b = input(1).data_as<bool>();
    bool* out = output(0).data_as<bool>();
    const int64_t sa = plan_.stride_a[plan_.rank - 1], sb = plan_.stride_b[plan_.rank - 1];
    ForEachBroadcastRow(plan_, 0, plan_.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        const bool x = a[oa + i * sa], y = b[ob + i * sb];
        out[oo + i] = and_ ? (x && y) : (x || y);
      }
    });
  }

 private:
  bool and_;
  BroadcastPlan plan_;
};

class LogicalNotOp : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    RequireType(input(0), DType::kBool, "input");
    RequireType(output(0), DType::kBool, "output");
    SetOutputShape(output(0), input(0).shape);
  }
  void Eval(const EvalContext&) override {
    const bool* x = input(0).data_as<bool>();
    bool* out = output(0).data_as<bool>();
    for (int64_t i = 0, n = input(0).num_elements(); i < n; ++i) out[i] = !x[i];
  }
};

}  // namespace

std::unique_ptr<Op> MakeLogicalAnd() { return std::make_unique<LogicalBinaryOp>(true); }
std::unique_ptr<Op> MakeLogicalOr() { return std::make_unique<LogicalBinaryOp>(false); }
std::unique_ptr<Op> MakeLogicalNot() { return std::make_unique<LogicalNotOp>(); }

}  // namespace pyrt
