// Compiled with AVX-512 F/BW/VL/DQ/VNNI flags (see CMakeLists.txt); called
// only when the CPU has them (the avx512vnni path of kernels/isa.h).
#include "kernels/qs8_gemm/avx512vnni/qs8_gemm_8x32c4_avx512vnni.h"

#include <immintrin.h>

#include <cstring>

#include "kernels/qs8_gemm/u8_rows.h"
#include "kernels/x86/avx512vnni/requant_avx512vnni.h"
#include "kernels/x86/dpbusd_in_place.h"

namespace pyrt {
namespace {

inline __m512i Broadcast4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return _mm512_set1_epi32(v);
}

// kRows x (16 * kVecs) tile. The panel stride is 32 columns whatever kVecs
// (a panel of <= 16 columns reads only its first half). The sums start from
// the bias; the requantization constants are loaded once per tile.
template <int kRows, int kVecs, typename Requant, typename A>
inline void Tile(int nr, const A& in, const int8_t* b, int8_t* c, size_t c_stride,
                 const Qs8GemmEpilogue& ep) {
  constexpr int kPanelBytes = kQs8GemmAvx512VnniNr * 4;  // one k quad of the panel
  __m512i acc[kRows][kVecs];
#pragma GCC unroll 2
  for (int v = 0; v < kVecs; ++v) {
    const __m512i bias = Load16(ep.bias + 16 * v);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) acc[r][v] = bias;
  }
  const __m512i sign_bits = _mm512_set1_epi8(static_cast<char>(0x80));
  for (int s = 0; s < in.segments(); ++s) {
    const uint8_t* a[kRows];
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) a[r] = in.Run(r, s);
    for (int k = 0; k < in.segment_kp(); k += 4, b += kPanelBytes) {
      __m512i w[kVecs];
#pragma GCC unroll 2
      for (int v = 0; v < kVecs; ++v) w[v] = _mm512_loadu_si512(b + 64 * v);
#pragma GCC unroll 8
      for (int r = 0; r < kRows; ++r) {
        __m512i x = Broadcast4(a[r] + k);
        if constexpr (A::kFlipSign) x = _mm512_xor_si512(x, sign_bits);
#pragma GCC unroll 2
        for (int v = 0; v < kVecs; ++v) DpbusdInPlace(acc[r][v], x, w[v]);
      }
    }
  }
  const ActRange8 range(ep);
  if constexpr (kVecs == 2) {
    const Requant rq0(ep, 0), rq1(ep, 16);
#pragma GCC unroll 4
    for (int r = 0; r < kRows; r += 2) {
      const int r2 = r + 1 < kRows ? r + 1 : r;  // an odd last row pairs with itself
      Store2x32(rq0(acc[r][0]), rq1(acc[r][1]), rq0(acc[r2][0]), rq1(acc[r2][1]), range, nr,
                c + r * c_stride, c + r2 * c_stride);
    }
  } else {
    const Requant rq(ep, 0);
#pragma GCC unroll 8
    for (int r = 0; r < kRows; ++r) Store16(rq(acc[r][0]), range, nr, c + r * c_stride);
  }
}

template <int kRows, typename Requant, typename A>
inline void RowsTile(int nr, const A& in, const int8_t* b, int8_t* c, size_t c_stride,
                     const Qs8GemmEpilogue& ep) {
  if (nr > 16) {
    Tile<kRows, 2, Requant>(nr, in, b, c, c_stride, ep);
  } else {
    Tile<kRows, 1, Requant>(nr, in, b, c, c_stride, ep);
  }
}

template <typename Requant, typename A>
void Gemm(int mr, int nr, const A& in, const int8_t* b, int8_t* c, size_t c_stride,
          const Qs8GemmEpilogue& ep) {
  switch (mr) {
    case 1: return RowsTile<1, Requant>(nr, in, b, c, c_stride, ep);
    case 2: return RowsTile<2, Requant>(nr, in, b, c, c_stride, ep);
    case 3: return RowsTile<3, Requant>(nr, in, b, c, c_stride, ep);
    case 4: return RowsTile<4, Requant>(nr, in, b, c, c_stride, ep);
    case 5: return RowsTile<5, Requant>(nr, in, b, c, c_stride, ep);
    case 6: return RowsTile<6, Requant>(nr, in, b, c, c_stride, ep);
    case 7: return RowsTile<7, Requant>(nr, in, b, c, c_stride, ep);
    default: return RowsTile<8, Requant>(nr, in, b, c, c_stride, ep);
  }
}

template <typename A>
void Gemmlowp(int mr, int nr, const A& in, const int8_t* b, int8_t* c, size_t c_stride,
              const Qs8GemmEpilogue& ep) {
  if (ep.any_int32_min_multiplier) {
    Gemm<GemmlowpRequant16<true, true>>(mr, nr, in, b, c, c_stride, ep);
  } else if (ep.any_left_shift) {
    Gemm<GemmlowpRequant16<true, false>>(mr, nr, in, b, c, c_stride, ep);
  } else if (ep.right_shifts_1_to_23) {
    Gemm<GemmlowpRequant16Merged>(mr, nr, in, b, c, c_stride, ep);
  } else {
    Gemm<GemmlowpRequant16<false, false>>(mr, nr, in, b, c, c_stride, ep);
  }
}

}  // namespace

void Qs8Gemm8x32c4GemmlowpAvx512Vnni(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                     const int8_t* b, int8_t* c, size_t c_stride,
                                     const Qs8GemmEpilogue& ep) {
  Gemmlowp(mr, nr, PlainRows{a, a_stride, kp}, b, c, c_stride, ep);
}

void Qs8Gemm8x32c4GemmlowpFlippedS8Avx512Vnni(int mr, int nr, int kp, const int8_t* a,
                                              size_t a_stride, const int8_t* b, int8_t* c,
                                              size_t c_stride, const Qs8GemmEpilogue& ep) {
  Gemmlowp(mr, nr, FlippedS8Rows{{reinterpret_cast<const uint8_t*>(a), a_stride, kp}}, b, c,
           c_stride, ep);
}

void Qs8Gemm8x32c4Fp64Avx512Vnni(int mr, int nr, int kp, const uint8_t* a, size_t a_stride,
                                 const int8_t* b, int8_t* c, size_t c_stride,
                                 const Qs8GemmEpilogue& ep) {
  Gemm<Fp64Requant16>(mr, nr, PlainRows{a, a_stride, kp}, b, c, c_stride, ep);
}

void Qs8Gemm8x32c4SegmentedGemmlowpAvx512Vnni(int mr, int nr, int segments, int segment_kp,
                                              size_t segment_stride, const uint8_t* const* a, const int8_t* b, int8_t* c,
                                              size_t c_stride, const Qs8GemmEpilogue& ep) {
  Gemmlowp(mr, nr, SegmentedRows{a, segments, segment_kp, segment_stride}, b, c, c_stride, ep);
}

}  // namespace pyrt
