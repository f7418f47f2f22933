#include "ops/dtype_dispatch.h"

namespace pyrt {

void DTypeDispatch::Prepare() {
  const OpFactory pick = input(type_input_).dtype == DType::kFloat32 ? float32_ : quantized_;
  if (pick != chosen_) {  // types are fixed by the model: created once
    impl_ = pick();
    chosen_ = pick;
  }
  impl_->Bind(&desc(), bound_inputs(), bound_outputs());
  impl_->set_isa(isa());
  impl_->Prepare();
  scratch_bytes_ = impl_->scratch_bytes();
}

}  // namespace pyrt
