// Float32 elementwise kernels: broadcasting ADD/SUB/MUL with a fused clamp,
// LOGISTIC, HARD_SWISH, SOFTMAX (last axis), MEAN over any axes, and
// AVERAGE_POOL_2D. Plain loops over contiguous rows so compilers vectorize them.
#pragma once

#include <cstdint>

#include "kernels/f32_vops/f32_vops.h"
#include "kernels/isa.h"
#include "kernels/reference/broadcast.h"
#include "kernels/reference/pool_q.h"
#include "kernels/reference/reduce_s8.h"

namespace pyrt {

// kPrelu: x >= 0 ? x : x * alpha (b holds alpha; act_min / act_max unused).
enum class BinaryF32Op { kAdd, kSub, kMul, kPrelu };

// Rows where both operands advance run on isa's kernels (f32_vops.h), bit
// for bit the portable ones.
void BinaryF32(Isa isa, BinaryF32Op op, const BroadcastPlan& plan, const float* a, const float* b,
               float* out, float act_min, float act_max);

// reference_ops::Logistic(float): 1 / (1 + exp(-x)) with its cutoffs.
float LogisticF32Value(float x);
void LogisticF32(int64_t n, const float* in, float* out);
// x * relu6(x + 3) / 6.
void HardSwishF32(int64_t n, const float* in, float* out);
// Per row of `depth`: exp(beta * (x - max)) / sum.
void SoftmaxF32(int64_t rows, int depth, float beta, const float* in, float* out);

// Sum over the reduced dims of `plan`, divided by `divisor` (count for MEAN).
void ReduceSumF32(const ReducePlan& plan, float divisor, const float* in, float* out);

// Windows are clipped to the image (padding cells are ignored); g.act_min /
// g.act_max are unused, the float clamp is given instead. MAX_POOL_2D:
// F32VopsConfig::max_pool.
void AveragePoolF32(const PoolGeometry& g, const float* in, float* out, float act_min,
                    float act_max);

}  // namespace pyrt
