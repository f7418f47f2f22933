// ADD / SUB / MUL on quantized 8-bit tensors (and int16 ones of 16x8 models,
// zero points 0) on the interpreter's ISA path: the reference rows, or (int8,
// int16 MUL) SIMD rows; large outputs are split over the thread pool in
// element ranges. Every path and split gives identical results.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/isa.h"
#include "kernels/reference/binary_s8.h"
#include "kernels/reference/broadcast.h"

namespace pyrt {

class ThreadPool;
struct Qs8AddSubTables;  // kernels/x86/avx512vbmi/qs8_vaddsub_table_avx512vbmi.h

class BinaryQ8Kernel {
 public:
  // tables: let the SIMD path look up each input's rescaling where it can
  // (false only for tests of the computing rows).
  void InitAddSub(Isa isa, const AddSubParams& p, const BroadcastPlan& plan, bool tables = true);
  void InitMul(Isa isa, const MulParams& p, const BroadcastPlan& plan);

  void Run(const int8_t* a, const int8_t* b, int8_t* out, ThreadPool* pool) const;
  void Run(const uint8_t* a, const uint8_t* b, uint8_t* out, ThreadPool* pool) const;
  void Run(const int16_t* a, const int16_t* b, int16_t* out, ThreadPool* pool) const;

  // True when the int8 rows are a SIMD path's (for the tests: which paths
  // have their own kernel).
  bool simd_rows() const { return simd_rows_; }

 private:
  template <typename T>
  using RowFn = void (*)(const BinaryQ8Kernel&, const T*, int64_t, const T*, int64_t, T*,
                         int64_t);
  template <typename T>
  void RunRows(RowFn<T> row, const T* a, const T* b, T* out, ThreadPool* pool) const;
  static constexpr int64_t kShortRow = 2048;
  template <typename T>
  void RunPeriodic(RowFn<T> row, const T* a, const T* b, T* out, int64_t begin,
                   int64_t end) const;
  void Init(Isa isa, bool mul, const BroadcastPlan& plan, bool tables);
  // A SIMD path's int8 rows (the signatures of kernels/x86/*/qs8_vbinary_*.h).
  using SimdMulRow = void (*)(const MulParams&, const int8_t*, int64_t, const int8_t*, int64_t,
                              int8_t*, int64_t);
  using SimdAddSubRow = void (*)(const AddSubParams&, const int8_t*, int64_t, const int8_t*,
                                 int64_t, int8_t*, int64_t);
  template <SimdMulRow kMul, SimdAddSubRow kAddSub>
  void SetSimdRows(bool mul);
  // MUL by a per-channel row ([rows, C] x [1, C], a squeeze-excite scale) on
  // a path with a kernel for it: the row's factors are folded into the
  // multiplier once per Run (MulByChannelScales), then each element is one
  // multiply-and-round (kernels/x86/avx2/qs8_vbinary_avx2.h).
  using ScaledMulRow = void (*)(const MulParams&, int32_t, const int8_t*, const int32_t*,
                                const int32_t*, int8_t*, int64_t);
  void InitChannelScaledMul(Isa isa);
  void RunChannelScaledMul(const int8_t* a, const int8_t* b, int8_t* out, ThreadPool* pool) const;

  bool mul_ = false;
  bool simd_rows_ = false;
  int short_period_ = 0;  // 1: a is one short row repeated, 2: b is (see RunPeriodic)
  AddSubParams add_;
  MulParams mul_params_;
  BroadcastPlan plan_;
  std::shared_ptr<const Qs8AddSubTables> add_tables_;  // immutable once built
  ScaledMulRow scaled_row_ = nullptr;
  int scaled_operand_ = 0;  // 1: a is the per-channel row, 2: b is
  // The row's factors repeated over period_ (a multiple of C, >= 256)
  // elements and 16 more, rewritten by each Run.
  int64_t period_ = 0;
  mutable std::vector<int32_t> scale_high_, scale_low_;
  RowFn<int8_t> row_s8_ = nullptr;
  RowFn<uint8_t> row_u8_ = nullptr;
  RowFn<int16_t> row_s16_ = nullptr;
};

}  // namespace pyrt
