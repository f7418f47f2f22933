// Builtin op options, read out of the flatbuffer into plain structs so that
// ops never see the file format. Defaults are the schema's defaults.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/dtype.h"

namespace pyrt {

enum class Padding : int8_t { kSame = 0, kValid = 1 };

enum class Activation : int8_t {
  kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5,
};

// CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV.
struct ConvOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 0, stride_h = 0;
  int32_t dilation_w = 1, dilation_h = 1;
  int32_t depth_multiplier = 0;  // depthwise only
  Activation activation = Activation::kNone;
  // Zero rows / columns of a PAD fused into a float conv (interpreter/
  // fusion.h): the window runs over the input padded by these first.
  int32_t fused_pad_top = 0, fused_pad_bottom = 0, fused_pad_left = 0, fused_pad_right = 0;
};

struct PoolOptions {
  Padding padding = Padding::kSame;
  int32_t stride_w = 0, stride_h = 0;
  int32_t filter_w = 0, filter_h = 0;
  Activation activation = Activation::kNone;
};

struct FullyConnectedOptions {
  Activation activation = Activation::kNone;
  int8_t weights_format = 0;  // 0: DEFAULT; others are rejected
  bool keep_num_dims = false;
  bool asymmetric_quantize_inputs = false;
};

struct SoftmaxOptions { float beta = 0.f; };

struct ConcatenationOptions {
  int32_t axis = 0;
  Activation activation = Activation::kNone;
};

// ADD, SUB, MUL, DIV.
struct ArithmeticOptions {
  Activation activation = Activation::kNone;
  bool pot_scale_int16 = true;
};

struct ReshapeOptions {
  bool has_new_shape = false;
  std::vector<int32_t> new_shape;
};

struct ReducerOptions { bool keep_dims = false; };

struct StridedSliceOptions {
  int32_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0;
  int32_t new_axis_mask = 0, shrink_axis_mask = 0;
  bool offset = false;
};

struct PackOptions { int32_t values_count = 0; int32_t axis = 0; };
struct UnpackOptions { int32_t num = 0; int32_t axis = 0; };
struct ShapeOptions { DType out_type = DType::kInt32; };
struct SqueezeOptions { std::vector<int32_t> squeeze_dims; };
struct SplitOptions { int32_t num_splits = 0; };
struct GatherOptions { int32_t axis = 0; int32_t batch_dims = 0; };
struct LeakyReluOptions { float alpha = 0.f; };
struct ResizeOptions { bool align_corners = false; bool half_pixel_centers = false; };
struct BatchMatMulOptions { bool adj_x = false; bool adj_y = false; };
struct ArgMaxOptions { DType output_type = DType::kInt64; };
struct MirrorPadOptions { bool symmetric = false; };  // REFLECT when false
struct BlockSizeOptions { int32_t block_size = 0; };
struct GeluOptions { bool approximate = false; };
// Control flow: indices of the subgraphs an op runs (-1 when absent).
struct SubgraphOptions { int32_t first = -1; int32_t second = -1; };  // IF: then/else; WHILE: cond/body; CALL_ONCE: init
struct VarHandleOptions { std::string container, shared_name; };
// LSTM, RNN and SVDF families (fields that an op lacks keep their defaults).
struct RecurrentOptions {
  Activation activation = Activation::kNone;
  float cell_clip = 0.f, proj_clip = 0.f;
  bool time_major = false, merge_outputs = false, asymmetric_quantize_inputs = false;
  bool diagonal_recurrent_tensors = false;
  int8_t kernel_type = 0;  // LSTM: 0 FULL, 1 BASIC
  int32_t rank = 0;        // SVDF
};

using OpOptions =
    std::variant<std::monostate, ConvOptions, PoolOptions, FullyConnectedOptions,
                 SoftmaxOptions, ConcatenationOptions, ArithmeticOptions, ReshapeOptions,
                 ReducerOptions, StridedSliceOptions, PackOptions, UnpackOptions,
                 ShapeOptions, SqueezeOptions, SplitOptions, GatherOptions,
                 LeakyReluOptions, ResizeOptions, BatchMatMulOptions, ArgMaxOptions,
                 BlockSizeOptions, GeluOptions, MirrorPadOptions, SubgraphOptions,
                 VarHandleOptions, RecurrentOptions>;

}  // namespace pyrt
