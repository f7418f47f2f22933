// FLOOR, CEIL, SIN, COS, ELU, RELU_0_TO_1, LOG_SOFTMAX (float32; ELU and
// RELU_0_TO_1 int8 live with the other int8 tables in ops/activations.cc), SIGN (float32, float64, int32), ATAN2
// (float32, float64; y and x of one shape), LOGICAL_NOT and LOGICAL_AND /
// LOGICAL_OR (bool, numpy broadcasting): the types the reference resolver
// registers, one C++ function per element as TFLite's kernels.
#include "kernels/reference/elementwise_simple.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

// One input, output of the same type and shape; `allowed` input types.
class SameShapeUnary : public Op {
 protected:
  void PrepareUnary(std::initializer_list<DType> allowed) {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    bool ok = false;
    for (DType t : allowed) ok = ok || in.dtype == t;
    PYRT_ENSURE(ok, label(), ": unsupported input type ", DTypeName(in.dtype));
    RequireType(output(0), in.dtype, "output");
    SetOutputShape(output(0), in.shape);
  }
  int64_t n() const { return input(0).num_elements(); }
};

class SimpleUnaryF32Op : public SameShapeUnary {
 public:
  explicit SimpleUnaryF32Op(SimpleUnaryF32 op) : op_(op) {}
  void Prepare() override { PrepareUnary({DType::kFloat32}); }
  void Eval(const EvalContext&) override {
    SimpleUnaryF32Kernel(op_, n(), input(0).data_as<float>(), output(0).data_as<float>());
  }

 private:
  SimpleUnaryF32 op_;
};

// LOG_SOFTMAX, float32 only (the int8/uint8 kernels are not implemented).
class LogSoftmaxF32Op : public SameShapeUnary {
 public:
  void Prepare() override {
    PrepareUnary({DType::kFloat32});
    PYRT_ENSURE(input(0).rank() >= 1, label(), ": input must have rank >= 1");
  }
  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    const int64_t depth = in.dim(in.rank() - 1);
    if (depth == 0) return;
    LogSoftmaxF32(in.num_elements() / depth, depth, in.data_as<float>(), output(0).data_as<float>());
  }
};

class SignOp : public SameShapeUnary {
 public:
  void Prepare() override { PrepareUnary({DType::kFloat32, DType::kFloat64, DType::kInt32}); }
  void Eval(const EvalContext&) override {
    switch (input(0).dtype) {
      case DType::kFloat32: return Run<float>();
      case DType::kFloat64: return Run<double>();
      default: return Run<int32_t>();
    }
  }

 private:
  template <typename T> void Run() { SignKernel(n(), input(0).data_as<T>(), output(0).data_as<T>()); }
};

class LogicalNotOp : public SameShapeUnary {
 public:
  void Prepare() override { PrepareUnary({DType::kBool}); }
  void Eval(const EvalContext&) override {
    LogicalNot(n(), input(0).data_as<bool>(), output(0).data_as<bool>());
  }
};

class Atan2Op : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& y = input(0);
    const Tensor& x = input(1);
    PYRT_ENSURE(y.dtype == DType::kFloat32 || y.dtype == DType::kFloat64, label(),
                ": unsupported input type ", DTypeName(y.dtype), " (float32 or float64)");
    RequireType(x, y.dtype, "x");
    RequireType(output(0), y.dtype, "output");
    PYRT_ENSURE(x.shape == y.shape, label(), ": y ", ShapeToString(y.shape), " and x ",
                ShapeToString(x.shape), " must have one shape");
    SetOutputShape(output(0), y.shape);
  }
  void Eval(const EvalContext&) override {
    const int64_t n = input(0).num_elements();
    if (input(0).dtype == DType::kFloat32) {
      Atan2F32(n, input(0).data_as<float>(), input(1).data_as<float>(), output(0).data_as<float>());
    } else {
      Atan2F64(n, input(0).data_as<double>(), input(1).data_as<double>(),
               output(0).data_as<double>());
    }
  }
};

class LogicalBinaryOp : public Op {
 public:
  explicit LogicalBinaryOp(LogicalOp op) : op_(op) {}
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
    LogicalBinary(op_, plan_, input(0).data_as<bool>(), input(1).data_as<bool>(),
                  output(0).data_as<bool>());
  }

 private:
  LogicalOp op_;
  BroadcastPlan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeEluF32() { return std::make_unique<SimpleUnaryF32Op>(SimpleUnaryF32::kElu); }
std::unique_ptr<Op> MakeRelu0To1F32() {
  return std::make_unique<SimpleUnaryF32Op>(SimpleUnaryF32::kRelu0To1);
}
std::unique_ptr<Op> MakeLogSoftmax() { return std::make_unique<LogSoftmaxF32Op>(); }
std::unique_ptr<Op> MakeFloor() { return std::make_unique<SimpleUnaryF32Op>(SimpleUnaryF32::kFloor); }
std::unique_ptr<Op> MakeRound() { return std::make_unique<SimpleUnaryF32Op>(SimpleUnaryF32::kRound); }
std::unique_ptr<Op> MakeCeil() { return std::make_unique<SimpleUnaryF32Op>(SimpleUnaryF32::kCeil); }
std::unique_ptr<Op> MakeSin() { return std::make_unique<SimpleUnaryF32Op>(SimpleUnaryF32::kSin); }
std::unique_ptr<Op> MakeCos() { return std::make_unique<SimpleUnaryF32Op>(SimpleUnaryF32::kCos); }
std::unique_ptr<Op> MakeSign() { return std::make_unique<SignOp>(); }
std::unique_ptr<Op> MakeAtan2() { return std::make_unique<Atan2Op>(); }
std::unique_ptr<Op> MakeLogicalNot() { return std::make_unique<LogicalNotOp>(); }
std::unique_ptr<Op> MakeLogicalAnd() { return std::make_unique<LogicalBinaryOp>(LogicalOp::kAnd); }
std::unique_ptr<Op> MakeLogicalOr() { return std::make_unique<LogicalBinaryOp>(LogicalOp::kOr); }

}  // namespace pyrt
