// Float32 ADD, SUB, MUL (numpy broadcasting up to rank 6, fused activation
// as a clamp), LOGISTIC, HARD_SWISH and SOFTMAX: TFLite's float kernels.
#include <algorithm>

#include "kernels/f32_vmath/f32_vmath.h"
#include "kernels/f32_vops/f32_vops.h"
#include "kernels/reference/elementwise_f32.h"
#include "model/builtin_ops.h"
#include "ops/activation_range.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"
#include "quant/multiplier.h"

namespace pyrt {
namespace {

class BinaryArithF32 : public Op {
 public:
  explicit BinaryArithF32(BinaryF32Op op) : op_(op) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    const Tensor& b = input(1);
    RequireType(a, DType::kFloat32, "input1");
    RequireType(b, DType::kFloat32, "input2");
    RequireType(output(0), DType::kFloat32, "output");
    SetOutputShape(output(0), BroadcastOutputShape(a, b, label()));
    plan_ = MakeBroadcastPlan(a.shape, b.shape);
    FloatActivationRange(options<ArithmeticOptions>().activation, &lo_, &hi_, label());
  }
  void Eval(const EvalContext&) override {
    BinaryF32(isa(), op_, plan_, input(0).data_as<float>(), input(1).data_as<float>(),
              output(0).data_as<float>(), lo_, hi_);
  }

 protected:
  BinaryF32Op op_;
  BroadcastPlan plan_;
  float lo_ = 0.f, hi_ = 0.f;
};

// ADD / SUB / MUL followed by a RELU-family op (interpreter/fusion.h): the
// binary op's output, then the path's clamp std::min(std::max(lo, x), hi)
// over it in place, as the two ops compute them one after the other (the
// operand orders differ from the binary op's fused clamp on NaN). Operands
// of one shape go in chunks that stay in L1 between the two passes.
class BinaryThenClampF32 : public BinaryArithF32 {
 public:
  BinaryThenClampF32(BinaryF32Op op, float lo, float hi)
      : BinaryArithF32(op), clamp_lo_(lo), clamp_hi_(hi) {}

  void Eval(const EvalContext&) override {
    const F32VopsConfig& v = F32VopsConfigFor(isa());
    const float* a = input(0).data_as<float>();
    const float* b = input(1).data_as<float>();
    float* out = output(0).data_as<float>();
    const int64_t n = output(0).num_elements();
    if (input(0).shape != input(1).shape || op_ == BinaryF32Op::kPrelu) {
      BinaryF32(isa(), op_, plan_, a, b, out, lo_, hi_);
      v.clamp(out, out, n, clamp_lo_, clamp_hi_);
      return;
    }
    // BinaryF32 runs operands of one shape as one row of the path's kernel.
    const BinaryRowF32Fn row = op_ == BinaryF32Op::kAdd   ? v.add
                               : op_ == BinaryF32Op::kSub ? v.sub
                                                          : v.mul;
    constexpr int64_t kChunk = 4096;  // floats: 16 KB of output
    for (int64_t i = 0; i < n; i += kChunk) {
      const int64_t m = std::min(kChunk, n - i);
      row(a + i, b + i, out + i, m, lo_, hi_);
      v.clamp(out + i, out + i, m, clamp_lo_, clamp_hi_);
    }
  }

 private:
  float clamp_lo_, clamp_hi_;
};

// One float32 input, one float32 output of the same shape.
class UnaryF32 : public Op {
 public:
  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    RequireType(input(0), DType::kFloat32, "input");
    RequireType(output(0), DType::kFloat32, "output");
    SetOutputShape(output(0), input(0).shape);
    PrepareMore();
  }

 protected:
  virtual void PrepareMore() {}
  int64_t size() const { return input(0).num_elements(); }
  const float* in() const { return input(0).data_as<float>(); }
  float* out() const { return output(0).data_as<float>(); }
};

class LogisticF32Op : public UnaryF32 {
 public:
  void Eval(const EvalContext&) override { F32VmathConfigFor(isa()).logistic(size(), in(), out()); }
};

class HardSwishF32Op : public UnaryF32 {
 public:
  void Eval(const EvalContext&) override {
    F32VmathConfigFor(isa()).hard_swish(size(), in(), out());
  }
};

class SoftmaxF32Op : public UnaryF32 {
 public:
  void Eval(const EvalContext&) override {
    F32VmathConfigFor(isa()).softmax(rows_, depth_, options<SoftmaxOptions>().beta, in(), out());
  }

 private:
  void PrepareMore() override {
    const Tensor& x = input(0);
    PYRT_ENSURE(x.rank() >= 1, label(), ": input must have rank >= 1");
    depth_ = x.dim(x.rank() - 1);
    rows_ = depth_ > 0 ? x.num_elements() / depth_ : 0;
  }
  int depth_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakeAddF32() { return std::make_unique<BinaryArithF32>(BinaryF32Op::kAdd); }
std::unique_ptr<Op> MakeSubF32() { return std::make_unique<BinaryArithF32>(BinaryF32Op::kSub); }
std::unique_ptr<Op> MakeMulF32() { return std::make_unique<BinaryArithF32>(BinaryF32Op::kMul); }
std::unique_ptr<Op> MakeBinaryThenClampF32(int builtin_code, float lo, float hi) {
  const BinaryF32Op op = builtin_code == kOpAdd   ? BinaryF32Op::kAdd
                         : builtin_code == kOpSub ? BinaryF32Op::kSub
                                                  : BinaryF32Op::kMul;
  return std::make_unique<BinaryThenClampF32>(op, lo, hi);
}
std::unique_ptr<Op> MakeLogisticF32() { return std::make_unique<LogisticF32Op>(); }
std::unique_ptr<Op> MakeHardSwishF32() { return std::make_unique<HardSwishF32Op>(); }
std::unique_ptr<Op> MakeSoftmaxF32() { return std::make_unique<SoftmaxF32Op>(); }

}  // namespace pyrt
