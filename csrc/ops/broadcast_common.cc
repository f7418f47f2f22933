#include "ops/broadcast_common.h"

#include "kernels/reference/broadcast.h"
#include "core/error.h"

namespace pyrt {

Shape BroadcastOutputShape(const Tensor& a, const Tensor& b, const std::string& label) {
  Shape shape;
  PYRT_ENSURE(BroadcastShape(a.shape, b.shape, &shape), label, ": input shapes ",
              ShapeToString(a.shape), " and ", ShapeToString(b.shape), " do not broadcast");
  PYRT_ENSURE(shape.size() <= kMaxBroadcastRank, label, ": broadcast rank ", shape.size(),
              " exceeds ", kMaxBroadcastRank);
  return shape;
}

}  // namespace pyrt
