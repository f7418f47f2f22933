#include "ops/dtype_dispatch.h"

#include "ops/hybrid_common.h"

namespace pyrt {

void DTypeDispatch::Prepare() {
  OpFactory pick = input(0).dtype == DType::kFloat32 ? float32_ : quantized_;
  const Tensor* filter = optional_input(1);
  if (hybrid_ && IsHybridNode(input(0), filter)) pick = hybrid_;
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
