// AVX2 build of the TRANSPOSE_CONV / BATCH_MATMUL bodies (this file gets
// -mavx2 -mfma; only reached through the dispatch in reference/tconv_bmm.cc).
#define PYRT_TB_NS tb_avx2
#include "kernels/reference/tconv_bmm_body.h"
