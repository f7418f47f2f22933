// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR on 4-D NHWC input with a
// constant int32 size [new_height, new_width]. Like TFLite, the kernels copy
// or interpolate raw values and no quantization check is made (the converter
// gives input and output the same parameters). Nearest neighbor copies bytes
// of any dtype. Bilinear follows the reference kernel per type: float32 and
// uint8 the float formula, int8 / int16 the 10-bit fixed-point one.
#include "kernels/f32_vops/f32_vops.h"
#include "kernels/reference/resize.h"
#include "kernels/resize_bilinear_s8_kernel.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

constexpr int32_t kMaxResizeDim = 1 << 20;  // keeps 1024 * size in int32

class Resize : public Op {
 public:
  explicit Resize(bool bilinear) : bilinear_(bilinear) {}

  void Prepare() override {
    RequireInputCount(2, 2);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    RequireSameType(in, output(0), label());
    PYRT_ENSURE(in.rank() == 4, label(), ": input must be 4-D, got ", ShapeToString(in.shape));
    const Tensor& size = input(1);
    RequireType(size, DType::kInt32, "size");
    PYRT_ENSURE(size.rank() == 1 && size.dim(0) == 2, label(), ": size must have shape [2], got ",
                ShapeToString(size.shape));
    const std::vector<int64_t> hw = ReadConstantIndices(size, label(), "size");
    const ResizeOptions& o = options<ResizeOptions>();
    // Only the bilinear kernel rejects the combination, as in TFLite.
    PYRT_ENSURE(!(bilinear_ && o.align_corners && o.half_pixel_centers), label(),
                ": align_corners and half_pixel_centers cannot both be set");
    for (int i = 0; i < 2; ++i) {
      PYRT_ENSURE(hw[i] > 0 && hw[i] <= kMaxResizeDim, label(), ": output size ", hw[i],
                  " must lie in [1, ", kMaxResizeDim, "]");
      PYRT_ENSURE(in.dim(1 + i) > 0 && in.dim(1 + i) <= kMaxResizeDim, label(), ": input ",
                  ShapeToString(in.shape), " has an empty or too large spatial dim");
    }
    s_ = ResizeShape{in.dim(0), in.dim(1), in.dim(2), in.dim(3), hw[0], hw[1]};
    SetOutputShape(output(0), {in.dim(0), static_cast<int32_t>(hw[0]),
                               static_cast<int32_t>(hw[1]), in.dim(3)});
    const int32_t ih = in.dim(1), iw = in.dim(2);
    const int32_t oh = static_cast<int32_t>(hw[0]), ow = static_cast<int32_t>(hw[1]);
    if (!bilinear_) {
      elem_ = CopyableElementSize(in, label(), "input");
      near_y_ = NearestAxis(ih, oh, o.align_corners, o.half_pixel_centers);
      near_x_ = NearestAxis(iw, ow, o.align_corners, o.half_pixel_centers);
    } else if (in.dtype == DType::kFloat32 || in.dtype == DType::kUInt8) {
      fy_ = BilinearAxisFloat(ih, oh, o.align_corners, o.half_pixel_centers);
      fx_ = BilinearAxisFloat(iw, ow, o.align_corners, o.half_pixel_centers);
    } else {
      PYRT_ENSURE(in.dtype == DType::kInt8 || in.dtype == DType::kInt16, label(),
                  ": bilinear input type ", DTypeName(in.dtype),
                  " is not float32, uint8, int8 or int16");
      qy_ = BilinearAxisInteger(ih, oh, o.align_corners, o.half_pixel_centers);
      qx_ = BilinearAxisInteger(iw, ow, o.align_corners, o.half_pixel_centers);
      row_s8_ = BilinearRowS8For(isa());
    }
  }

  void Eval(const EvalContext&) override {
    const Tensor& in = input(0);
    Tensor& out = output(0);
    if (!bilinear_) {
      ResizeNearestBytes(s_, elem_, near_y_.data(), near_x_.data(), in.data, out.data);
    } else if (in.dtype == DType::kFloat32) {
      F32VopsConfigFor(isa()).resize_bilinear(s_, fy_, fx_, in.data_as<float>(), out.data_as<float>());
    } else if (in.dtype == DType::kUInt8) {
      ResizeBilinearU8(s_, fy_, fx_, in.data_as<uint8_t>(), out.data_as<uint8_t>());
    } else if (in.dtype == DType::kInt8) {
      ResizeBilinearS8(s_, qy_, qx_, row_s8_, in.data_as<int8_t>(), out.data_as<int8_t>());
    } else {
      ResizeBilinearInteger(s_, qy_, qx_, in.data_as<int16_t>(), out.data_as<int16_t>());
    }
  }

 private:
  bool bilinear_;
  ResizeShape s_;
  size_t elem_ = 1;
  std::vector<int32_t> near_y_, near_x_;
  BilinearAxisF fy_, fx_;
  BilinearAxisQ qy_, qx_;
  BilinearRowS8Fn row_s8_ = BilinearRowS8;
};

}  // namespace

std::unique_ptr<Op> MakeResizeBilinear() { return std::make_unique<Resize>(true); }
std::unique_ptr<Op> MakeResizeNearestNeighbor() { return std::make_unique<Resize>(false); }

}  // namespace pyrt
