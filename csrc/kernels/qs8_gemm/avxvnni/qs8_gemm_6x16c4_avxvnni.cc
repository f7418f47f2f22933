// Compiled with -mavx2 -mfma -mavxvnni (see CMakeLists.txt); called only
// when the CPU has AVX-VNNI. With PYRT_EMULATE_AVXVNNI (the test module,
// -mavx2 -mfma only) vpdpbusd comes from SIMD Everywhere instead: the
// AVX-512 VNNI+VL ymm form it emulates is the same operation.
#include "kernels/qs8_gemm/avxvnni/qs8_gemm_6x16c4_avxvnni.h"

#include <immintrin.h>

#include <cstring>

#ifdef PYRT_EMULATE_AVXVNNI
#include <simde/x86/avx512/dpbusd.h>
#else
#include "kernels/x86/dpbusd_in_place.h"
#endif

#include "kernels/qs8_gemm/u8_rows.h"
#include "kernels/x86/avx2/requant_avx2.h"

namespace pyrt {
namespace {

inline void Dpbusd(__m256i& acc, __m256i a, __m256i b) {
#ifdef PYRT_EMULATE_AVXVNNI
  acc = simde_mm256_dpbusd_epi32(acc, a, b);
#else
  DpbusdInPlace(acc, a, b);
#endif
}

inline __m256i Broadcast4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm256_set1_epi32(v);
}

// kRows x 16 tile; the panel is [kp / 4][16][4]. Never inlined: inlined
// into the exported kernels (all six row counts, each requantization form),
// GCC kept the 12 sums on the stack, 2 stack moves per vpdpbusd.
template <int kRows, typename Requant, typename A>
[[gnu::noinline]] void Tile(int nr, const A& in, const int8_t* b, int8_t* c, size_t c_stride,
                 const Qs8GemmEpilogue& ep) {
  // Fully unrolled over rows so the sums stay in registers.
  __m256i acc[kRows][2];
#pragma GCC unroll 6
  for (int r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  const __m256i sign_bits = _mm256_set1_epi8(static_cast<char>(0x80));
  for (int s = 0; s < in.segments(); ++s) {
    const uint8_t* a[kRows];
#pragma GCC unroll 6
    for (int r = 0; r < kRows; ++r) a[r] = in.Run(r, s);
    for (int k = 0; k < in.segment_kp(); k += 4, b += 64) {
      const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
      const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 32));
#pragma GCC unroll 6
      for (int r = 0; r < kRows; ++r) {
        __m256i x = Broadcast4(a[r] + k);
        if constexpr (A::kFlipSign) x = _mm256_xor_si256(x, sign_bits);  // int8 x -> x + 128
        Dpbusd(acc[r][0], x, w0);
        Dpbusd(acc[r][1], x, w1);
      }
    }
  }
  const Requant requant0(ep, 0), requant1(ep, 8);
#pragma GCC unroll 6
  for (int r = 0; r < kRows; ++r)
    Store16(requant0(acc[r][0]), requant1(acc[r][1]), ep, nr, c + r * c_stride);
}

template <typename Requant, typename A>
void Gemm(int mr, int nr, const A& in, const int8_t* b, int8_t* c, size_t c_stride,
          const Qs8GemmEpilogue& ep) {
  switch (mr) {
    case 1: return Tile<1, Requant>(nr, in, b, c, c_stride, ep);
    case 2: return Tile<2, Requant>(nr, in, b, c, c_stride, ep);
    case 3: return Tile<3, Requant>(nr, in, b, c, c_stride, ep);
    case 4: return Tile<4, Requant>(nr, in, b, c, c_stride, ep);
    case 5: return Tile<5, Requant>(nr, in, b, c, c_stride, ep);
    default: return Tile<6, Requant>(nr, in, b, c, c_stride, ep);
  }
}

}  // namespace

void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4GemmlowpAvxVnni)(int mr, int nr, int kp, const uint8_t* a,
                                                    size_t a_stride, const int8_t* b, int8_t* c,
                                                    size_t c_stride, const Qs8GemmEpilogue& ep) {
  WithGemmlowpRequant8(ep, [&](auto form) {
    Gemm<typename decltype(form)::type>(mr, nr, PlainRows{a, a_stride, kp}, b, c, c_stride, ep);
  });
}

void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4GemmlowpFlippedS8AvxVnni)(int mr, int nr, int kp, const int8_t* a,
                                                             size_t a_stride, const int8_t* b, int8_t* c,
                                                             size_t c_stride, const Qs8GemmEpilogue& ep) {
  const FlippedS8Rows in{{reinterpret_cast<const uint8_t*>(a), a_stride, kp}};
  WithGemmlowpRequant8(ep, [&](auto form) {
    Gemm<typename decltype(form)::type>(mr, nr, in, b, c, c_stride, ep);
  });
}

void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4Fp64AvxVnni)(int mr, int nr, int kp, const uint8_t* a,
                                                size_t a_stride, const int8_t* b, int8_t* c,
                                                size_t c_stride, const Qs8GemmEpilogue& ep) {
  Gemm<Fp64Requant8>(mr, nr, PlainRows{a, a_stride, kp}, b, c, c_stride, ep);
}

void PYRT_AVXVNNI_NAME(Qs8Gemm6x16c4SegmentedGemmlowpAvxVnni)(
    int mr, int nr, int segments, int segment_kp, size_t segment_stride, const uint8_t* const* a, const int8_t* b, int8_t* c, size_t c_stride, const Qs8GemmEpilogue& ep) {
  const SegmentedRows in{a, segments, segment_kp, segment_stride};
  WithGemmlowpRequant8(ep, [&](auto form) {
    Gemm<typename decltype(form)::type>(mr, nr, in, b, c, c_stride, ep);
  });
}

}  // namespace pyrt
