// Runtime tensors: shape, type, quantization and where the bytes live.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace pyrt {

using Shape = std::vector<int32_t>;

// Element count of a validated shape (dims are non-negative and the product
// was overflow-checked when the shape was accepted).
inline int64_t NumElements(const Shape& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

std::string ShapeToString(const Shape& shape);

// real = scale * (q - zero_point), per tensor or per slice of
// `quantized_dimension` (then scale/zero_point hold one entry per slice).
struct QuantParams {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;

  bool empty() const { return scale.empty(); }
  bool per_channel() const { return scale.size() > 1; }
};

struct Tensor {
  int index = -1;
  std::string name;
  DType dtype = DType::kFloat32;
  Shape shape;
  Shape shape_signature;
  QuantParams quant;
  // Constant tensors point into the model bytes (never written) or into
  // storage owned by the interpreter (folded at Prepare). Other tensors get a
  // place in the arena once planning is done.
  bool is_constant = false;
  // A computed tensor (not constant) whose value of the current invoke was
  // given to Prepare because an op's output shape depends on it (a shape
  // input such as RESHAPE's shape); see Interpreter::InvokeDynamic.
  bool value_known = false;
  uint8_t* data = nullptr;
  size_t bytes = 0;

  int64_t num_elements() const { return NumElements(shape); }
  // Prepare may read the bytes: a constant, or a value known for this plan.
  bool has_value() const { return is_constant || value_known; }
  int rank() const { return static_cast<int>(shape.size()); }
  int32_t dim(int i) const { return shape[i]; }
  template <typename T> T* data_as() { return reinterpret_cast<T*>(data); }
  template <typename T> const T* data_as() const { return reinterpret_cast<const T*>(data); }
  // Per-tensor parameters; only meaningful when !quant.empty().
  float scale() const { return quant.scale.empty() ? 0.f : quant.scale[0]; }
  int32_t zero_point() const {
    return quant.zero_point.empty() ? 0 : static_cast<int32_t>(quant.zero_point[0]);
  }
};

}  // namespace pyrt
