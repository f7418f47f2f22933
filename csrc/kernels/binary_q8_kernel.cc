#include "kernels/binary_q8_kernel.h"

#include <algorithm>
#include <cstring>

#include "core/thread_pool.h"
#include "core/unit_ranges.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/qs8_vbinary_avx2.h"
#include "kernels/x86/avx512vbmi/qs8_vaddsub_table_avx512vbmi.h"
#include "kernels/x86/avx512vnni/qs8_vbinary_avx512.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif
#if defined(__aarch64__)
#include "kernels/arm/neon/qs8_vbinary_neon.h"
#define PYRT_HAVE_ARM_KERNELS 1
#endif

namespace pyrt {
namespace {

// Below this many output elements a second thread costs more than it saves.
constexpr int64_t kMinElementsPerTask = 16384;
// Shortest run of the per-channel factors a scaled-MUL call gets (short rows
// repeated): a call's set-up costs about as much as 32 elements.
constexpr int64_t kMinScaledRun = 256;

}  // namespace

void BinaryQ8Kernel::InitAddSub(Isa isa, const AddSubParams& p, const BroadcastPlan& plan,
                                bool tables) {
  add_ = p;
  Init(isa, false, plan, tables);
}

void BinaryQ8Kernel::InitMul(Isa isa, const MulParams& p, const BroadcastPlan& plan) {
  mul_params_ = p;
  Init(isa, true, plan, false);
  InitChannelScaledMul(isa);
}

void BinaryQ8Kernel::InitChannelScaledMul(Isa isa) {
  scaled_row_ = nullptr;
  scaled_operand_ = 0;
  const BroadcastPlan& plan = plan_;
  const MulParams& p = mul_params_;
  // The kernel needs no left shift (|product| stays below 2^16) and m >= 0.
  if (plan.rank != 2 || p.output_shift > 0 || p.output_multiplier < 0) return;
  const int64_t C = plan.dims[1];
  const bool a_row = plan.stride_a[0] == 0 && plan.stride_a[1] == 1 && plan.stride_b[0] == C &&
                     plan.stride_b[1] == 1;
  const bool b_row = plan.stride_b[0] == 0 && plan.stride_b[1] == 1 && plan.stride_a[0] == C &&
                     plan.stride_a[1] == 1;
  if (!a_row && !b_row) return;
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) {
    scaled_row_ = Qs8MulScaledRowAvx512;
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    scaled_row_ = Qs8MulScaledRowAvx2;
  }
#endif
  if (!scaled_row_) return;
  scaled_operand_ = a_row ? 1 : 2;
  period_ = (kMinScaledRun + C - 1) / C * C;
  scale_high_.assign(static_cast<size_t>(period_ + 16), 0);
  scale_low_.assign(static_cast<size_t>(period_ + 16), 0);
}

// The per-channel row's factors Y = (y + offset) * multiplier (|Y| < 2^39)
// as Y >> 20 and Y & (2^20 - 1), repeated; then the rows against them in
// element ranges (each call from some channel to the end of the period).
void BinaryQ8Kernel::RunChannelScaledMul(const int8_t* a, const int8_t* b, int8_t* out,
                                         ThreadPool* pool) const {
  const MulParams& p = mul_params_;
  const bool a_row = scaled_operand_ == 1;
  const int8_t* y = a_row ? a : b;
  const int8_t* x = a_row ? b : a;
  const int32_t y_offset = a_row ? p.input1_offset : p.input2_offset;
  const int32_t x_offset = a_row ? p.input2_offset : p.input1_offset;
  const int64_t C = plan_.dims[1], total = plan_.total;
  int32_t* high = scale_high_.data();
  int32_t* low = scale_low_.data();
  for (int64_t c = 0; c < C; ++c) {
    const int64_t Y = (int64_t{y[c]} + y_offset) * p.output_multiplier;
    high[c] = static_cast<int32_t>(Y >> 20);
    low[c] = static_cast<int32_t>(Y & 0xFFFFF);
  }
  for (int64_t j = C; j < period_ + 16; ++j) {
    high[j] = high[j - C];
    low[j] = low[j - C];
  }
  ParallelSlices(pool, total, kMinElementsPerTask, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end;) {
      const int64_t c0 = i % C, len = std::min(period_ - c0, end - i);
      scaled_row_(p, x_offset, x + i, high + c0, low + c0, out + i, len);
      i += len;
    }
  });
}

void BinaryQ8Kernel::Init(Isa isa, bool mul, const BroadcastPlan& plan, bool tables) {
  mul_ = mul;
  plan_ = plan;
  simd_rows_ = false;
  // [rows, n] with one operand's rows all the same: 1 = a's, 2 = b's.
  short_period_ = 0;
  if (plan.rank == 2 && plan.dims[1] <= kShortRow / 2 && plan.stride_a[1] == 1 && plan.stride_b[1] == 1) {
    if (plan.stride_a[0] == 0 && plan.stride_b[0] == plan.dims[1]) short_period_ = 1;
    if (plan.stride_b[0] == 0 && plan.stride_a[0] == plan.dims[1]) short_period_ = 2;
  }
  if (mul) {
    row_s8_ = [](const BinaryQ8Kernel& k, const int8_t* a, int64_t sa, const int8_t* b,
                 int64_t sb, int8_t* o, int64_t n) { MulRowQ8(k.mul_params_, a, sa, b, sb, o, n); };
    row_u8_ = [](const BinaryQ8Kernel& k, const uint8_t* a, int64_t sa, const uint8_t* b,
                 int64_t sb, uint8_t* o, int64_t n) { MulRowQ8(k.mul_params_, a, sa, b, sb, o, n); };
    row_s16_ = [](const BinaryQ8Kernel& k, const int16_t* a, int64_t sa, const int16_t* b,
                  int64_t sb, int16_t* o, int64_t n) { MulRowQ8(k.mul_params_, a, sa, b, sb, o, n); };
  } else {
    row_s8_ = [](const BinaryQ8Kernel& k, const int8_t* a, int64_t sa, const int8_t* b,
                 int64_t sb, int8_t* o, int64_t n) { AddSubRowQ8(k.add_, a, sa, b, sb, o, n); };
    row_u8_ = [](const BinaryQ8Kernel& k, const uint8_t* a, int64_t sa, const uint8_t* b,
                 int64_t sb, uint8_t* o, int64_t n) { AddSubRowQ8(k.add_, a, sa, b, sb, o, n); };
    row_s16_ = [](const BinaryQ8Kernel& k, const int16_t* a, int64_t sa, const int16_t* b,
                  int64_t sb, int16_t* o, int64_t n) { AddSubRowQ8(k.add_, a, sa, b, sb, o, n); };
  }
  // The int16 SIMD rows take zero points 0 (all int16 ones are) and ADD/SUB
  // the int16 left shift (15).
  [[maybe_unused]] const bool s16_mul = mul && mul_params_.input1_offset == 0 && mul_params_.input2_offset == 0;
  [[maybe_unused]] const bool s16_add = !mul && add_.input1_offset == 0 && add_.input2_offset == 0 &&
                                        add_.left_shift == 15;
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) {
    SetSimdRows<Qs8MulRowAvx512, Qs8AddSubRowAvx512>(mul);
    if (s16_mul) {
      row_s16_ = [](const BinaryQ8Kernel& k, const int16_t* a, int64_t sa, const int16_t* b,
                    int64_t sb, int16_t* o, int64_t n) { Qs16MulRowAvx512(k.mul_params_, a, sa, b, sb, o, n); };
    }
    if (s16_add) {  // the AVX2 rows: int16 ADD is a small part of any model
      row_s16_ = [](const BinaryQ8Kernel& k, const int16_t* a, int64_t sa, const int16_t* b,
                    int64_t sb, int16_t* o, int64_t n) { Qs16AddSubRowAvx2(k.add_, a, sa, b, sb, o, n); };
    }
    // Table lookups need VBMI's byte permutes and the int8 left shift (20).
    if (!mul && tables && CpuHasAvx512Vbmi() && add_.left_shift == 20) {
      auto t = std::make_shared<Qs8AddSubTables>();
      MakeQs8AddSubTables(add_, t.get());
      add_tables_ = std::move(t);
      row_s8_ = [](const BinaryQ8Kernel& k, const int8_t* a, int64_t sa, const int8_t* b,
                   int64_t sb, int8_t* o, int64_t n) {
        Qs8AddSubTableRowAvx512Vbmi(k.add_, *k.add_tables_, a, sa, b, sb, o, n);
      };
    }
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    SetSimdRows<Qs8MulRowAvx2, Qs8AddSubRowAvx2>(mul);
    if (s16_mul) {
      row_s16_ = [](const BinaryQ8Kernel& k, const int16_t* a, int64_t sa, const int16_t* b,
                    int64_t sb, int16_t* o, int64_t n) { Qs16MulRowAvx2(k.mul_params_, a, sa, b, sb, o, n); };
    }
    if (s16_add) {
      row_s16_ = [](const BinaryQ8Kernel& k, const int16_t* a, int64_t sa, const int16_t* b,
                    int64_t sb, int16_t* o, int64_t n) { Qs16AddSubRowAvx2(k.add_, a, sa, b, sb, o, n); };
    }
  }
#endif
#ifdef PYRT_HAVE_ARM_KERNELS
  if (IsaAtLeast(isa, Isa::kNeon)) SetSimdRows<Qs8MulRowNeon, Qs8AddSubRowNeon>(mul);
#endif
}

template <BinaryQ8Kernel::SimdMulRow kMul, BinaryQ8Kernel::SimdAddSubRow kAddSub>
void BinaryQ8Kernel::SetSimdRows(bool mul) {
  simd_rows_ = true;
  if (mul) {
    row_s8_ = [](const BinaryQ8Kernel& k, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                 int8_t* o, int64_t n) { kMul(k.mul_params_, a, sa, b, sb, o, n); };
  } else {
    row_s8_ = [](const BinaryQ8Kernel& k, const int8_t* a, int64_t sa, const int8_t* b, int64_t sb,
                 int8_t* o, int64_t n) { kAddSub(k.add_, a, sa, b, sb, o, n); };
  }
}

// One operand whole, the other a row of n <= kShortRow / 2 repeated (a
// squeeze-excite MUL's [1, H, W, C] x [1, 1, 1, C]): instead of one call
// per short row (its set-up costs as much as 32 elements), calls of up to
// kShortRow elements against the row repeated once per task into a buffer,
// read from the column where each call starts.
template <typename T>
void BinaryQ8Kernel::RunPeriodic(RowFn<T> row, const T* a, const T* b, T* out, int64_t begin,
                                 int64_t end) const {
  const int64_t n = plan_.dims[1];
  const int64_t chunk = kShortRow / n * n;
  const T* whole = short_period_ == 2 ? a : b;
  const T* period = short_period_ == 2 ? b : a;
  T repeated[2 * kShortRow];
  const int64_t filled = std::min(chunk, end - begin) + n;
  for (int64_t j = 0; j < filled; j += n) std::copy_n(period, std::min(n, filled - j), repeated + j);
  for (int64_t i = begin; i < end;) {
    const int64_t len = std::min(chunk, end - i);
    const T* p = repeated + i % n;
    if (short_period_ == 2) {
      row(*this, whole + i, 1, p, 1, out + i, len);
    } else {
      row(*this, p, 1, whole + i, 1, out + i, len);
    }
    i += len;
  }
}

template <typename T>
void BinaryQ8Kernel::RunRows(RowFn<T> row, const T* a, const T* b, T* out,
                             ThreadPool* pool) const {
  const int64_t total = plan_.total;
  const int64_t sa = plan_.stride_a[plan_.rank - 1], sb = plan_.stride_b[plan_.rank - 1];
  ParallelSlices(pool, total, kMinElementsPerTask, [&](int64_t begin, int64_t end) {
    if (short_period_) {
      RunPeriodic(row, a, b, out, begin, end);
      return;
    }
    ForEachBroadcastRow(plan_, begin, end, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
      row(*this, a + oa, sa, b + ob, sb, out + oo, n);
    });
  });
}

void BinaryQ8Kernel::Run(const int8_t* a, const int8_t* b, int8_t* out, ThreadPool* pool) const {
  if (scaled_row_) return RunChannelScaledMul(a, b, out, pool);
  RunRows(row_s8_, a, b, out, pool);
}

void BinaryQ8Kernel::Run(const uint8_t* a, const uint8_t* b, uint8_t* out,
                         ThreadPool* pool) const {
  RunRows(row_u8_, a, b, out, pool);
}

void BinaryQ8Kernel::Run(const int16_t* a, const int16_t* b, int16_t* out,
                         ThreadPool* pool) const {
  RunRows(row_s16_, a, b, out, pool);
}

}  // namespace pyrt
