// Quantized 2-D pooling (NHWC), bit-exact with TFLite's reference
// integer_ops::MaxPool / AveragePool: windows are clipped to the image, so
// padding cells are neither compared nor counted. No rescaling is done (the
// reference assumes input and output share scale and zero point).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {

struct PoolGeometry {
  int batch, in_h, in_w, channels;
  int out_h, out_w;
  int filter_h, filter_w;
  int stride_h, stride_w;
  int pad_top, pad_left;
  int32_t act_min, act_max;  // clamp of the fused activation, in raw values
};

// Number of valid input cells of the window of output row/column `o`.
int PoolWindowExtent(int o, int stride, int pad, int filter, int in);

// T is int8_t, uint8_t or int16_t.
template <typename T>
void MaxPoolQ(const PoolGeometry& g, const T* input, T* output);

// Mean of the clipped window, rounded half away from zero. Scratch: int32 per
// channel (AveragePoolScratchBytes). Every window must hold at least one cell
// (checked in Prepare).
size_t AveragePoolScratchBytes(const PoolGeometry& g);
template <typename T>
void AveragePoolQ(const PoolGeometry& g, const T* input, T* output, uint8_t* scratch);

}  // namespace pyrt
