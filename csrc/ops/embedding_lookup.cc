// EMBEDDING_LOOKUP: output row i = value row ids[i] (int32 ids, any
// fixed-size value type of the output's type; embedding_lookup.cc). Output
// shape [num_ids, value dims 1..]. An id out of range fails the reference's
// invoke; here it gives a zero row, so Eval stays defined.
#include <cstring>

#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class EmbeddingLookup : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& ids = input(0);
    const Tensor& value = input(1);
    RequireType(ids, DType::kInt32, "ids");
    PYRT_ENSURE(ids.rank() == 1, label(), ": ids must be 1-D, got ", ShapeToString(ids.shape));
    PYRT_ENSURE(value.rank() >= 2, label(), ": value must have rank >= 2, got ", ShapeToString(value.shape));
    RequireType(output(0), value.dtype, "output");
    PYRT_ENSURE(DTypeSize(value.dtype) != 0, label(), ": value type ", DTypeName(value.dtype),
                " is not supported");
    rows_ = value.dim(0);
    row_bytes_ = rows_ > 0 ? value.bytes / static_cast<size_t>(rows_) : 0;
    Shape out = value.shape;
    out[0] = ids.dim(0);
    SetOutputShape(output(0), out);
  }

  void Eval(const EvalContext&) override {
    const int32_t* ids = input(0).data_as<int32_t>();
    const uint8_t* value = static_cast<const uint8_t*>(input(1).data);
    uint8_t* out = static_cast<uint8_t*>(output(0).data);
    const int64_t n = input(0).num_elements();
    for (int64_t i = 0; i < n; ++i, out += row_bytes_) {
      if (ids[i] >= 0 && ids[i] < rows_) {
        std::memcpy(out, value + static_cast<size_t>(ids[i]) * row_bytes_, row_bytes_);
      } else {
        std::memset(out, 0, row_bytes_);
      }
    }
  }

 private:
  int64_t rows_ = 0;
  size_t row_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Op> MakeEmbeddingLookup() { return std::make_unique<EmbeddingLookup>(); }

}  // namespace pyrt
