// Ops whose versions per tensor type are separate classes (float32 in
// ops/*_f32.cc, 16x8 in ops/*_s16.cc, hybrid in ops/hybrid_*.cc): one Op per
// node that, at each Prepare, picks the version matching the node's types
// (the type of input `type_input`: 0 unless the data input comes later, as
// in TRANSPOSE_CONV) and forwards to it.
#pragma once

#include <memory>

#include "ops/op.h"

namespace pyrt {

// The versions of one op; nullptr where the op has none.
struct DTypeVersions {
  OpFactory quantized = nullptr;  // int8/uint8, and int16 without an int16 version
  OpFactory float32 = nullptr;
  OpFactory int16 = nullptr;   // 16x8: int16 activations
  OpFactory hybrid = nullptr;  // float32 input with int8 weights (input 1)
  int type_input = 0;
};

class DTypeDispatch : public Op {
 public:
  explicit DTypeDispatch(DTypeVersions versions) : versions_(versions) {}
  void Prepare() override;
  void Eval(const EvalContext& ctx) override { impl_->Eval(ctx); }
  // Fusion looks through the dispatcher at the chosen implementation.
  const int8_t* UnaryLutS8() const override { return impl_ ? impl_->UnaryLutS8() : nullptr; }
  bool EvalScalarS8(int8_t a, int8_t b, int8_t* out) const override {
    return impl_ && impl_->EvalScalarS8(a, b, out);
  }
  const Op& implementation() const override { return impl_ ? impl_->implementation() : *this; }

 private:
  DTypeVersions versions_;
  OpFactory chosen_ = nullptr;
  std::unique_ptr<Op> impl_;
};

template <OpFactory Quantized, OpFactory Float32, OpFactory Int16 = nullptr, OpFactory Hybrid = nullptr>
std::unique_ptr<Op> MakeDTypeDispatch() {
  return std::make_unique<DTypeDispatch>(DTypeVersions{Quantized, Float32, Int16, Hybrid});
}

// For ops whose data input is input `TypeInput`.
template <OpFactory Quantized, OpFactory Float32, int TypeInput>
std::unique_ptr<Op> MakeDTypeDispatchOnInput() {
  return std::make_unique<DTypeDispatch>(DTypeVersions{Quantized, Float32, nullptr, nullptr, TypeInput});
}

}  // namespace pyrt
