// Ops whose float32 and quantized versions are separate classes (the float
// ones live in ops/*_f32.cc): one Op per node that, at each Prepare, picks
// the version matching input 0's type and forwards to it. Ops with a hybrid
// version (float32 input, int8 weights: ops/hybrid_*.cc) pick it when input
// 1 is int8.
#pragma once

#include <memory>

#include "ops/op.h"

namespace pyrt {

class DTypeDispatch : public Op {
 public:
  DTypeDispatch(OpFactory quantized, OpFactory float32, OpFactory hybrid = nullptr)
      : quantized_(quantized), float32_(float32), hybrid_(hybrid) {}
  void Prepare() override;
  void Eval(const EvalContext& ctx) override { impl_->Eval(ctx); }
  // Fusion looks through the dispatcher at the chosen implementation.
  const int8_t* UnaryLutS8() const override { return impl_ ? impl_->UnaryLutS8() : nullptr; }
  bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const override {
    return impl_ && impl_->EvalScalarS8(a, b, out);
  }

 private:
  OpFactory quantized_, float32_, hybrid_;
  OpFactory chosen_ = nullptr;
  std::unique_ptr<Op> impl_;
};

template <OpFactory Quantized, OpFactory Float32>
std::unique_ptr<Op> MakeDTypeDispatch() {
  return std::make_unique<DTypeDispatch>(Quantized, Float32);
}

template <OpFactory Quantized, OpFactory Float32, OpFactory Hybrid>
std::unique_ptr<Op> MakeHybridDispatch() {
  return std::make_unique<DTypeDispatch>(Quantized, Float32, Hybrid);
}

}  // namespace pyrt
