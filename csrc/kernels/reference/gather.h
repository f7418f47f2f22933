// GATHER as a byte copy: output[batch][outer][i] = input[batch][outer][index]
// where each element is a slab of `inner_bytes`, index = indices[batch][i].
// Indices outside [0, axis_size) (possible only for non-constant indices;
// TFLite fails the invoke there) give a zero-filled slab, never a read
// outside the input.
#pragma once

#include <cstdint>

namespace pyrt {

struct GatherParams {
  int64_t batch = 1;        // product of the batch_dims leading dims
  int64_t outer = 1;        // product of the dims between batch_dims and axis
  int64_t axis_size = 0;    // input dim at axis
  int64_t coords = 1;       // indices per batch
  int64_t inner_bytes = 0;  // bytes per gathered slab
};

// Returns the number of out-of-range indices met.
template <typename Index>
int64_t GatherBytes(const GatherParams& p, const uint8_t* input, const Index* indices,
                    uint8_t* output);

}  // namespace pyrt
