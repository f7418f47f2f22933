// LESS, LESS_EQUAL, GREATER, GREATER_EQUAL, EQUAL, NOT_EQUAL on float32,
// int32 and int64 (and bool for EQUAL / NOT_EQUAL), and int8 / uint8 with
// TFLite's rescaling, with numpy broadcasting: the conditions of IF and WHILE.
//
// Quantized inputs are compared as TFLite's ComparisonWithScaling does:
// v = MultiplyByQuantizedMultiplierSmallerThanOneExp((q - zp) << 8, M, s)
// with (M, s) from the input's scale, so inputs of different scales compare
// by real value, exactly as the reference rounds.
#include "kernels/reference/broadcast.h"
#include "quant/fixed_point.h"
#include "quant/multiplier.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

enum class Compare { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

class ComparisonOp : public Op {
 public:
  explicit ComparisonOp(Compare c) : c_(c) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    const Tensor& b = input(1);
    PYRT_ENSURE(a.dtype == b.dtype, label(), ": inputs have types ", DTypeName(a.dtype), " and ",
                DTypeName(b.dtype), "; expected one type");
    const bool equality = c_ == Compare::kEqual || c_ == Compare::kNotEqual;
    quantized_ = a.dtype == DType::kInt8 || a.dtype == DType::kUInt8;
    PYRT_ENSURE(a.dtype == DType::kFloat32 || a.dtype == DType::kInt32 ||
                    a.dtype == DType::kInt64 || quantized_ || (equality && a.dtype == DType::kBool),
                label(), ": inputs of type ", DTypeName(a.dtype), " are not supported (float32, "
                "int32, int64, int8, uint8", equality ? ", bool" : "", ")");
    if (quantized_) {
      RequirePerTensorQuant(a, "input1");
      RequirePerTensorQuant(b, "input2");
      const Tensor* ts[2] = {&a, &b};
      for (int i = 0; i < 2; ++i) {
        offset_[i] = -ts[i]->zero_point();
        mult_[i] = QuantizeMultiplierSmallerThanOneExp(ts[i]->scale(), label() + " input scale");
      }
    }
    RequireType(output(0), DType::kBool, "output");
    SetOutputShape(output(0), BroadcastOutputShape(a, b, label()));
    plan_ = MakeBroadcastPlan(a.shape, b.shape);
  }

  void Eval(const EvalContext&) override {
    switch (input(0).dtype) {
      case DType::kInt8: return RunQuantized<int8_t>();
      case DType::kUInt8: return RunQuantized<uint8_t>();
      case DType::kInt32: return Run<int32_t>();
      case DType::kInt64: return Run<int64_t>();
      case DType::kBool: return Run<bool>();
      default: return Run<float>();
    }
  }

 private:
  // Compares rescaled int32 values: the quantized inputs mapped by Scaled().
  template <typename T> void RunQuantized() {
    const T* a = input(0).data_as<T>();
    const T* b = input(1).data_as<T>();
    bool* out = output(0).data_as<bool>();
    const int64_t sa = plan_.stride_a[plan_.rank - 1], sb = plan_.stride_b[plan_.rank - 1];
    ForEachBroadcastRow(plan_, 0, plan_.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
      for (int64_t i = 0; i < n; ++i)
        out[oo + i] = Compare32(Scaled(0, a[oa + i * sa]), Scaled(1, b[ob + i * sb]));
    });
  }
  int32_t Scaled(int k, int32_t q) const {
    return MultiplyByQuantizedMultiplierSmallerThanOneExp((q + offset_[k]) * (1 << 8),
                                                          mult_[k].multiplier, mult_[k].shift);
  }
  bool Compare32(int32_t x, int32_t y) const {
    switch (c_) {
      case Compare::kLess: return x < y;
      case Compare::kLessEqual: return x <= y;
      case Compare::kGreater: return x > y;
      case Compare::kGreaterEqual: return x >= y;
      case Compare::kEqual: return x == y;
      default: return x != y;
    }
  }

  template <typename T> void Run() {
    switch (c_) {
      case Compare::kLess: return Apply<T>([](T x, T y) { return x < y; });
      case Compare::kLessEqual: return Apply<T>([](T x, T y) { return x <= y; });
      case Compare::kGreater: return Apply<T>([](T x, T y) { return x > y; });
      case Compare::kGreaterEqual: return Apply<T>([](T x, T y) { return x >= y; });
      case Compare::kEqual: return Apply<T>([](T x, T y) { return x == y; });
      case Compare::kNotEqual: return Apply<T>([](T x, T y) { return x != y; });
    }
  }

  template <typename T, typename F> void Apply(F f) {
    const T* a = input(0).data_as<T>();
    const T* b = input(1).data_as<T>();
    bool* out = output(0).data_as<bool>();
    const int64_t sa = plan_.stride_a[plan_.rank - 1], sb = plan_.stride_b[plan_.rank - 1];
    ForEachBroadcastRow(plan_, 0, plan_.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
      for (int64_t i = 0; i < n; ++i) out[oo + i] = f(a[oa + i * sa], b[ob + i * sb]);
    });
  }

  Compare c_;
  BroadcastPlan plan_;
  bool quantized_ = false;
  int32_t offset_[2] = {0, 0};
  QuantizedMultiplier mult_[2];
};

}  // namespace

std::unique_ptr<Op> MakeLess() { return std::make_unique<ComparisonOp>(Compare::kLess); }
std::unique_ptr<Op> MakeLessEqual() { return std::make_unique<ComparisonOp>(Compare::kLessEqual); }
std::unique_ptr<Op> MakeGreater() { return std::make_unique<ComparisonOp>(Compare::kGreater); }
std::unique_ptr<Op> MakeGreaterEqual() { return std::make_unique<ComparisonOp>(Compare::kGreaterEqual); }
std::unique_ptr<Op> MakeEqual() { return std::make_unique<ComparisonOp>(Compare::kEqual); }
std::unique_ptr<Op> MakeNotEqual() { return std::make_unique<ComparisonOp>(Compare::kNotEqual); }

}  // namespace pyrt
