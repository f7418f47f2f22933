// EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL with numpy
// broadcasting to a bool output: float32, int32, int64 and (EQUAL /
// NOT_EQUAL) bool compare raw values; int8 and uint8 compare after TFLite's
// per-input scaling (kernels/reference/comparison.h), so inputs of different
// scales compare by real value.
#include "kernels/reference/comparison.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class ComparisonOp : public Op {
 public:
  explicit ComparisonOp(CompareOp op) : op_(op) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    const Tensor& b = input(1);
    RequireType(b, a.dtype, "input2");
    RequireType(output(0), DType::kBool, "output");
    const DType t = a.dtype;
    const bool equality = op_ == CompareOp::kEqual || op_ == CompareOp::kNotEqual;
    // int16 (registered, compared after a scaling we do not mirror) is refused.
    PYRT_ENSURE(t == DType::kFloat32 || t == DType::kInt32 ||
                    t == DType::kInt64 || t == DType::kInt8 || t == DType::kUInt8 ||
                    (equality && t == DType::kBool),
                label(), ": unsupported input type ", DTypeName(t));
    if (t == DType::kInt8 || t == DType::kUInt8) {
      RequirePerTensorQuant(a, "input1");
      RequirePerTensorQuant(b, "input2");
      scale_a_ = Scaling(a, "input1");
      scale_b_ = Scaling(b, "input2");
    }
    SetOutputShape(output(0), BroadcastOutputShape(a, b, label()));
    plan_ = MakeBroadcastPlan(a.shape, b.shape);
  }

  void Eval(const EvalContext&) override {
    switch (input(0).dtype) {
      case DType::kFloat32: return Raw<float>();
      case DType::kInt32: return Raw<int32_t>();
      case DType::kInt64: return Raw<int64_t>();
      case DType::kBool: return Raw<bool>();
      case DType::kInt8: return Scaled<int8_t>();
      default: return Scaled<uint8_t>();
    }
  }

 private:
  CompareScaling Scaling(const Tensor& t, const char* role) const {
    const QuantizedMultiplier q =
        QuantizeMultiplierSmallerThanOneExp(t.scale(), StrCat(label(), " ", role, " scale"));
    return CompareScaling{-t.zero_point(), q.multiplier, q.shift};
  }
  template <typename T> void Raw() {
    auto id = [](T v) { return v; };
    CompareBroadcast(plan_, input(0).data_as<T>(), input(1).data_as<T>(),
                     output(0).data_as<bool>(), id, id, op_);
  }
  template <typename T> void Scaled() {
    const CompareScaling sa = scale_a_, sb = scale_b_;
    const T* a = input(0).data_as<T>();
    const T* b = input(1).data_as<T>();
    bool* out = output(0).data_as<bool>();
    const int64_t ia = plan_.stride_a[plan_.rank - 1], ib = plan_.stride_b[plan_.rank - 1];
    ForEachBroadcastRow(plan_, 0, plan_.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
      for (int64_t i = 0; i < n; ++i)
        out[oo + i] = Compare(op_, ScaledForCompare(sa, a[oa + i * ia]),
                              ScaledForCompare(sb, b[ob + i * ib]));
    });
  }

  CompareOp op_;
  CompareScaling scale_a_, scale_b_;
  BroadcastPlan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeEqual() { return std::make_unique<ComparisonOp>(CompareOp::kEqual); }
std::unique_ptr<Op> MakeNotEqual() { return std::make_unique<ComparisonOp>(CompareOp::kNotEqual); }
std::unique_ptr<Op> MakeGreater() { return std::make_unique<ComparisonOp>(CompareOp::kGreater); }
std::unique_ptr<Op> MakeGreaterEqual() { return std::make_unique<ComparisonOp>(CompareOp::kGreaterEqual); }
std::unique_ptr<Op> MakeLess() { return std::make_unique<ComparisonOp>(CompareOp::kLess); }
std::unique_ptr<Op> MakeLessEqual() { return std::make_unique<ComparisonOp>(CompareOp::kLessEqual); }

}  // namespace pyrt
