#include "model/model.h"

#include <cmath>
#include <limits>

#include "model/builtin_ops.h"
#include "model/densify.h"
#include "model/stateful_options.h"
#include "quant/multiplier.h"
#include "core/error.h"
#include "tflite_subset_generated.h"

namespace pyrt {
namespace {

Activation ToActivation(tfl::ActivationFunctionType a) {
  return static_cast<Activation>(static_cast<int8_t>(a));
}

Padding ToPadding(tfl::Padding p) { return static_cast<Padding>(static_cast<int8_t>(p)); }

template <typename T>
std::vector<T> ToVector(const fbs::Vector<T>& v) {
  return v ? v.ToStd() : std::vector<T>();
}

// Strings from the file as valid UTF-8: invalid bytes become '?', so names
// can always reach Python (and error messages) intact.
std::string CleanString(const fbs::String& s) {
  if (!s) return std::string();
  const auto* p = reinterpret_cast<const unsigned char*>(s->data());
  const size_t n = s->size();
  // Fast path (nearly every name): printable-or-control ASCII without NUL.
  bool ascii = true;
  for (size_t i = 0; i < n && ascii; ++i) ascii = p[i] != 0 && p[i] < 0x80;
  if (ascii) return std::string(s->data(), n);
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    const int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (int k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
    if (ok && c != 0) {
      out.append(reinterpret_cast<const char*>(p + i), len);
      i += len;
    } else {
      out.push_back('?');
      ++i;
    }
  }
  return out;
}

std::string TensorLabel(size_t index, const fbs::String& name) {
  return StrCat("tensor ", index, " '", CleanString(name), "'");
}

Shape ReadShape(const fbs::Vector<int32_t>& dims, const std::string& label) {
  Shape shape = ToVector(dims);
  int64_t elements = 1;
  for (int32_t d : shape) {
    PYRT_ENSURE(d >= 0, label, ": negative dimension in shape ", ShapeToString(shape));
    elements *= d;
    PYRT_ENSURE(elements <= kMaxTensorElements, label, ": shape ", ShapeToString(shape),
                " has more than 2^31 elements");
  }
  return shape;
}

QuantParams ReadQuant(const tfl::QuantizationParameters& q, DType dtype, const Shape& shape,
                      const std::string& label) {
  QuantParams out;
  if (!q) return out;
  PYRT_ENSURE(q->details_type() == tfl::QuantizationDetails::NONE, label,
              ": custom quantization is not supported");
  out.scale = ToVector(q->scale());
  out.zero_point = ToVector(q->zero_point());
  out.quantized_dimension = q->quantized_dimension();
  if (out.scale.empty()) {
    out.zero_point.clear();
    return out;
  }
  for (float s : out.scale) {
    PYRT_ENSURE(std::isfinite(s) && s >= 0.f, label, ": quantization scale ", s,
                " is not finite and >= 0");
  }
  // TFLite accepts a missing zero_point array as all zeros.
  if (out.zero_point.empty()) out.zero_point.assign(out.scale.size(), 0);
  PYRT_ENSURE(out.zero_point.size() == out.scale.size(), label, ": ", out.scale.size(),
              " quantization scales but ", out.zero_point.size(), " zero points");
  // Every zero point must be a value of the tensor's type (int32 range for
  // wider or float types), so no op ever sees a truncated one.
  const ActivationRange range = DTypeRange(dtype);
  for (size_t i = 0; i < out.zero_point.size(); ++i) {
    const int64_t zp = out.zero_point[i];
    PYRT_ENSURE(zp >= range.min && zp <= range.max, label, ": zero point ", zp,
                (out.zero_point.size() > 1 ? StrCat(" (channel ", i, ")") : std::string()),
                " is outside [", range.min, ", ", range.max, "] of ", DTypeName(dtype));
  }
  if (out.scale.size() > 1) {
    const int32_t qd = out.quantized_dimension;
    PYRT_ENSURE(qd >= 0 && qd < static_cast<int32_t>(shape.size()), label,
                ": quantized_dimension ", qd, " is outside rank ", shape.size());
    PYRT_ENSURE(static_cast<int64_t>(out.scale.size()) == shape[qd], label, ": ",
                out.scale.size(), " per-channel scales for dimension ", qd, " of size ",
                shape[qd]);
  }
  return out;
}

// Constant bytes of a buffer: inline data, or an offset/size pair into the
// file (used by models over 2 GB). Empty when the tensor has no constant data.
std::pair<const uint8_t*, size_t> ReadBuffer(const tfl::Buffer& buffer, const uint8_t* file,
                                             size_t file_size, uint32_t index) {
  if (!buffer) return {nullptr, 0};
  if (buffer->data() && buffer->data()->size() > 0)
    return {buffer->data()->data(), buffer->data()->size()};
  const uint64_t offset = buffer->offset(), size = buffer->size();
  if (offset > 1) {
    PYRT_ENSURE(offset <= file_size && size <= file_size - offset, "buffer ", index,
                ": external data [", offset, ", ", offset + size,
                ") lies outside the model file of ", file_size, " bytes");
    return {file + offset, static_cast<size_t>(size)};
  }
  return {nullptr, 0};
}

TensorDesc ReadTensor(const tfl::Tensor& t, size_t index, const tfl::Model& model,
                      const uint8_t* file, size_t file_size) {
  PYRT_ENSURE(t, "tensor ", index, " is null");
  const std::string label = TensorLabel(index, t->name());
  TensorDesc d;
  d.name = CleanString(t->name());
  d.dtype = static_cast<DType>(static_cast<int8_t>(t->type()));
  d.shape = ReadShape(t->shape(), label);
  // An absent or empty shape_signature means "as shape" (TFLite reads it so).
  d.shape_signature = t->shape_signature() && t->shape_signature()->size() > 0
                          ? ToVector(t->shape_signature()) : d.shape;
  PYRT_ENSURE(d.shape_signature.size() == d.shape.size(), label, ": shape_signature ",
              ShapeToString(d.shape_signature), " does not match shape ",
              ShapeToString(d.shape));
  d.quant = ReadQuant(t->quantization(), d.dtype, d.shape, label);
  d.is_variable = t->is_variable();

  const auto buffers = model->buffers();
  const uint32_t b = t->buffer();
  PYRT_ENSURE(b == 0 || (buffers && b < buffers->size()), label, ": buffer index ", b,
              " out of range (", buffers ? buffers->size() : 0, " buffers)");
  // A variable tensor (recurrent state) is written at invoke: its buffer, if
  // any, is ignored, as TFLite resets variables to zero.
  if (b != 0 && !d.is_variable) {
    auto [data, size] = ReadBuffer(buffers->Get(b), file, file_size, b);
    if (data && t->sparsity()) {  // stored values of a sparse constant: densified here
      const size_t elem = DTypeSize(d.dtype);
      PYRT_ENSURE(elem != 0 && size % elem == 0, label, ": sparse constant of type ", DTypeName(d.dtype),
                  " with ", size, " bytes is not supported");
      d.densified = Densify(t->sparsity(), d.shape, elem, data, size, label);
      d.data = d.densified->data();
      d.data_size = d.densified->size();
    } else if (data) {
      const size_t elem = DTypeSize(d.dtype);
      PYRT_ENSURE(elem != 0, label, ": constant of type ", DTypeName(d.dtype),
                  " is not supported");
      const uint64_t expected = static_cast<uint64_t>(NumElements(d.shape)) * elem;
      PYRT_ENSURE(size == expected, label, ": buffer ", b, " holds ", size,
                  " bytes, but shape ", ShapeToString(d.shape), " of ", DTypeName(d.dtype),
                  " needs ", expected);
      d.data = data;
      d.data_size = size;
    }
  }
  PYRT_ENSURE(!t->sparsity() || d.densified, label, ": a sparse tensor must be a constant");
  return d;
}

void CheckTensorIndices(const std::vector<int32_t>& indices, size_t num_tensors,
                        bool allow_omitted, const std::string& what) {
  for (int32_t i : indices) {
    if (i == -1 && allow_omitted) continue;
    PYRT_ENSURE(i >= 0 && static_cast<size_t>(i) < num_tensors, what, ": tensor index ", i,
                " out of range (", num_tensors, " tensors)");
  }
}

OpOptions ReadOptions(const tfl::Operator& op, int32_t code) {
  switch (code) {
    case kOpConv2D: {
      ConvOptions o;
      if (auto p = op->builtin_options_as_Conv2DOptions()) {
        o.padding = ToPadding(p->padding());
        o.stride_w = p->stride_w();
        o.stride_h = p->stride_h();
        o.dilation_w = p->dilation_w_factor();
        o.dilation_h = p->dilation_h_factor();
        o.activation = ToActivation(p->fused_activation_function());
      }
      return o;
    }
    case kOpDepthwiseConv2D: {
      ConvOptions o;
      if (auto p = op->builtin_options_as_DepthwiseConv2DOptions()) {
        o.padding = ToPadding(p->padding());
        o.stride_w = p->stride_w();
        o.stride_h = p->stride_h();
        o.depth_multiplier = p->depth_multiplier();
        o.dilation_w = p->dilation_w_factor();
        o.dilation_h = p->dilation_h_factor();
        o.activation = ToActivation(p->fused_activation_function());
      }
      return o;
    }
    case kOpTransposeConv: {
      ConvOptions o;
      if (auto p = op->builtin_options_as_TransposeConvOptions()) {
        o.padding = ToPadding(p->padding());
        o.stride_w = p->stride_w();
        o.stride_h = p->stride_h();
        o.activation = ToActivation(p->fused_activation_function());
      }
      return o;
    }
    case kOpAveragePool2D:
    case kOpMaxPool2D: {
      PoolOptions o;
      if (auto p = op->builtin_options_as_Pool2DOptions()) {
        o.padding = ToPadding(p->padding());
        o.stride_w = p->stride_w();
        o.stride_h = p->stride_h();
        o.filter_w = p->filter_width();
        o.filter_h = p->filter_height();
        o.activation = ToActivation(p->fused_activation_function());
      }
      return o;
    }
    case kOpFullyConnected: {
      FullyConnectedOptions o;
      if (auto p = op->builtin_options_as_FullyConnectedOptions()) {
        o.activation = ToActivation(p->fused_activation_function());
        o.weights_format = static_cast<int8_t>(p->weights_format());
        o.keep_num_dims = p->keep_num_dims();
        o.asymmetric_quantize_inputs = p->asymmetric_quantize_inputs();
      }
      return o;
    }
    case kOpSoftmax: {
      SoftmaxOptions o;
      if (auto p = op->builtin_options_as_SoftmaxOptions()) o.beta = p->beta();
      return o;
    }
    case kOpConcatenation: {
      ConcatenationOptions o;
      if (auto p = op->builtin_options_as_ConcatenationOptions()) {
        o.axis = p->axis();
        o.activation = ToActivation(p->fused_activation_function());
      }
      return o;
    }
    case kOpAdd: {
      ArithmeticOptions o;
      if (auto p = op->builtin_options_as_AddOptions()) {
        o.activation = ToActivation(p->fused_activation_function());
        o.pot_scale_int16 = p->pot_scale_int16();
      }
      return o;
    }
    case kOpSub: {
      ArithmeticOptions o;
      if (auto p = op->builtin_options_as_SubOptions()) {
        o.activation = ToActivation(p->fused_activation_function());
        o.pot_scale_int16 = p->pot_scale_int16();
      }
      return o;
    }
    case kOpMul: {
      ArithmeticOptions o;
      if (auto p = op->builtin_options_as_MulOptions())
        o.activation = ToActivation(p->fused_activation_function());
      return o;
    }
    case kOpDiv: {
      ArithmeticOptions o;
      if (auto p = op->builtin_options_as_DivOptions())
        o.activation = ToActivation(p->fused_activation_function());
      return o;
    }
    case kOpL2Normalization: {  // only the fused activation
      ArithmeticOptions o;
      if (auto p = op->builtin_options_as_L2NormOptions())
        o.activation = ToActivation(p->fused_activation_function());
      return o;
    }
    case kOpReshape: {
      ReshapeOptions o;
      if (auto p = op->builtin_options_as_ReshapeOptions(); p && p->new_shape()) {
        o.has_new_shape = true;
        o.new_shape = ToVector(p->new_shape());
      }
      return o;
    }
    case kOpMean:
    case kOpSum:
    case kOpReduceMax:
    case kOpReduceMin:
    case kOpReduceAny:
    case kOpReduceAll: {
      ReducerOptions o;
      if (auto p = op->builtin_options_as_ReducerOptions()) o.keep_dims = p->keep_dims();
      return o;
    }
    case kOpStridedSlice: {
      StridedSliceOptions o;
      if (auto p = op->builtin_options_as_StridedSliceOptions()) {
        o.begin_mask = p->begin_mask();
        o.end_mask = p->end_mask();
        o.ellipsis_mask = p->ellipsis_mask();
        o.new_axis_mask = p->new_axis_mask();
        o.shrink_axis_mask = p->shrink_axis_mask();
        o.offset = p->offset();
      }
      return o;
    }
    case kOpPack: {
      PackOptions o;
      if (auto p = op->builtin_options_as_PackOptions()) {
        o.values_count = p->values_count();
        o.axis = p->axis();
      }
      return o;
    }
    case kOpUnpack: {
      UnpackOptions o;
      if (auto p = op->builtin_options_as_UnpackOptions()) {
        o.num = p->num();
        o.axis = p->axis();
      }
      return o;
    }
    case kOpShape: {
      ShapeOptions o;
      if (auto p = op->builtin_options_as_ShapeOptions())
        o.out_type = static_cast<DType>(static_cast<int8_t>(p->out_type()));
      return o;
    }
    case kOpSqueeze: {
      SqueezeOptions o;
      if (auto p = op->builtin_options_as_SqueezeOptions())
        o.squeeze_dims = ToVector(p->squeeze_dims());
      return o;
    }
    case kOpSplit: {
      SplitOptions o;
      if (auto p = op->builtin_options_as_SplitOptions()) o.num_splits = p->num_splits();
      return o;
    }
    case kOpGather: {
      GatherOptions o;
      if (auto p = op->builtin_options_as_GatherOptions()) {
        o.axis = p->axis();
        o.batch_dims = p->batch_dims();
      }
      return o;
    }
    case kOpLeakyRelu: {
      LeakyReluOptions o;
      if (auto p = op->builtin_options_as_LeakyReluOptions()) o.alpha = p->alpha();
      return o;
    }
    case kOpResizeBilinear: {
      ResizeOptions o;
      if (auto p = op->builtin_options_as_ResizeBilinearOptions()) {
        o.align_corners = p->align_corners();
        o.half_pixel_centers = p->half_pixel_centers();
      }
      return o;
    }
    case kOpResizeNearestNeighbor: {
      ResizeOptions o;
      if (auto p = op->builtin_options_as_ResizeNearestNeighborOptions()) {
        o.align_corners = p->align_corners();
        o.half_pixel_centers = p->half_pixel_centers();
      }
      return o;
    }
    case kOpBatchMatMul: {
      BatchMatMulOptions o;
      if (auto p = op->builtin_options_as_BatchMatMulOptions()) {
        o.adj_x = p->adj_x();
        o.adj_y = p->adj_y();
      }
      return o;
    }
    case kOpArgMax: {
      ArgMaxOptions o;
      if (auto p = op->builtin_options_as_ArgMaxOptions())
        o.output_type = static_cast<DType>(static_cast<int8_t>(p->output_type()));
      return o;
    }
    case kOpArgMin: {
      ArgMaxOptions o;  // ArgMinOptions has the same single field
      if (auto p = op->builtin_options_as_ArgMinOptions())
        o.output_type = static_cast<DType>(static_cast<int8_t>(p->output_type()));
      return o;
    }
    case kOpDepthToSpace: {
      BlockSizeOptions o;
      if (auto p = op->builtin_options_as_DepthToSpaceOptions()) o.block_size = p->block_size();
      return o;
    }
    case kOpSpaceToDepth: {
      BlockSizeOptions o;
      if (auto p = op->builtin_options_as_SpaceToDepthOptions()) o.block_size = p->block_size();
      return o;
    }
    case kOpMirrorPad: {
      MirrorPadOptions o;
      if (auto p = op->builtin_options_as_MirrorPadOptions())
        o.symmetric = p->mode() == tfl::MirrorPadMode::SYMMETRIC;
      return o;
    }
    case kOpGelu: {
      GeluOptions o;
      if (auto p = op->builtin_options_as_GeluOptions()) o.approximate = p->approximate();
      return o;
    }
    default:
      return ReadStatefulOptions(op, code);
  }
}

OpDesc ReadOp(const tfl::Operator& op, int index, const tfl::Model& model,
              size_t num_tensors) {
  PYRT_ENSURE(op, "op ", index, " is null");
  const auto codes = model->operator_codes();
  const uint32_t ci = op->opcode_index();
  PYRT_ENSURE(codes && ci < codes->size(), "op ", index, ": opcode_index ", ci,
              " out of range (", codes ? codes->size() : 0, " operator codes)");
  const tfl::OperatorCode code = codes->Get(ci);
  PYRT_ENSURE(code, "op ", index, ": operator code ", ci, " is null");
  OpDesc d;
  d.index = index;
  // Files written before code 127 existed only fill the deprecated byte.
  d.builtin_code = std::max<int32_t>(code->builtin_code(), code->deprecated_builtin_code());
  d.version = code->version();
  d.name = BuiltinOpName(d.builtin_code);
  if (d.builtin_code == kOpCustom)
    d.name = StrCat("CUSTOM(", CleanString(code->custom_code()), ")");
  d.inputs = ToVector(op->inputs());
  d.outputs = ToVector(op->outputs());
  d.intermediates = ToVector(op->intermediates());
  const std::string label = StrCat("op ", index, " (", d.name, ")");
  CheckTensorIndices(d.inputs, num_tensors, /*allow_omitted=*/true, label + " input");
  CheckTensorIndices(d.outputs, num_tensors, /*allow_omitted=*/false, label + " output");
  CheckTensorIndices(d.intermediates, num_tensors, /*allow_omitted=*/true, label + " intermediate");
  d.options = ReadOptions(op, d.builtin_code);
  return d;
}

std::vector<std::pair<std::string, int32_t>> ReadTensorMaps(
    const fbs::TableVector<tfl::TensorMap>& maps) {
  std::vector<std::pair<std::string, int32_t>> out;
  if (!maps) return out;
  for (const tfl::TensorMap m : maps) {
    if (!m) continue;
    out.emplace_back(CleanString(m->name()), static_cast<int32_t>(m->tensor_index()));
  }
  return out;
}

// Graph inputs are written by the caller: each must be a distinct tensor with
// no constant data (a constant is a view of the read-only model bytes).
void CheckGraphInputs(const std::vector<int32_t>& inputs, const std::vector<TensorDesc>& tensors) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    const int32_t t = inputs[i];
    const TensorDesc& td = tensors[t];
    PYRT_ENSURE(!td.data, "subgraph input ", i, ": tensor ", t, " '", td.name,
                "' has constant data (buffer of ", td.data_size,
                " bytes); expected a tensor without data");
    for (size_t j = 0; j < i; ++j)
      PYRT_ENSURE(inputs[j] != t, "subgraph input ", i, ": tensor ", t, " '", td.name,
                  "' is already subgraph input ", j, "; expected distinct tensors");
  }
}

// A zero-size tensor that no op writes and that is no graph input is an
// empty constant: converters store such constants (an empty RESHAPE shape,
// [0]-shaped weights) with an empty buffer, which reads as "no data".
void MarkEmptyConstants(SubgraphDesc& desc, const uint8_t* file) {
  std::vector<bool> written(desc.tensors.size(), false);
  for (int32_t t : desc.inputs) written[t] = true;
  for (const OpDesc& op : desc.ops)
    for (int32_t t : op.outputs) written[t] = true;
  for (size_t t = 0; t < desc.tensors.size(); ++t) {
    TensorDesc& td = desc.tensors[t];
    if (written[t] || td.data || td.is_variable || NumElements(td.shape) != 0) continue;
    if (DTypeSize(td.dtype) == 0) continue;
    td.data = file;  // any non-null address: zero bytes are ever read
    td.data_size = 0;
  }
}

SubgraphDesc ReadSubgraph(const tfl::Model& model, size_t k, const uint8_t* data, size_t size) {
  const tfl::SubGraph sg = model->subgraphs()->Get(k);
  PYRT_ENSURE(sg, "malformed TFLite model: subgraph ", k, " is null");
  SubgraphDesc desc;
  desc.name = CleanString(sg->name());
  const size_t num_tensors = sg->tensors() ? sg->tensors()->size() : 0;
  desc.tensors.reserve(num_tensors);
  for (size_t i = 0; i < num_tensors; ++i)
    desc.tensors.push_back(ReadTensor(sg->tensors()->Get(i), i, model, data, size));

  desc.inputs = ToVector(sg->inputs());
  desc.outputs = ToVector(sg->outputs());
  CheckTensorIndices(desc.inputs, num_tensors, false, "subgraph input");
  CheckTensorIndices(desc.outputs, num_tensors, false, "subgraph output");
  CheckGraphInputs(desc.inputs, desc.tensors);

  if (sg->operators()) {
    const size_t n = sg->operators()->size();
    desc.ops.reserve(n);
    for (size_t i = 0; i < n; ++i)
      desc.ops.push_back(ReadOp(sg->operators()->Get(i), static_cast<int>(i), model,
                                num_tensors));
  }
  for (OpDesc& op : desc.ops)
    for (int32_t t : op.intermediates)
      op.intermediate_quant.push_back(t < 0 ? QuantParams() : desc.tensors[t].quant);
  MarkEmptyConstants(desc, data);
  return desc;
}

}  // namespace

ModelDesc ReadModel(const uint8_t* data, size_t size, uint32_t subgraph) {
  PYRT_ENSURE(data && size >= 8, "not a TFLite model: ", size, " bytes is too short");
  const fbs::Source source{data, size};
  PYRT_ENSURE(fbs::HasIdentifier(&source, tfl::ModelIdentifier()),
              "not a TFLite model: file identifier 'TFL3' not found at bytes 4..8");
  // The whole file is verified first; every read below is checked again as it
  // happens (model/flatbuffer_reader.h).
  tfl::VerifyModel(&source);
  const tfl::Model model = tfl::GetModel(&source);

  ModelDesc desc;
  desc.version = model->version();
  desc.description = CleanString(model->description());
  PYRT_ENSURE(model->subgraphs() && model->subgraphs()->size() > 0,
              "malformed TFLite model: no subgraphs");
  desc.num_subgraphs = model->subgraphs()->size();
  PYRT_ENSURE(subgraph < desc.num_subgraphs, "subgraph ", subgraph, " does not exist (",
              desc.num_subgraphs, " subgraphs)");
  // Every subgraph is read (control-flow ops run them); a problem in one that
  // is not the subgraph to run is kept and raised when an op runs it.
  for (size_t k = 0; k < desc.num_subgraphs; ++k) {
    SubgraphDesc sub;
    try {
      sub = ReadSubgraph(model, k, data, size);
    } catch (const ModelError& e) {
      if (k == subgraph) throw;
      sub.error = StrCat("subgraph ", k, ": ", e.what());
    }
    desc.subgraphs.push_back(std::move(sub));
  }
  const SubgraphDesc& run = desc.subgraphs[subgraph];
  desc.tensors = run.tensors;
  desc.inputs = run.inputs;
  desc.outputs = run.outputs;
  desc.ops = run.ops;

  if (model->signature_defs()) {
    for (const tfl::SignatureDef s : model->signature_defs()) {
      if (!s) continue;
      SignatureDesc sig;
      sig.key = CleanString(s->signature_key());
      sig.subgraph_index = s->subgraph_index();
      sig.inputs = ReadTensorMaps(s->inputs());
      sig.outputs = ReadTensorMaps(s->outputs());
      desc.signatures.push_back(std::move(sig));
    }
  }
  return desc;
}

}  // namespace pyrt
