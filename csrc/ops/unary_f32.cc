// Float32 versions of the elementwise unary ops: RELU, RELU6, RELU_N1_TO_1,
// LEAKY_RELU, TANH, GELU, ABS, NEG, EXP, LOG, SQRT, RSQRT, SQUARE.
#include <limits>

#include "kernels/f32_vmath/f32_vmath.h"
#include "kernels/f32_vops/f32_vops.h"
#include "kernels/reference/unary_f32.h"
#include "ops/op.h"
#include "model/builtin_ops.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class UnaryF32Kernel : public Op {
 public:
  explicit UnaryF32Kernel(UnaryF32Op op) : op_(op) {}

  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    RequireType(input(0), DType::kFloat32, "input");
    RequireType(output(0), DType::kFloat32, "output");
    SetOutputShape(output(0), input(0).shape);
  }
  void Eval(const EvalContext&) override {
    const float* in = input(0).data_as<float>();
    float* out = output(0).data_as<float>();
    const int64_t n = input(0).num_elements();
    // The RELU family is std::min(std::max(lo, x), hi): the path's clamp.
    switch (op_) {
      case UnaryF32Op::kRelu:
        return F32VopsConfigFor(isa()).clamp(in, out, n, 0.f, std::numeric_limits<float>::infinity());
      case UnaryF32Op::kRelu6: return F32VopsConfigFor(isa()).clamp(in, out, n, 0.f, 6.f);
      case UnaryF32Op::kReluN1To1: return F32VopsConfigFor(isa()).clamp(in, out, n, -1.f, 1.f);
      default: return UnaryF32(op_, n, in, out);
    }
  }

 protected:
  UnaryF32Op op_;
};

// TANH and GELU (either form): the path's approximation (kernels/f32_vmath/;
// libm on the reference path).
class VmathF32Op : public UnaryF32Kernel {
 public:
  explicit VmathF32Op(UnaryF32Op op) : UnaryF32Kernel(op) {}
  void Prepare() override {
    UnaryF32Kernel::Prepare();
    const F32VmathConfig& vmath = F32VmathConfigFor(isa());
    if (op_ == UnaryF32Op::kTanh) map_ = vmath.tanh;
    else map_ = options<GeluOptions>().approximate ? vmath.gelu_tanh : vmath.gelu;
  }
  void Eval(const EvalContext&) override {
    map_(input(0).num_elements(), input(0).data_as<float>(), output(0).data_as<float>());
  }

 private:
  MapF32Fn map_ = nullptr;
};

class LeakyReluF32Op : public UnaryF32Kernel {
 public:
  LeakyReluF32Op() : UnaryF32Kernel(UnaryF32Op::kRelu) {}
  void Eval(const EvalContext&) override {
    LeakyReluF32(options<LeakyReluOptions>().alpha, input(0).num_elements(),
                 input(0).data_as<float>(), output(0).data_as<float>());
  }
};

template <UnaryF32Op kOp>
std::unique_ptr<Op> Make() { return std::make_unique<UnaryF32Kernel>(kOp); }

}  // namespace

std::unique_ptr<Op> MakeReluF32() { return Make<UnaryF32Op::kRelu>(); }
std::unique_ptr<Op> MakeRelu6F32() { return Make<UnaryF32Op::kRelu6>(); }
std::unique_ptr<Op> MakeReluN1To1F32() { return Make<UnaryF32Op::kReluN1To1>(); }
std::unique_ptr<Op> MakeLeakyReluF32() { return std::make_unique<LeakyReluF32Op>(); }
std::unique_ptr<Op> MakeTanhF32() { return std::make_unique<VmathF32Op>(UnaryF32Op::kTanh); }
std::unique_ptr<Op> MakeGeluF32() { return std::make_unique<VmathF32Op>(UnaryF32Op::kGeluExact); }
std::unique_ptr<Op> MakeAbsF32() { return Make<UnaryF32Op::kAbs>(); }
std::unique_ptr<Op> MakeNegF32() { return Make<UnaryF32Op::kNeg>(); }
std::unique_ptr<Op> MakeExpF32() { return Make<UnaryF32Op::kExp>(); }
std::unique_ptr<Op> MakeLogF32() { return Make<UnaryF32Op::kLog>(); }
std::unique_ptr<Op> MakeSqrtF32() { return Make<UnaryF32Op::kSqrt>(); }
std::unique_ptr<Op> MakeRsqrtF32() { return Make<UnaryF32Op::kRsqrt>(); }
std::unique_ptr<Op> MakeSquareF32() { return Make<UnaryF32Op::kSquare>(); }

}  // namespace pyrt
