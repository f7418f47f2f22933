// Byte-level copy kernels of the data-movement ops (PAD, STRIDED_SLICE,
// CONCATENATION, PACK). Elements are opaque bytes, so one kernel serves every
// dtype; the innermost contiguous run of each copy is a single memcpy.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pyrt {

constexpr int kMaxCopyDims = 8;

// An N-d block copy: for every index (i_0..i_{rank-1}) below `count`, copies
// `run_bytes` bytes from src + sum(i_k * src_stride[k]) to
// dst + sum(i_k * dst_stride[k]). Strides are in bytes and may be negative
// (reversed slices). rank 0 copies one run.
struct CopyPlan {
  int rank = 0;
  int64_t count[kMaxCopyDims] = {};
  int64_t src_stride[kMaxCopyDims] = {};
  int64_t dst_stride[kMaxCopyDims] = {};
  int64_t run_bytes = 0;
};

// Appends an outer-to-inner axis; callers add axes in that order. Returns
// false when the plan already has kMaxCopyDims axes.
bool AddCopyAxis(CopyPlan* plan, int64_t count, int64_t src_stride, int64_t dst_stride);

// The same copy with the fewest axes: size-1 axes dropped, axes contiguous in
// both src and dst merged, and the innermost axis folded into the run when it
// is contiguous. Call once in Prepare.
CopyPlan SimplifyCopyPlan(const CopyPlan& plan);

// Number of bytes a plan writes (product of counts times run_bytes).
int64_t CopyPlanBytes(const CopyPlan& plan);

void BlockCopy(const CopyPlan& plan, const uint8_t* src, uint8_t* dst);

// Writes `n` copies of the `elem_size`-byte pattern `value` to dst.
void FillElements(uint8_t* dst, int64_t n, const uint8_t* value, size_t elem_size);

}  // namespace pyrt
