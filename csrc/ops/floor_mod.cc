// FLOOR_MOD on int32, int64 and float32 (floor_mod.cc): the truncated
// remainder (% or fmod in float), moved into the divisor's sign; numpy
// broadcasting. A zero integer divisor fails the reference's invoke; here it
// gives 0, and INT_MIN % -1 (a trap on x86) gives 0, its true value.
#include <cmath>

#include "kernels/reference/binary_elementwise.h"
#include "ops/broadcast_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

template <typename T>
T FloorModInt(T a, T b) {
  if (b == 0 || b == -1) return 0;
  const T r = a % b;
  return r != 0 && ((b < 0) != (r < 0)) ? static_cast<T>(r + b) : r;
}

float FloorModFloat(float a, float b) {
  const float r = std::fmod(a, b);
  return r != 0 && ((b < 0) != (r < 0)) ? r + b : r;
}

class FloorMod : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& a = input(0);
    PYRT_ENSURE(a.dtype == DType::kInt32 || a.dtype == DType::kInt64 || a.dtype == DType::kFloat32, label(),
                ": only int32, int64 and float32 are supported, got ", DTypeName(a.dtype));
    RequireType(input(1), a.dtype, "input2");
    RequireType(output(0), a.dtype, "output");
    SetOutputShape(output(0), BroadcastOutputShape(a, input(1), label()));
    plan_ = MakeBroadcastPlan(a.shape, input(1).shape);
  }

  void Eval(const EvalContext&) override {
    switch (input(0).dtype) {
      case DType::kInt32: return Run<int32_t>(FloorModInt<int32_t>);
      case DType::kInt64: return Run<int64_t>(FloorModInt<int64_t>);
      default: return Run<float>(FloorModFloat);
    }
  }

 private:
  template <typename T, typename F> void Run(F f) {
    BroadcastBinary(plan_, input(0).data_as<T>(), input(1).data_as<T>(), output(0).data_as<T>(), f);
  }

  BroadcastPlan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeFloorMod() { return std::make_unique<FloorMod>(); }

}  // namespace pyrt
