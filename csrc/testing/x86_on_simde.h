// Force-included into every x86 SIMD translation unit of the emulated build
// (CMake option PYRUNTIME_EMULATE_X86; tools/sanitize_tests.sh builds it): those
// units are then compiled with -mavx2 -mfma only, and the AVX-512 / AVX-VNNI /
// VBMI intrinsics they call come from SIMD Everywhere (its native aliases map
// _mm512_* to simde_mm512_*), so the same kernel sources run, bit for bit, on
// CPUs without those units. The intrinsics SIMD Everywhere 0.8.2 lacks, and
// those it gets wrong for us (masked loads and stores touch whole vectors;
// roundscale), are defined below, lane by lane from the Intel manual. Found
// by running the kernel twin tests on this build on an AVX-512 machine,
// where the same tests pass natively.
//
// SIMD Everywhere computes integer lanes in int, where the hardware wraps:
// these units are built with -fwrapv (CMakeLists.txt), which makes that
// defined, as it is on the CPU (UBSan had reported the wrapping sums the
// twin tests drive on purpose).
//
// A missing one cannot slip through as a real AVX-512 instruction: without
// -mavx512f, GCC refuses to inline its native intrinsics (a compile error).
#pragma once

#define PYRT_EMULATE_X86 1
#define SIMDE_ENABLE_NATIVE_ALIASES 1
#include <simde/x86/avx512.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace pyrt_emu {

// Lanes of a vector as an array (memcpy: no aliasing questions).
template <typename Lane, int kLanes>
struct Lanes {
  Lane v[kLanes] = {};
  Lanes() = default;
  explicit Lanes(const void* x) { std::memcpy(v, x, sizeof(v)); }
  void To(void* x) const { std::memcpy(x, v, sizeof(v)); }
};

// VPSRAVD / VPSRAVQ: counts above the lane width minus 1 fill with the sign bit.
template <typename Lane, int kLanes>
inline simde__m512i Srav(simde__m512i a, simde__m512i count) {
  Lanes<Lane, kLanes> x(&a), n(&count);
  constexpr uint64_t kMaxShift = sizeof(Lane) * 8 - 1;
  for (int i = 0; i < kLanes; ++i) {
    const uint64_t s = static_cast<uint64_t>(n.v[i]);
    x.v[i] = s > kMaxShift ? (x.v[i] < 0 ? -1 : 0) : static_cast<Lane>(x.v[i] >> s);
  }
  x.To(&a);
  return a;
}

// VPSRAD with the count in an xmm register's low quadword.
inline simde__m512i mm512_sra_epi32(simde__m512i a, simde__m128i count) {
  Lanes<uint64_t, 2> n(&count);
  Lanes<int32_t, 16> x(&a);
  for (int i = 0; i < 16; ++i) x.v[i] = n.v[0] > 31 ? (x.v[i] < 0 ? -1 : 0) : (x.v[i] >> n.v[0]);
  x.To(&a);
  return a;
}

// Lane-wise conversion by C++'s rules: exact for the widenings below, modulo
// 2^8 for the unsigned narrowing (VPMOVDB).
template <typename From, typename To, int kLanes>
inline void ConvertLanes(const void* in, void* out) {
  Lanes<From, kLanes> x(in);
  Lanes<To, kLanes> r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = static_cast<To>(x.v[i]);
  r.To(out);
}

// VCVTDQ2PD.
inline simde__m512d mm512_cvtepi32_pd(simde__m256i a) {
  simde__m512d r;
  ConvertLanes<int32_t, double, 8>(&a, &r);
  return r;
}

// VRNDSCALEPS / VRNDSCALEPD: round to a multiple of 2^-M, M = imm[7:4], in
// mode imm[1:0] (nearest even, down, up, toward zero); imm[2] selects the
// MXCSR mode, nearest even by default. (SIMD Everywhere 0.8.2 reads imm
// differently: 1.4 became 1.375 toward zero.)
template <typename Lane, int kLanes>
inline void RoundScale(void* vec, int imm) {
  Lanes<Lane, kLanes> x(vec);
  const Lane scale = std::ldexp(Lane(1), (imm >> 4) & 15);
  const int mode = (imm & 4) ? 0 : (imm & 3);
  for (int i = 0; i < kLanes; ++i) {
    const Lane v = x.v[i] * scale;  // exact: a power of two
    const Lane r = mode == 1   ? std::floor(v)
                   : mode == 2 ? std::ceil(v)
                   : mode == 3 ? std::trunc(v)
                               : std::nearbyint(v);
    x.v[i] = std::isfinite(v) ? r / scale : x.v[i];
  }
  x.To(vec);
}
inline simde__m512 mm512_roundscale_ps(simde__m512 a, int imm) {
  RoundScale<float, 16>(&a, imm);
  return a;
}
inline simde__m512d mm512_roundscale_pd(simde__m512d a, int imm) {
  RoundScale<double, 8>(&a, imm);
  return a;
}

// VPMOVSXBD / VPMOVZXBD.
template <typename Byte>
inline simde__m512i Widen16Bytes(simde__m128i a) {
  simde__m512i r;
  ConvertLanes<Byte, int32_t, 16>(&a, &r);
  return r;
}

// VPMOVDB: truncation to the low byte of each lane.
inline simde__m128i mm512_cvtepi32_epi8(simde__m512i a) {
  simde__m128i r;
  ConvertLanes<uint32_t, uint8_t, 16>(&a, &r);
  return r;
}

template <typename Lane, int kLanes>
inline unsigned CmpLtMask(simde__m512i a, simde__m512i b) {
  Lanes<Lane, kLanes> x(&a), y(&b);
  unsigned m = 0;
  for (int i = 0; i < kLanes; ++i) m |= static_cast<unsigned>(x.v[i] < y.v[i]) << i;
  return m;
}

// VCVTTPD2DQ: truncation; NaN and values outside int32 give INT32_MIN (the
// "integer indefinite" value).
inline simde__m256i mm512_cvttpd_epi32(simde__m512d a) {
  Lanes<double, 8> in(&a);
  Lanes<int32_t, 8> out;
  for (int i = 0; i < 8; ++i) {
    const double d = in.v[i];
    out.v[i] = (d > -2147483649.0 && d < 2147483648.0) ? static_cast<int32_t>(d) : INT32_MIN;
  }
  simde__m256i r;
  out.To(&r);
  return r;
}

// Masked loads and stores touch only the selected elements (the hardware
// does not fault on the others; the kernels rely on that at tails). Vector
// types are never template arguments here (GCC drops their attributes).
inline void CopySelectedLanes(void* dst, const void* src, int lanes, size_t lane_bytes, uint64_t k) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  for (int i = 0; i < lanes; ++i)
    if ((k >> i) & 1) std::memcpy(d + i * lane_bytes, s + i * lane_bytes, lane_bytes);
}

}  // namespace pyrt_emu

// Every masked load and store (SIMD Everywhere 0.8.2 stores whole vectors,
// zeros in the unselected lanes, and loads whole vectors).
#define PYRT_EMU_MASKED_LOAD_STORE(prefix, suffix, vec, lanes, lane_bytes, mask)        \
  inline vec pyrt_emu_##prefix##_maskz_loadu_##suffix(mask k, const void* p) {          \
    vec r;                                                                               \
    std::memset(&r, 0, sizeof(r));                                                       \
    pyrt_emu::CopySelectedLanes(&r, p, lanes, lane_bytes, k);                            \
    return r;                                                                            \
  }                                                                                      \
  inline vec pyrt_emu_##prefix##_mask_loadu_##suffix(vec src, mask k, const void* p) {  \
    pyrt_emu::CopySelectedLanes(&src, p, lanes, lane_bytes, k);                          \
    return src;                                                                          \
  }                                                                                      \
  inline void pyrt_emu_##prefix##_mask_storeu_##suffix(void* p, mask k, vec a) {        \
    pyrt_emu::CopySelectedLanes(p, &a, lanes, lane_bytes, k);                            \
  }
PYRT_EMU_MASKED_LOAD_STORE(mm, epi8, simde__m128i, 16, 1, simde__mmask16)
PYRT_EMU_MASKED_LOAD_STORE(mm256, epi8, simde__m256i, 32, 1, simde__mmask32)
PYRT_EMU_MASKED_LOAD_STORE(mm512, epi8, simde__m512i, 64, 1, simde__mmask64)
PYRT_EMU_MASKED_LOAD_STORE(mm, epi16, simde__m128i, 8, 2, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm256, epi16, simde__m256i, 16, 2, simde__mmask16)
PYRT_EMU_MASKED_LOAD_STORE(mm512, epi16, simde__m512i, 32, 2, simde__mmask32)
PYRT_EMU_MASKED_LOAD_STORE(mm, epi32, simde__m128i, 4, 4, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm256, epi32, simde__m256i, 8, 4, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm512, epi32, simde__m512i, 16, 4, simde__mmask16)
PYRT_EMU_MASKED_LOAD_STORE(mm, epi64, simde__m128i, 2, 8, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm256, epi64, simde__m256i, 4, 8, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm512, epi64, simde__m512i, 8, 8, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm, ps, simde__m128, 4, 4, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm256, ps, simde__m256, 8, 4, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm512, ps, simde__m512, 16, 4, simde__mmask16)
PYRT_EMU_MASKED_LOAD_STORE(mm, pd, simde__m128d, 2, 8, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm256, pd, simde__m256d, 4, 8, simde__mmask8)
PYRT_EMU_MASKED_LOAD_STORE(mm512, pd, simde__m512d, 8, 8, simde__mmask8)
#undef PYRT_EMU_MASKED_LOAD_STORE

namespace pyrt_emu {

// VPGATHERDD with a mask: unselected lanes keep src and read nothing.
inline simde__m512i mm512_mask_i32gather_epi32(simde__m512i src, simde__mmask16 k, simde__m512i index,
                                               const void* base, int scale) {
  Lanes<int32_t, 16> out(&src), idx(&index);
  const auto* b = static_cast<const unsigned char*>(base);
  for (int i = 0; i < 16; ++i)
    if ((k >> i) & 1) std::memcpy(&out.v[i], b + static_cast<int64_t>(idx.v[i]) * scale, sizeof(int32_t));
  out.To(&src);
  return src;
}

}  // namespace pyrt_emu

#define _mm512_srav_epi32(a, b) pyrt_emu::Srav<int32_t, 16>((a), (b))
#define _mm512_srav_epi64(a, b) pyrt_emu::Srav<int64_t, 8>((a), (b))
#define _mm512_sra_epi32(a, count) pyrt_emu::mm512_sra_epi32((a), (count))
#define _mm512_cvtepi32_pd(a) pyrt_emu::mm512_cvtepi32_pd(a)
#undef _mm512_roundscale_ps
#undef _mm512_roundscale_pd
#define _mm512_roundscale_ps(a, imm) pyrt_emu::mm512_roundscale_ps((a), (imm))
#define _mm512_roundscale_pd(a, imm) pyrt_emu::mm512_roundscale_pd((a), (imm))
#define _mm512_cvtepi8_epi32(a) pyrt_emu::Widen16Bytes<int8_t>(a)
#define _mm512_cvtepu8_epi32(a) pyrt_emu::Widen16Bytes<uint8_t>(a)
#define _mm512_cvtepi32_epi8(a) pyrt_emu::mm512_cvtepi32_epi8(a)
#define _mm512_cmplt_epi32_mask(a, b) static_cast<simde__mmask16>(pyrt_emu::CmpLtMask<int32_t, 16>((a), (b)))
#define _mm512_cmplt_epi64_mask(a, b) static_cast<simde__mmask8>(pyrt_emu::CmpLtMask<int64_t, 8>((a), (b)))
#define _mm512_cvttpd_epi32(a) pyrt_emu::mm512_cvttpd_epi32(a)
#undef _mm_maskz_loadu_epi8
#undef _mm_mask_loadu_epi8
#undef _mm_mask_storeu_epi8
#define _mm_maskz_loadu_epi8(k, p) pyrt_emu_mm_maskz_loadu_epi8((k), (p))
#define _mm_mask_loadu_epi8(src, k, p) pyrt_emu_mm_mask_loadu_epi8((src), (k), (p))
#define _mm_mask_storeu_epi8(p, k, a) pyrt_emu_mm_mask_storeu_epi8((p), (k), (a))
#undef _mm_maskz_loadu_epi16
#undef _mm_mask_loadu_epi16
#undef _mm_mask_storeu_epi16
#define _mm_maskz_loadu_epi16(k, p) pyrt_emu_mm_maskz_loadu_epi16((k), (p))
#define _mm_mask_loadu_epi16(src, k, p) pyrt_emu_mm_mask_loadu_epi16((src), (k), (p))
#define _mm_mask_storeu_epi16(p, k, a) pyrt_emu_mm_mask_storeu_epi16((p), (k), (a))
#undef _mm_maskz_loadu_epi32
#undef _mm_mask_loadu_epi32
#undef _mm_mask_storeu_epi32
#define _mm_maskz_loadu_epi32(k, p) pyrt_emu_mm_maskz_loadu_epi32((k), (p))
#define _mm_mask_loadu_epi32(src, k, p) pyrt_emu_mm_mask_loadu_epi32((src), (k), (p))
#define _mm_mask_storeu_epi32(p, k, a) pyrt_emu_mm_mask_storeu_epi32((p), (k), (a))
#undef _mm_maskz_loadu_epi64
#undef _mm_mask_loadu_epi64
#undef _mm_mask_storeu_epi64
#define _mm_maskz_loadu_epi64(k, p) pyrt_emu_mm_maskz_loadu_epi64((k), (p))
#define _mm_mask_loadu_epi64(src, k, p) pyrt_emu_mm_mask_loadu_epi64((src), (k), (p))
#define _mm_mask_storeu_epi64(p, k, a) pyrt_emu_mm_mask_storeu_epi64((p), (k), (a))
#undef _mm_maskz_loadu_ps
#undef _mm_mask_loadu_ps
#undef _mm_mask_storeu_ps
#define _mm_maskz_loadu_ps(k, p) pyrt_emu_mm_maskz_loadu_ps((k), (p))
#define _mm_mask_loadu_ps(src, k, p) pyrt_emu_mm_mask_loadu_ps((src), (k), (p))
#define _mm_mask_storeu_ps(p, k, a) pyrt_emu_mm_mask_storeu_ps((p), (k), (a))
#undef _mm_maskz_loadu_pd
#undef _mm_mask_loadu_pd
#undef _mm_mask_storeu_pd
#define _mm_maskz_loadu_pd(k, p) pyrt_emu_mm_maskz_loadu_pd((k), (p))
#define _mm_mask_loadu_pd(src, k, p) pyrt_emu_mm_mask_loadu_pd((src), (k), (p))
#define _mm_mask_storeu_pd(p, k, a) pyrt_emu_mm_mask_storeu_pd((p), (k), (a))
#undef _mm256_maskz_loadu_epi8
#undef _mm256_mask_loadu_epi8
#undef _mm256_mask_storeu_epi8
#define _mm256_maskz_loadu_epi8(k, p) pyrt_emu_mm256_maskz_loadu_epi8((k), (p))
#define _mm256_mask_loadu_epi8(src, k, p) pyrt_emu_mm256_mask_loadu_epi8((src), (k), (p))
#define _mm256_mask_storeu_epi8(p, k, a) pyrt_emu_mm256_mask_storeu_epi8((p), (k), (a))
#undef _mm256_maskz_loadu_epi16
#undef _mm256_mask_loadu_epi16
#undef _mm256_mask_storeu_epi16
#define _mm256_maskz_loadu_epi16(k, p) pyrt_emu_mm256_maskz_loadu_epi16((k), (p))
#define _mm256_mask_loadu_epi16(src, k, p) pyrt_emu_mm256_mask_loadu_epi16((src), (k), (p))
#define _mm256_mask_storeu_epi16(p, k, a) pyrt_emu_mm256_mask_storeu_epi16((p), (k), (a))
#undef _mm256_maskz_loadu_epi32
#undef _mm256_mask_loadu_epi32
#undef _mm256_mask_storeu_epi32
#define _mm256_maskz_loadu_epi32(k, p) pyrt_emu_mm256_maskz_loadu_epi32((k), (p))
#define _mm256_mask_loadu_epi32(src, k, p) pyrt_emu_mm256_mask_loadu_epi32((src), (k), (p))
#define _mm256_mask_storeu_epi32(p, k, a) pyrt_emu_mm256_mask_storeu_epi32((p), (k), (a))
#undef _mm256_maskz_loadu_epi64
#undef _mm256_mask_loadu_epi64
#undef _mm256_mask_storeu_epi64
#define _mm256_maskz_loadu_epi64(k, p) pyrt_emu_mm256_maskz_loadu_epi64((k), (p))
#define _mm256_mask_loadu_epi64(src, k, p) pyrt_emu_mm256_mask_loadu_epi64((src), (k), (p))
#define _mm256_mask_storeu_epi64(p, k, a) pyrt_emu_mm256_mask_storeu_epi64((p), (k), (a))
#undef _mm256_maskz_loadu_ps
#undef _mm256_mask_loadu_ps
#undef _mm256_mask_storeu_ps
#define _mm256_maskz_loadu_ps(k, p) pyrt_emu_mm256_maskz_loadu_ps((k), (p))
#define _mm256_mask_loadu_ps(src, k, p) pyrt_emu_mm256_mask_loadu_ps((src), (k), (p))
#define _mm256_mask_storeu_ps(p, k, a) pyrt_emu_mm256_mask_storeu_ps((p), (k), (a))
#undef _mm256_maskz_loadu_pd
#undef _mm256_mask_loadu_pd
#undef _mm256_mask_storeu_pd
#define _mm256_maskz_loadu_pd(k, p) pyrt_emu_mm256_maskz_loadu_pd((k), (p))
#define _mm256_mask_loadu_pd(src, k, p) pyrt_emu_mm256_mask_loadu_pd((src), (k), (p))
#define _mm256_mask_storeu_pd(p, k, a) pyrt_emu_mm256_mask_storeu_pd((p), (k), (a))
#undef _mm512_maskz_loadu_epi8
#undef _mm512_mask_loadu_epi8
#undef _mm512_mask_storeu_epi8
#define _mm512_maskz_loadu_epi8(k, p) pyrt_emu_mm512_maskz_loadu_epi8((k), (p))
#define _mm512_mask_loadu_epi8(src, k, p) pyrt_emu_mm512_mask_loadu_epi8((src), (k), (p))
#define _mm512_mask_storeu_epi8(p, k, a) pyrt_emu_mm512_mask_storeu_epi8((p), (k), (a))
#undef _mm512_maskz_loadu_epi16
#undef _mm512_mask_loadu_epi16
#undef _mm512_mask_storeu_epi16
#define _mm512_maskz_loadu_epi16(k, p) pyrt_emu_mm512_maskz_loadu_epi16((k), (p))
#define _mm512_mask_loadu_epi16(src, k, p) pyrt_emu_mm512_mask_loadu_epi16((src), (k), (p))
#define _mm512_mask_storeu_epi16(p, k, a) pyrt_emu_mm512_mask_storeu_epi16((p), (k), (a))
#undef _mm512_maskz_loadu_epi32
#undef _mm512_mask_loadu_epi32
#undef _mm512_mask_storeu_epi32
#define _mm512_maskz_loadu_epi32(k, p) pyrt_emu_mm512_maskz_loadu_epi32((k), (p))
#define _mm512_mask_loadu_epi32(src, k, p) pyrt_emu_mm512_mask_loadu_epi32((src), (k), (p))
#define _mm512_mask_storeu_epi32(p, k, a) pyrt_emu_mm512_mask_storeu_epi32((p), (k), (a))
#undef _mm512_maskz_loadu_epi64
#undef _mm512_mask_loadu_epi64
#undef _mm512_mask_storeu_epi64
#define _mm512_maskz_loadu_epi64(k, p) pyrt_emu_mm512_maskz_loadu_epi64((k), (p))
#define _mm512_mask_loadu_epi64(src, k, p) pyrt_emu_mm512_mask_loadu_epi64((src), (k), (p))
#define _mm512_mask_storeu_epi64(p, k, a) pyrt_emu_mm512_mask_storeu_epi64((p), (k), (a))
#undef _mm512_maskz_loadu_ps
#undef _mm512_mask_loadu_ps
#undef _mm512_mask_storeu_ps
#define _mm512_maskz_loadu_ps(k, p) pyrt_emu_mm512_maskz_loadu_ps((k), (p))
#define _mm512_mask_loadu_ps(src, k, p) pyrt_emu_mm512_mask_loadu_ps((src), (k), (p))
#define _mm512_mask_storeu_ps(p, k, a) pyrt_emu_mm512_mask_storeu_ps((p), (k), (a))
#undef _mm512_maskz_loadu_pd
#undef _mm512_mask_loadu_pd
#undef _mm512_mask_storeu_pd
#define _mm512_maskz_loadu_pd(k, p) pyrt_emu_mm512_maskz_loadu_pd((k), (p))
#define _mm512_mask_loadu_pd(src, k, p) pyrt_emu_mm512_mask_loadu_pd((src), (k), (p))
#define _mm512_mask_storeu_pd(p, k, a) pyrt_emu_mm512_mask_storeu_pd((p), (k), (a))
#define _mm512_mask_i32gather_epi32(src, k, index, base, scale) \
  pyrt_emu::mm512_mask_i32gather_epi32((src), (k), (index), (base), (scale))
