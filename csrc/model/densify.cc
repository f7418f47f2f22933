#include "model/densify.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace pyrt {
namespace {

std::vector<int64_t> IndexVector(tfl::SparseIndexVector type, const tfl::Int32Vector& i32,
                                 const tfl::Uint16Vector& u16, const tfl::Uint8Vector& u8,
                                 const std::string& what) {
  std::vector<int64_t> out;
  switch (type) {
    case tfl::SparseIndexVector::Int32Vector:
      if (i32 && i32->values()) for (int32_t v : i32->values()->ToStd()) out.push_back(v);
      break;
    case tfl::SparseIndexVector::Uint16Vector:
      if (u16 && u16->values()) for (uint16_t v : u16->values()->ToStd()) out.push_back(v);
      break;
    case tfl::SparseIndexVector::Uint8Vector:
      if (u8 && u8->values()) for (uint8_t v : u8->values()->ToStd()) out.push_back(v);
      break;
    default:
      ThrowModelError(what, " is missing");
  }
  return out;
}

struct Level {
  bool sparse = false;
  int64_t size = 0;  // dense levels: number of entries; sparse: bound of the indices
  std::vector<int64_t> segments, indices;
};

class Densifier {
 public:
  Densifier(std::vector<int> order, std::vector<int> block_map, std::vector<int64_t> block_size,
            std::vector<Level> levels, const Shape& shape, size_t elem, const uint8_t* values, size_t count,
            uint8_t* dest, const std::string& label)
      : order_(std::move(order)), block_map_(std::move(block_map)), block_size_(std::move(block_size)),
        levels_(std::move(levels)), shape_(shape), elem_(elem), values_(values), count_(count), dest_(dest),
        label_(label), index_(levels_.size(), 0) {}

  void Run() { Populate(0, 0); }

 private:
  void Populate(size_t level, int64_t prev) {
    if (level == levels_.size()) return Store();
    const Level& l = levels_[level];
    if (!l.sparse) {
      for (int64_t i = 0; i < l.size; ++i) {
        index_[level] = i;
        Populate(level + 1, prev * l.size + i);
      }
      return;
    }
    PYRT_ENSURE(prev >= 0 && prev + 1 < static_cast<int64_t>(l.segments.size()), label_,
                ": sparsity level ", level, " has ", l.segments.size(), " segments, needs entry ", prev + 1);
    const int64_t begin = l.segments[prev], end = l.segments[prev + 1];
    PYRT_ENSURE(0 <= begin && begin <= end && end <= static_cast<int64_t>(l.indices.size()), label_,
                ": sparsity level ", level, " segment [", begin, ", ", end, ") is out of range");
    for (int64_t i = begin; i < end; ++i) {
      PYRT_ENSURE(l.indices[i] < l.size, label_, ": sparsity level ", level, " index ", l.indices[i],
                  " >= ", l.size);
      index_[level] = l.indices[i];
      Populate(level + 1, i);
    }
  }

  void Store() {
    const size_t rank = shape_.size();
    std::vector<int64_t> orig(rank, 0);
    for (size_t i = 0; i < rank; ++i) orig[order_[i]] = index_[i];
    for (size_t i = rank; i < index_.size(); ++i) {
      const int b = order_[i] - static_cast<int>(rank);
      orig[block_map_[b]] = orig[block_map_[b]] * block_size_[b] + index_[i];
    }
    int64_t flat = 0;
    for (size_t d = 0; d < rank; ++d) flat = flat * shape_[d] + orig[d];
    PYRT_ENSURE(next_ < count_, label_, ": sparsity describes more than the ", count_, " stored values");
    std::memcpy(dest_ + static_cast<size_t>(flat) * elem_, values_ + next_ * elem_, elem_);
    ++next_;
  }

  std::vector<int> order_, block_map_;
  std::vector<int64_t> block_size_;
  std::vector<Level> levels_;
  const Shape& shape_;
  size_t elem_;
  const uint8_t* values_;
  size_t count_, next_ = 0;
  uint8_t* dest_;
  const std::string& label_;
  std::vector<int64_t> index_;
};

}  // namespace

std::shared_ptr<std::vector<uint8_t>> Densify(const tfl::SparsityParameters& sp, const Shape& shape,
                                              size_t elem, const uint8_t* values, size_t size,
                                              const std::string& label) {
  const int rank = static_cast<int>(shape.size());
  PYRT_ENSURE(sp->traversal_order() && sp->dim_metadata(), label, ": sparsity without traversal order or dims");
  std::vector<int> order;
  for (int32_t v : sp->traversal_order()->ToStd()) order.push_back(v);
  std::vector<int> block_map;
  if (sp->block_map()) for (int32_t v : sp->block_map()->ToStd()) block_map.push_back(v);
  const int levels = static_cast<int>(order.size());
  const int blocks = static_cast<int>(block_map.size());
  PYRT_ENSURE(levels == rank + blocks && static_cast<int>(sp->dim_metadata()->size()) == levels, label,
              ": sparsity has ", levels, " traversal levels and ", sp->dim_metadata()->size(),
              " dim metadata for rank ", rank, " with ", blocks, " block dims");
  std::vector<bool> seen(levels, false);
  for (int i = 0; i < levels; ++i) {
    const int o = order[i];
    // Original dims come first, block dims after them (as the reference assumes).
    PYRT_ENSURE(o >= 0 && o < levels && !seen[o] && (i < rank) == (o < rank), label,
                ": sparsity traversal order is not a permutation with the block dims last");
    seen[o] = true;
  }
  std::vector<Level> lv(levels);
  for (int i = 0; i < levels; ++i) {
    const tfl::DimensionMetadata m = sp->dim_metadata()->Get(i);
    PYRT_ENSURE(m, label, ": sparsity dim ", i, " is null");
    lv[i].sparse = m->format() == tfl::DimensionType::SPARSE_CSR;
    lv[i].size = m->dense_size();
    if (lv[i].sparse) {
      lv[i].segments = IndexVector(m->array_segments_type(), m->array_segments_as_Int32Vector(),
                                   m->array_segments_as_Uint16Vector(), m->array_segments_as_Uint8Vector(),
                                   label + " sparsity segments");
      lv[i].indices = IndexVector(m->array_indices_type(), m->array_indices_as_Int32Vector(),
                                  m->array_indices_as_Uint16Vector(), m->array_indices_as_Uint8Vector(),
                                  label + " sparsity indices");
    }
  }
  // Block sizes are the dense sizes of the block levels; each divides its dim.
  std::vector<int64_t> block_size(blocks, 0);
  Shape blocked = shape;
  for (int i = rank; i < levels; ++i) {
    const int b = order[i] - rank;
    PYRT_ENSURE(block_map[b] >= 0 && block_map[b] < rank, label, ": sparsity block map entry ", b,
                " is out of range");
    block_size[b] = lv[i].size;
    PYRT_ENSURE(block_size[b] > 0 && shape[block_map[b]] % block_size[b] == 0, label, ": block size ",
                block_size[b], " does not divide dim ", block_map[b], " of ", ShapeToString(shape));
    blocked[block_map[b]] = static_cast<int32_t>(shape[block_map[b]] / block_size[b]);
  }
  for (int i = 0; i < levels; ++i) {
    const int64_t expected = i < rank ? blocked[order[i]] : block_size[order[i] - rank];
    if (lv[i].sparse) {
      lv[i].size = expected;  // indices are checked against the level's true size
    } else {
      PYRT_ENSURE(lv[i].size == expected, label, ": sparsity dense level ", i, " has size ", lv[i].size,
                  ", expected ", expected);
    }
  }
  auto dense = std::make_shared<std::vector<uint8_t>>(static_cast<size_t>(NumElements(shape)) * elem, 0);
  Densifier(order, block_map, block_size, lv, shape, elem, values, size / elem, dense->data(), label).Run();
  return dense;
}

}  // namespace pyrt
