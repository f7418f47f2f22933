#include "ops/dtype_dispatch.h"

#include "ops/hybrid_common.h"

namespace pyrt {

void DTypeDispatch::Prepare() {
  const DType t = input(versions_.type_input).dtype;
  OpFactory pick = t == DType::kFloat32                      ? versions_.float32
                   : t == DType::kInt16 && versions_.int16 ? versions_.int16
                                                             : versions_.quantized;
  if (versions_.hybrid && IsHybridNode(input(0), optional_input(1))) pick = versions_.hybrid;
  if (pick != chosen_) {  // types are fixed by the model: created once
    impl_ = pick();
    chosen_ = pick;
  }
  impl_->Bind(&desc(), bound_inputs(), bound_outputs());
  impl_->set_isa(isa());
  impl_->set_builtin_float_rounding(builtin_float_rounding());
  impl_->Prepare();
  scratch_bytes_ = impl_->scratch_bytes();
}

}  // namespace pyrt
