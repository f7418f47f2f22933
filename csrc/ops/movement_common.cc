#include "ops/movement_common.h"

#include <cstring>
#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "ops/op.h"

namespace pyrt {

size_t CopyableElementSize(const Tensor& t, const std::string& what, const char* role) {
  const size_t size = DTypeSize(t.dtype);
  PYRT_ENSURE(size > 0 && t.dtype != DType::kString, what, ": ", role, " tensor ", t.index, " '",
              t.name, "' has unsupported type ", DTypeName(t.dtype));
  return size;
}

std::vector<int64_t> ReadConstantIndices(const Tensor& t, const std::string& what,
                                         const char* role) {
  PYRT_ENSURE(t.dtype == DType::kInt32 || t.dtype == DType::kInt64, what, ": ", role,
              " tensor '", t.name, "' has type ", DTypeName(t.dtype), ", expected int32 or int64");
  RequireValue(t, what, role);
  std::vector<int64_t> values(static_cast<size_t>(t.num_elements()));
  for (size_t i = 0; i < values.size(); ++i) {
    // memcpy: constant buffers carry no alignment guarantee.
    if (t.dtype == DType::kInt32) {
      int32_t v;
      std::memcpy(&v, t.data + 4 * i, 4);
      values[i] = v;
    } else {
      std::memcpy(&values[i], t.data + 8 * i, 8);
    }
  }
  return values;
}

namespace {

// Enough digits to tell apart any two different floats.
std::string Exact(float f) {
  std::ostringstream s;
  s << std::setprecision(9) << f;
  return s.str();
}

}  // namespace

void RequireSameQuantization(const Tensor& in, const Tensor& out, const std::string& what,
                             const char* in_role) {
  PYRT_ENSURE(in.scale() == out.scale() && in.zero_point() == out.zero_point(), what, ": ",
              in_role, " '", in.name, "' (scale ", Exact(in.scale()), ", zero point ", in.zero_point(),
              ") and output '", out.name, "' (scale ", Exact(out.scale()), ", zero point ",
              out.zero_point(), ") must have equal quantization (no requantization is done)");
}

void RequireSameType(const Tensor& in, const Tensor& out, const std::string& what) {
  PYRT_ENSURE(in.dtype == out.dtype, what, ": input type ", DTypeName(in.dtype),
              " differs from output '", out.name, "' type ", DTypeName(out.dtype));
}

size_t CopyableSameTypeElementSize(const Tensor& in, const Tensor& out, const std::string& what) {
  RequireSameType(in, out, what);
  return CopyableElementSize(in, what, "input");
}

std::vector<int64_t> ReadPerDimIndices(const Tensor& t, int rank, const std::string& what,
                                       const char* role) {
  PYRT_ENSURE(t.rank() == 1 && t.dim(0) == rank, what, ": ", role, " must have shape [", rank,
              "], got ", ShapeToString(t.shape));
  return ReadConstantIndices(t, what, role);
}

int WrapAxis(int64_t axis, int rank, const std::string& what, const char* role) {
  const int64_t a = axis < 0 ? axis + rank : axis;
  PYRT_ENSURE(a >= 0 && a < rank, what, ": ", role, " ", axis, " is out of range for rank ", rank);
  return static_cast<int>(a);
}

std::vector<int64_t> ByteStrides(const Shape& shape, size_t elem_size) {
  std::vector<int64_t> strides(shape.size());
  int64_t s = static_cast<int64_t>(elem_size);
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

}  // namespace pyrt
