// int8 MAX_POOL_2D on the interpreter's ISA path: the reference
// (kernels/reference/pool_q.h MaxPoolQ) or SIMD twins taking the maximum of
// each clipped window over 32 / 16 / 8 channels at a time (max is exact:
// every path gives the same bytes).
#pragma once

#include <cstdint>

#include "kernels/isa.h"
#include "kernels/reference/pool_q.h"

namespace pyrt {

using MaxPoolS8Fn = void (*)(const PoolGeometry& g, const int8_t* input, int8_t* output);

MaxPoolS8Fn MaxPoolS8For(Isa isa);

class ThreadPool;

// fn over the whole op, in bands of output rows across the pool's threads
// when the output is large enough to pay for the split (ResNet50's 56x56x64
// after its stem: 27 us on one thread, the other idle). A band is the op on
// those rows of one image, its padding shifted: the same windows, so the
// same bytes for any split.
void MaxPoolS8Rows(MaxPoolS8Fn fn, const PoolGeometry& g, const int8_t* input, int8_t* output,
                   ThreadPool* pool);

}  // namespace pyrt
