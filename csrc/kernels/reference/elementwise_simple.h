// Reference kernels of the simple elementwise ops whose TFLite kernels apply
// one C++ function per element: FLOOR, CEIL, SIN, COS (std:: on float),
// SIGN (x > 0 ? 1 : x < 0 ? -1 : 0, so NaN -> 0), ATAN2 (std::atan2),
// LOGICAL_NOT/AND/OR on bool, and SELECT / SELECT_V2's element choice.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/reference/broadcast.h"

namespace pyrt {

// kElu: x < 0 ? expm1(x) : x; kRelu0To1: min(max(0, x), 1) (NaN -> 0).
enum class SimpleUnaryF32 { kFloor, kCeil, kSin, kCos, kElu, kRelu0To1, kRound };

// LOG_SOFTMAX over rows of `depth`: x - max - log(sum(exp(x - max))), float.
void LogSoftmaxF32(int64_t rows, int64_t depth, const float* in, float* out);

void SimpleUnaryF32Kernel(SimpleUnaryF32 op, int64_t n, const float* in, float* out);

template <typename T>
void SignKernel(int64_t n, const T* in, T* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = in[i] > 0 ? T(1) : in[i] < 0 ? T(-1) : T(0);
}

void Atan2F32(int64_t n, const float* y, const float* x, float* out);
void Atan2F64(int64_t n, const double* y, const double* x, double* out);

enum class LogicalOp { kAnd, kOr };

void LogicalNot(int64_t n, const bool* in, bool* out);
void LogicalBinary(LogicalOp op, const BroadcastPlan& plan, const bool* a, const bool* b,
                   bool* out);

// out[i] = cond[i] ? x[i] : y[i] over a 3-way broadcast: each operand's
// element strides per output dim (0 where it broadcasts), rank <= 6.
struct Select3Plan {
  int rank = 0;
  int64_t total = 0;
  int64_t dims[kMaxBroadcastRank] = {0};
  int64_t stride_c[kMaxBroadcastRank] = {0};
  int64_t stride_x[kMaxBroadcastRank] = {0};
  int64_t stride_y[kMaxBroadcastRank] = {0};
};

// Elements of `elem_size` bytes (1, 2, 4 or 8).
void SelectKernel(const Select3Plan& plan, size_t elem_size, const bool* cond, const void* x,
                  const void* y, void* out);

}  // namespace pyrt
