// ADD, SUB and MUL on int32 and int64 tensors (loop counters of WHILE
// bodies, index arithmetic), with numpy broadcasting and the fused
// activation as a clamp, as TFLite's reference kernels. Other types go to
// the existing versions (int8/int16/float32 dispatch) unchanged.
#include <algorithm>
#include <limits>
#include <type_traits>

#include "kernels/reference/broadcast.h"
#include "ops/broadcast_common.h"
#include "ops/dtype_dispatch.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

enum class IntArith { kAdd, kSub, kMul };

class IntArithOp : public Op {
 public:
  explicit IntArithOp(IntArith k) : k_(k) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    RequireType(input(1), a.dtype, "input2");
    RequireType(output(0), a.dtype, "output");
    SetOutputShape(output(0), BroadcastOutputShape(a, input(1), label()));
    plan_ = MakeBroadcastPlan(a.shape, input(1).shape);
    // TFLite's CalculateActivationRange for integer types.
    switch (options<ArithmeticOptions>().activation) {
      case Activation::kNone: lo_ = std::numeric_limits<int64_t>::min(); hi_ = std::numeric_limits<int64_t>::max(); break;
      case Activation::kRelu: lo_ = 0; hi_ = std::numeric_limits<int64_t>::max(); break;
      case Activation::kRelu6: lo_ = 0; hi_ = 6; break;
      case Activation::kReluN1To1: lo_ = -1; hi_ = 1; break;
      default: ThrowModelError(label(), ": unsupported fused activation for ", DTypeName(a.dtype));
    }
  }

  void Eval(const EvalContext&) override {
    if (input(0).dtype == DType::kInt32) return Run<int32_t>();
    Run<int64_t>();
  }

 private:
  // Wrapping arithmetic (no signed-overflow UB), then the activation clamp.
  template <typename T> T Apply(T x, T y) const {
    using U = std::make_unsigned_t<T>;
    const U ux = static_cast<U>(x), uy = static_cast<U>(y);
    const T r = static_cast<T>(k_ == IntArith::kAdd ? ux + uy : k_ == IntArith::kSub ? ux - uy : ux * uy);
    return static_cast<T>(std::clamp<int64_t>(r, std::max<int64_t>(lo_, std::numeric_limits<T>::min()),
                                              std::min<int64_t>(hi_, std::numeric_limits<T>::max())));
  }

  template <typename T> void Run() {
    const T* a = input(0).data_as<T>();
    const T* b = input(1).data_as<T>();
    T* out = output(0).data_as<T>();
    const int64_t sa = plan_.stride_a[plan_.rank - 1], sb = plan_.stride_b[plan_.rank - 1];
    ForEachBroadcastRow(plan_, 0, plan_.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
      for (int64_t i = 0; i < n; ++i) out[oo + i] = Apply<T>(a[oa + i * sa], b[ob + i * sb]);
    });
  }

  IntArith k_;
  BroadcastPlan plan_;
  int64_t lo_ = 0, hi_ = 0;
};

// Picks IntArithOp for int32/int64 inputs and `Other` (the existing
// dispatcher) for everything else, at each Prepare.
template <IntArith K, OpFactory Other>
class WithIntArith : public Op {
 public:
  void Prepare() override {
    const DType t = input(0).dtype;
    const bool is_int = t == DType::kInt32 || t == DType::kInt64;
    if (!impl_ || is_int != int_) {
      impl_ = is_int ? std::make_unique<IntArithOp>(K) : Other();
      int_ = is_int;
    }
    impl_->Bind(&desc(), bound_inputs(), bound_outputs());
    impl_->set_isa(isa());
    impl_->Prepare();
    scratch_bytes_ = impl_->scratch_bytes();
  }
  void Eval(const EvalContext& ctx) override { impl_->Eval(ctx); }
  const int8_t* UnaryLutS8() const override { return impl_ ? impl_->UnaryLutS8() : nullptr; }
  bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const override {
    return impl_ && impl_->EvalScalarS8(a, b, out);
  }

 private:
  std::unique_ptr<Op> impl_;
  bool int_ = false;
};

template <IntArith K, OpFactory Other>
std::unique_ptr<Op> MakeWithIntArith() { return std::make_unique<WithIntArith<K, Other>>(); }

}  // namespace

std::unique_ptr<Op> MakeAddAnyType() { return MakeWithIntArith<IntArith::kAdd, MakeDTypeDispatch<MakeAdd, MakeAddF32>>(); }
std::unique_ptr<Op> MakeSubAnyType() { return MakeWithIntArith<IntArith::kSub, MakeDTypeDispatch<MakeSub, MakeSubF32>>(); }
std::unique_ptr<Op> MakeMulAnyType() { return MakeWithIntArith<IntArith::kMul, MakeDTypeDispatch<MakeMul, MakeMulF32>>(); }

}  // namespace pyrt
