// The fixed signature of the hybrid GEMM microkernels: int16 activations
// (quantized, zero point already subtracted) times int8 weights, int32
// accumulation (exact), then a float epilogue as LiteRT's hybrid
// CONV_2D / FULLY_CONNECTED:
//   C[m][n] = clamp(float(acc) * (col_scale[n] * batch_scale[m / rows_per_batch]) + bias[n])
// The scale product is rounded to float first; multiply and add are
// separate roundings (no FMA). Weights are packed as in qs8_gemm_ukernel.h:
// panels of NR columns, [kp / 2][NR][2] int8.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {

struct HybridGemmEpilogue {
  const float* batch_scale = nullptr;  // input scale of each image (batch row)
  int rows_per_batch = 1;              // GEMM rows (output pixels) per image
  const float* col_scale = nullptr;    // [N padded] filter scale per output channel
  const float* bias = nullptr;         // [N padded], zeros when the op has none
  float act_min = 0.f, act_max = 0.f;
};

// m0 / n0: absolute row / column of the tile (indexes into the epilogue).
using HybridGemmUkernel = void (*)(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                                   const int8_t* b, float* c, size_t c_stride,
                                   const HybridGemmEpilogue& ep, int m0, int n0);

}  // namespace pyrt
