// Ops whose float32 and quantized versions are separate classes (the float
// ones live in ops/*_f32.cc): one Op per node that, at each Prepare, picks
// the version matching the type of input `type_input` (0 unless the data
// input comes later, as in TRANSPOSE_CONV) and forwards to it.
#pragma once

#include <memory>

#include "ops/op.h"

namespace pyrt {

class DTypeDispatch : public Op {
 public:
  DTypeDispatch(OpFactory quantized, OpFactory float32, int type_input = 0)
      : quantized_(quantized), float32_(float32), type_input_(type_input) {}
  void Prepare() override;
  void Eval(const EvalContext& ctx) override { impl_->Eval(ctx); }
  // Fusion looks through the dispatcher at the chosen implementation.
  const int8_t* UnaryLutS8() const override { return impl_ ? impl_->UnaryLutS8() : nullptr; }
  bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const override {
    return impl_ && impl_->EvalScalarS8(a, b, out);
  }

 private:
  OpFactory quantized_, float32_;
  int type_input_;
  OpFactory chosen_ = nullptr;
  std::unique_ptr<Op> impl_;
};

template <OpFactory Quantized, OpFactory Float32, int TypeInput = 0>
std::unique_ptr<Op> MakeDTypeDispatch() {
  return std::make_unique<DTypeDispatch>(Quantized, Float32, TypeInput);
}

}  // namespace pyrt
