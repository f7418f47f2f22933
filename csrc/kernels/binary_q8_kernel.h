// ADD / SUB / MUL on quantized 8-bit tensors on the interpreter's ISA path:
// the reference rows, or (int8) SIMD rows; large outputs are split over the
// thread pool in element ranges. Every path and split gives identical results.
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/binary_s8.h"
#include "kernels/reference/broadcast.h"

namespace pyrt {

class ThreadPool;

class BinaryQ8Kernel {
 public:
  void InitAddSub(Isa isa, const AddSubParams& p, const BroadcastPlan& plan);
  void InitMul(Isa isa, const MulParams& p, const BroadcastPlan& plan);

  void Run(const int8_t* a, const int8_t* b, int8_t* out, ThreadPool* pool) const;
  void Run(const uint8_t* a, const uint8_t* b, uint8_t* out, ThreadPool* pool) const;

  // True when the int8 rows are a SIMD path's (for the tests: which paths
  // have their own kernel).
  bool simd_rows() const { return simd_rows_; }

 private:
  template <typename T>
  using RowFn = void (*)(const BinaryQ8Kernel&, const T*, int64_t, const T*, int64_t, T*,
                         int64_t);
  template <typename T>
  void RunRows(RowFn<T> row, const T* a, const T* b, T* out, ThreadPool* pool) const;
  void Init(Isa isa, bool mul, const BroadcastPlan& plan);
  // A SIMD path's int8 rows (the signatures of kernels/x86/*/qs8_vbinary_*.h).
  using SimdMulRow = void (*)(const MulParams&, const int8_t*, int64_t, const int8_t*, int64_t,
                              int8_t*, int64_t);
  using SimdAddSubRow = void (*)(const AddSubParams&, const int8_t*, int64_t, const int8_t*,
                                 int64_t, int8_t*, int64_t);
  template <SimdMulRow kMul, SimdAddSubRow kAddSub>
  void SetSimdRows(bool mul);

  bool mul_ = false;
  bool simd_rows_ = false;
  AddSubParams add_;
  MulParams mul_params_;
  BroadcastPlan plan_;
  RowFn<int8_t> row_s8_ = nullptr;
  RowFn<uint8_t> row_u8_ = nullptr;
};

}  // namespace pyrt
