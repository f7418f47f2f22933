// The fixed signatures of the hybrid GEMM microkernels: quantized
// activations times int8 weights, int32 accumulation (exact, wrapping like
// LiteRT's int32 sums), then a float epilogue as LiteRT's hybrid
// CONV_2D / FULLY_CONNECTED:
//   C[m][n] = clamp(float(acc) * (col_scale[n] * batch_scale[m / rows_per_batch]) + bias[n])
// with acc = sum_k (q[m][k] - zero_point) * w[n][k]. The scale product is
// rounded to float first; multiply and add are separate roundings (no FMA).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {

struct HybridGemmEpilogue {
  const float* batch_scale = nullptr;         // input scale of each image (batch row)
  const int32_t* batch_zero_point = nullptr;  // input zero point of each image
  int rows_per_batch = 1;                     // GEMM rows (output pixels) per image
  const float* col_scale = nullptr;           // [N padded] filter scale per output channel
  const float* bias = nullptr;                // [N padded], zeros when the op has none
  const int32_t* col_sum = nullptr;           // [N padded] sum of the column's weights
  float act_min = 0.f, act_max = 0.f;
};

// kS16 kernels: A holds q - zero_point as int16 (padding taps 0), weights
// packed in panels of NR columns, [kp / 2][NR][2] int8 (as the qs8 family's).
// m0 / n0: absolute row / column of the tile (indexes into the epilogue).
using HybridGemmUkernel = void (*)(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                                   const int8_t* b, float* c, size_t c_stride,
                                   const HybridGemmEpilogue& ep, int m0, int n0);

// kU8Offset128 kernels (u8 x s8 dot products, vpdpbusd): A holds q + 128 as
// uint8, padding taps zero_point + 128, weights packed [kp / 4][NR][4]. The
// kernel subtracts (128 + zero_point) * col_sum[n] from each sum, which
// leaves sum (q - zero_point) * w exactly (mod 2^32, as the int32 sums).
using HybridGemmU8Ukernel = void (*)(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                     const int8_t* b, float* c, size_t c_stride,
                                     const HybridGemmEpilogue& ep, int m0, int n0);

// kS8 kernels (s8 x s8 dot products, sdot): A holds q itself, padding taps
// zero_point (q - zero_point = 0 there), weights packed [kp / 4][NR][4]. The
// kernel subtracts zero_point * col_sum[n] from each sum, which leaves
// sum (q - zero_point) * w exactly (mod 2^32, as the int32 sums).
using HybridGemmS8Ukernel = void (*)(int mr, int nr, int kp, const int8_t* a, size_t a_stride,
                                     const int8_t* b, float* c, size_t c_stride,
                                     const HybridGemmEpilogue& ep, int m0, int n0);

}  // namespace pyrt
