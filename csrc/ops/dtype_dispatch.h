// Ops whose float32 and quantized versions are separate classes (the float
// ones live in ops/*_f32.cc, the 16x8 ones in ops/*_s16.cc): one Op per node
// that, at each Prepare, picks the version matching input 0's type and
// forwards to it. Without an int16 version, int16 goes to the quantized one.
#pragma once

#include <memory>

#include "ops/op.h"

namespace pyrt {

class DTypeDispatch : public Op {
 public:
  DTypeDispatch(OpFactory quantized, OpFactory float32, OpFactory int16 = nullptr)
      : quantized_(quantized), float32_(float32), int16_(int16) {}
  void Prepare() override;
  void Eval(const EvalContext& ctx) override { impl_->Eval(ctx); }
  // Fusion looks through the dispatcher at the chosen implementation.
  const int8_t* UnaryLutS8() const override { return impl_ ? impl_->UnaryLutS8() : nullptr; }
  bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const override {
    return impl_ && impl_->EvalScalarS8(a, b, out);
  }

 private:
  OpFactory quantized_, float32_, int16_;
  OpFactory chosen_ = nullptr;
  std::unique_ptr<Op> impl_;
};

template <OpFactory Quantized, OpFactory Float32>
std::unique_ptr<Op> MakeDTypeDispatch() {
  return std::make_unique<DTypeDispatch>(Quantized, Float32);
}

template <OpFactory Quantized, OpFactory Float32, OpFactory Int16>
std::unique_ptr<Op> MakeDTypeDispatch3() {
  return std::make_unique<DTypeDispatch>(Quantized, Float32, Int16);
}

}  // namespace pyrt
