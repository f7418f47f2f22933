// The row loop of int8 RESIZE_BILINEAR (BilinearRowS8Fn in
// kernels/reference/resize.h) on the interpreter's ISA path.
#pragma once

#include "kernels/isa.h"
#include "kernels/reference/resize.h"

namespace pyrt {

// The family's dispatch table: the best row loop `isa` runs (the portable
// BilinearRowS8 when it has none of its own).
BilinearRowS8Fn BilinearRowS8For(Isa isa);

}  // namespace pyrt
