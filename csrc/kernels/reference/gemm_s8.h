// Portable int8 GEMM: the reference twin of the SIMD GEMM microkernels.
#pragma once

#include <cstdint>

namespace pyrt {

// For m < M, n < N: out(m, n, sum_k A[m][k] * B[n][k]).
// A is M x K (row stride lda), B is N x K (row stride ldb, one row per output
// channel). Values are raw int8 (zero points are folded by the caller); the
// epilogue `out` turns each int32 accumulator into an output value.
template <typename Epilogue>
void GemmS8(int M, int N, int K, const int8_t* A, int64_t lda, const int8_t* B, int64_t ldb,
            Epilogue&& out) {
  // 4 rows of A at a time, so each row of B is read from cache once per 4
  // outputs; the k loop is written so compilers vectorize it.
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    const int8_t* a0 = A + m * lda;
    const int8_t* a1 = a0 + lda;
    const int8_t* a2 = a1 + lda;
    const int8_t* a3 = a2 + lda;
    for (int n = 0; n < N; ++n) {
      const int8_t* b = B + n * ldb;
      int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int k = 0; k < K; ++k) {
        const int32_t w = b[k];
        s0 += a0[k] * w;
        s1 += a1[k] * w;
        s2 += a2[k] * w;
        s3 += a3[k] * w;
      }
      out(m, n, s0);
      out(m + 1, n, s1);
      out(m + 2, n, s2);
      out(m + 3, n, s3);
    }
  }
  for (; m < M; ++m) {
    const int8_t* a = A + m * lda;
    for (int n = 0; n < N; ++n) {
      const int8_t* b = B + n * ldb;
      int32_t s = 0;
      for (int k = 0; k < K; ++k) s += a[k] * b[k];
      out(m, n, s);
    }
  }
}

}  // namespace pyrt
