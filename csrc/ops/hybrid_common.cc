#include "ops/hybrid_common.h"

#include <cmath>

#include "core/error.h"

namespace pyrt {

bool IsHybridNode(const Tensor& input, const Tensor* filter) {
  return input.dtype == DType::kFloat32 && filter && filter->dtype == DType::kInt8;
}

std::vector<float> HybridFilterScales(const Tensor& filter, int n, int quantized_dimension,
                                      const std::string& label) {
  PYRT_ENSURE(filter.is_constant, label, ": int8 filter must be a constant tensor");
  const QuantParams& q = filter.quant;
  const size_t count = q.scale.size();
  PYRT_ENSURE(count == 1 || (count == static_cast<size_t>(n) &&
                             q.quantized_dimension == quantized_dimension),
              label, ": int8 filter needs 1 scale or ", n, " scales along dimension ",
              quantized_dimension, ", found ", count, " along ", q.quantized_dimension);
  for (size_t i = 0; i < count; ++i) {
    PYRT_ENSURE(std::isfinite(q.scale[i]) && q.scale[i] > 0.f, label,
                ": filter scale ", i, " must be positive and finite, got ", q.scale[i]);
  }
  for (size_t i = 0; i < q.zero_point.size(); ++i) {
    PYRT_ENSURE(q.zero_point[i] == 0, label, ": int8 filter zero point ", i, " is ",
                q.zero_point[i], ", hybrid kernels need symmetric weights");
  }
  std::vector<float> scales(n);
  for (int c = 0; c < n; ++c) scales[c] = q.scale[count == 1 ? 0 : c];
  return scales;
}

bool ScalesDiffer(const Tensor& filter) {
  const std::vector<float>& s = filter.quant.scale;
  for (size_t i = 1; i < s.size(); ++i)
    if (s[i] != s[0]) return true;
  return false;
}

const float* HybridBias(const Tensor* bias, int n, const std::string& label) {
  if (!bias) return nullptr;
  PYRT_ENSURE(bias->dtype == DType::kFloat32, label, ": bias must be float32, got ",
              DTypeName(bias->dtype));
  PYRT_ENSURE(bias->is_constant, label, ": bias must be a constant tensor");
  PYRT_ENSURE(bias->num_elements() == n, label, ": bias must have ", n, " elements, got ",
              bias->num_elements());
  return bias->data_as<float>();
}

}  // namespace pyrt
