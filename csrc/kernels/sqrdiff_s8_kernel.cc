#include "kernels/sqrdiff_s8_kernel.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/qs8_vsqrdiff_avx2.h"
#include "kernels/x86/avx512vnni/qs8_vsqrdiff_avx512.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif

namespace pyrt {

void SquaredDifferenceS8Kernel::Init(Isa isa, const SquaredDifferenceParams& p,
                                     const BroadcastPlan& plan) {
  params_ = p;
  plan_ = plan;
  row_ = nullptr;
  // Each input's rescaling, by the reference's own function.
  for (int v = 0; v < 256; ++v) {
    const int8_t x = static_cast<int8_t>(v);
    tables_.scaled1[static_cast<uint8_t>(x)] = SquaredDifferenceScaledInput(
        p.input1_offset, p.left_shift, p.input1_multiplier, p.input1_shift, x);
    tables_.scaled2[static_cast<uint8_t>(x)] = SquaredDifferenceScaledInput(
        p.input2_offset, p.left_shift, p.input2_multiplier, p.input2_shift, x);
  }
  tables_.output_multiplier = p.output_multiplier;
  tables_.output_shift = p.output_shift;
  tables_.output_offset = p.output_offset;
  // The SIMD rounding shift handles 0..31; squares are >= 0, so the
  // saturating corner of the high multiply cannot occur.
  if (p.output_shift < -31 || p.output_shift > 0) return;
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) {
    row_ = Qs8SquaredDifferenceRowAvx512;
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    row_ = Qs8SquaredDifferenceRowAvx2;
  }
#endif
  (void)isa;
}

void SquaredDifferenceS8Kernel::Run(const int8_t* a, const int8_t* b, int8_t* out) const {
  if (!row_) {
    const SquaredDifferenceParams& p = params_;
    BroadcastBinary(plan_, a, b, out, [&p](int8_t x, int8_t y) { return SquaredDifferenceS8(p, x, y); });
    return;
  }
  const int64_t sa = plan_.stride_a[plan_.rank - 1], sb = plan_.stride_b[plan_.rank - 1];
  ForEachBroadcastRow(plan_, 0, plan_.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
    row_(tables_, a + oa, sa, b + ob, sb, out + oo, n);
  });
}

}  // namespace pyrt
