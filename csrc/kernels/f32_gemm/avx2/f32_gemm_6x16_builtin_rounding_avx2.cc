// The reference float GEMM / depthwise bodies (kernels/reference/
// gemm_f32_body.h: multiply, then add, k in order, bias after the sum)
// compiled for AVX2 with -ffp-contract=off (CMakeLists.txt): the same
// roundings lane for lane, so bit-identical to f32_portable, on 8-float
// registers. Float ops of models with hybrid ops run these (op.h
// builtin_float_rounding); the portable build of the body is 5-20x slower.
#define PYRT_F32_NS f32_builtin_avx2
#include "kernels/reference/gemm_f32_body.h"
#undef PYRT_F32_NS
