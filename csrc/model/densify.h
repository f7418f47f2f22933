// Sparse constant tensors (TFLite's sparsity format: a traversal order over
// the dims and block dims, each level DENSE or SPARSE_CSR with segments and
// indices, as the converter's sparsity option and MediaPipe's *_sparse models
// store pruned weights) densified once at load. The layout follows TFLite's
// FormatConverter (sparsity/format_converter.cc): every index is checked, so a
// malformed description raises ModelError instead of writing out of bounds.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "tflite_subset_generated.h"

namespace pyrt {

// The dense bytes (zeros where no value is stored) of a tensor of `shape` and
// element size `elem` whose stored values are values[0 .. size).
std::shared_ptr<std::vector<uint8_t>> Densify(const tfl::SparsityParameters& sparsity, const Shape& shape,
                                              size_t elem, const uint8_t* values, size_t size,
                                              const std::string& label);

}  // namespace pyrt
