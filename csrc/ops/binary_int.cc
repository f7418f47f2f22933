// ADD, SUB and MUL on int32 and int64 tensors (shape arithmetic in converted
// graphs: end = n + 1, size = h * w): the reference's plain integer op, then
// the fused activation's clamp (RELU [0, max], RELU6 [0, 6], RELU_N1_TO_1
// [-1, 1]); numpy broadcasting up to rank 6. Overflow wraps (two's complement),
// where the reference's C++ is undefined. Other types go to the op's existing
// versions (int8/uint8/int16 and float32), picked at Prepare.
#include <algorithm>
#include <limits>
#include <type_traits>

#include "kernels/reference/binary_elementwise.h"
#include "ops/broadcast_common.h"
#include "ops/dtype_dispatch.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

enum class IntArith { kAdd, kSub, kMul };

template <typename T>
T Wrapping(IntArith op, T a, T b) {
  using U = std::make_unsigned_t<T>;
  const U ua = static_cast<U>(a), ub = static_cast<U>(b);
  const U r = op == IntArith::kAdd ? ua + ub : op == IntArith::kSub ? ua - ub : ua * ub;
  return static_cast<T>(r);
}

class IntArithOp : public Op {
 public:
  explicit IntArithOp(IntArith op) : op_(op) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    RequireType(input(1), a.dtype, "input2");
    RequireType(output(0), a.dtype, "output");
    SetOutputShape(output(0), BroadcastOutputShape(a, input(1), label()));
    plan_ = MakeBroadcastPlan(a.shape, input(1).shape);
    switch (options<ArithmeticOptions>().activation) {
      case Activation::kNone: lo_ = std::numeric_limits<int64_t>::min(); hi_ = std::numeric_limits<int64_t>::max(); break;
      case Activation::kRelu: lo_ = 0; hi_ = std::numeric_limits<int64_t>::max(); break;
      case Activation::kRelu6: lo_ = 0; hi_ = 6; break;
      case Activation::kReluN1To1: lo_ = -1; hi_ = 1; break;
      default: PYRT_ENSURE(false, label(), ": unsupported fused activation for ", DTypeName(a.dtype));
    }
  }

  void Eval(const EvalContext&) override {
    if (input(0).dtype == DType::kInt32) return Run<int32_t>();
    Run<int64_t>();
  }

 private:
  template <typename T> void Run() {
    const IntArith op = op_;
    const T lo = static_cast<T>(std::max<int64_t>(lo_, std::numeric_limits<T>::min()));
    const T hi = static_cast<T>(std::min<int64_t>(hi_, std::numeric_limits<T>::max()));
    BroadcastBinary(plan_, input(0).data_as<T>(), input(1).data_as<T>(), output(0).data_as<T>(),
                    [op, lo, hi](T x, T y) {
                      const T r = Wrapping(op, x, y);
                      return r < lo ? lo : r > hi ? hi : r;
                    });
  }

  IntArith op_;
  int64_t lo_ = 0, hi_ = 0;
  BroadcastPlan plan_;
};

// int32/int64 nodes get IntArithOp, the others the op's DTypeDispatch.
class WithIntVersion : public Op {
 public:
  WithIntVersion(IntArith op, OpFactory others) : op_(op), others_(others) {}

  void Prepare() override {
    const DType t = input(0).dtype;
    const bool integer = t == DType::kInt32 || t == DType::kInt64;
    if (!impl_ || integer != integer_) {
      impl_ = integer ? std::make_unique<IntArithOp>(op_) : others_();
      integer_ = integer;
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
  IntArith op_;
  OpFactory others_;
  bool integer_ = false;
  std::unique_ptr<Op> impl_;
};

}  // namespace

std::unique_ptr<Op> MakeAddAnyType() {
  return std::make_unique<WithIntVersion>(IntArith::kAdd, MakeDTypeDispatch<MakeAdd, MakeAddF32>);
}
std::unique_ptr<Op> MakeSubAnyType() {
  return std::make_unique<WithIntVersion>(IntArith::kSub, MakeDTypeDispatch<MakeSub, MakeSubF32>);
}
std::unique_ptr<Op> MakeMulAnyType() {
  return std::make_unique<WithIntVersion>(IntArith::kMul, MakeDTypeDispatch<MakeMul, MakeMulF32>);
}

}  // namespace pyrt
