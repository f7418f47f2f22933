// Prepare helpers shared by the data-movement ops (PAD, STRIDED_SLICE,
// CONCATENATION, PACK, SPLIT, TRANSPOSE, GATHER, ...), which copy elements
// of any dense dtype as bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace pyrt {

// Element size of a tensor the byte kernels can move (every fixed-size dtype);
// throws for strings and other types without a dense layout.
size_t CopyableElementSize(const Tensor& t, const std::string& what, const char* role);

// Values of a constant int32 or int64 index tensor (paddings, begin, ...).
std::vector<int64_t> ReadConstantIndices(const Tensor& t, const std::string& what,
                                         const char* role);

// TFLite's ENSURE_EQ on scale and zero point (as stored, 0 when absent): the
// copy ops do no requantization, so all tensors must share the parameters.
void RequireSameQuantization(const Tensor& in, const Tensor& out, const std::string& what,
                             const char* in_role);

// TFLite's TF_LITE_ENSURE_TYPES_EQ between input and output.
void RequireSameType(const Tensor& in, const Tensor& out, const std::string& what);

// RequireSameType plus CopyableElementSize of the input: the start of every
// op that moves bytes from `in` to `out` unchanged.
size_t CopyableSameTypeElementSize(const Tensor& in, const Tensor& out, const std::string& what);

// ReadConstantIndices of a 1-D tensor holding one value per input dim
// (`rank` values: begin, size, perm, multipliers).
std::vector<int64_t> ReadPerDimIndices(const Tensor& t, int rank, const std::string& what,
                                       const char* role);

// `axis` wrapped once when negative (by rank); throws unless in [0, rank).
int WrapAxis(int64_t axis, int rank, const std::string& what, const char* role);

// Row-major byte strides of `shape` for elements of `elem_size` bytes.
std::vector<int64_t> ByteStrides(const Shape& shape, size_t elem_size);

}  // namespace pyrt
