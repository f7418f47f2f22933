// FILL: an output of shape `dims` (1-D int32/int64, constant or computed in
// the graph, e.g. Keras 3 GRU/LSTM initial states of a sequence whose length
// is free) with every element equal to the scalar `value`, any fixed-size
// dtype, copied as bytes. Quantized value and output must share scale and
// zero point (int16: zero point 0), as the reference checks.
#include <algorithm>
#include <cstring>

#include "model/model.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class Fill : public Op {
 public:
  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& dims = input(0);
    const Tensor& value = input(1);
    PYRT_ENSURE(dims.rank() == 1, label(), ": dims must be 1-D, got ", ShapeToString(dims.shape));
    PYRT_ENSURE(value.num_elements() == 1 && value.rank() == 0, label(),
                ": value must be a scalar, got shape ", ShapeToString(value.shape));
    elem_ = CopyableSameTypeElementSize(value, output(0), label());
    if (!value.quant.empty() || !output(0).quant.empty())
      RequireSameQuantization(value, output(0), label(), "value");
    if (value.dtype == DType::kInt16)
      PYRT_ENSURE(value.zero_point() == 0, label(), ": int16 value '", value.name,
                  "' must have zero point 0, got ", value.zero_point());
    const std::vector<int64_t> d = ReadConstantIndices(dims, label(), "dims");
    Shape shape(d.size());
    int64_t n = 1;
    for (size_t k = 0; k < d.size(); ++k) {
      PYRT_ENSURE(d[k] >= 0 && d[k] <= kMaxTensorElements, label(), ": dims[", k, "] = ", d[k],
                  " is invalid");
      n *= d[k];
      PYRT_ENSURE(n <= kMaxTensorElements, label(), ": output of ", n, "+ elements is too large");
      shape[k] = static_cast<int32_t>(d[k]);
    }
    SetOutputShape(output(0), shape);
  }

  void Eval(const EvalContext&) override {
    Tensor& out = output(0);
    const uint8_t* v = input(1).data;
    const int64_t n = out.num_elements();
    if (n == 0) return;
    std::memcpy(out.data, v, elem_);
    // Double the filled prefix until the output is full.
    int64_t done = 1;
    while (done < n) {
      const int64_t k = std::min(done, n - done);
      std::memcpy(out.data + done * elem_, out.data, static_cast<size_t>(k) * elem_);
      done += k;
    }
  }

 private:
  size_t elem_ = 1;
};

}  // namespace

std::unique_ptr<Op> MakeFill() { return std::make_unique<Fill>(); }

}  // namespace pyrt
