"""Sparse constant tensors (TFLite's sparsity format) and DENSIFY, as in
MediaPipe's *_sparse models and the converter's sparsity option: hand-built
models whose sparse constant feeds DENSIFY -> ADD, encoded here from a dense
array (CSR levels, 1 x 4 blocks, uint8 / uint16 / int32 index vectors), run
against LiteRT's BUILTIN_REF in the same run; malformed sparsity is a
ModelError.
"""

from __future__ import annotations

import numpy as np
import pytest

import pyruntime
import shape_models as sm
from model_zoo import _schema, reference_outputs

S = _schema()
_VEC = {np.uint8: ("Uint8Vector", S.SparseIndexVector.Uint8Vector),
        np.uint16: ("Uint16Vector", S.SparseIndexVector.Uint16Vector),
        np.int32: ("Int32Vector", S.SparseIndexVector.Int32Vector)}


def _index_vector(values, dtype):
    name, kind = _VEC[dtype]
    v = getattr(S, name + "T")()
    v.values = np.asarray(values, dtype)
    return kind, v


def encode(blocked, sparse_levels, index_dtype):
    """(stored values, dim metadata) of ``blocked`` (axes in traversal order),
    with CSR levels at ``sparse_levels``, as TFLite's FormatConverter reads them."""
    levels = blocked.ndim
    segments = {lv: [0] for lv in sparse_levels}
    indices = {lv: [] for lv in sparse_levels}
    values = []

    def rec(level, sub):
        if level == levels:
            values.append(sub)
            return
        for i in range(sub.shape[0]):
            if level in sparse_levels:
                if not np.any(sub[i]):
                    continue
                indices[level].append(i)
            rec(level + 1, sub[i])
        if level in sparse_levels:
            segments[level].append(len(indices[level]))

    rec(0, blocked)
    meta = []
    for lv in range(levels):
        m = S.DimensionMetadataT()
        if lv in sparse_levels:
            m.format = S.DimensionType.SPARSE_CSR
            m.arraySegmentsType, m.arraySegments = _index_vector(segments[lv], index_dtype)
            m.arrayIndicesType, m.arrayIndices = _index_vector(indices[lv], index_dtype)
        else:
            m.format, m.denseSize = S.DimensionType.DENSE, blocked.shape[lv]
        meta.append(m)
    return np.array(values, blocked.dtype).reshape(-1), meta


def sparse_add_model(dense, blocked, traversal, block_map, sparse_levels, index_dtype, meta_edit=None):
    g = sm.Graph()
    x = g.tensor(dense.shape, dense.dtype, graph_input=True)
    values, meta = encode(blocked, sparse_levels, index_dtype)
    if meta_edit:
        meta_edit(meta)
    w = g.tensor(dense.shape, dense.dtype)
    b = S.BufferT()
    b.data = values.tobytes()
    g.tensors[w].buffer = len(g.buffers)
    g.buffers.append(b)
    sp = S.SparsityParametersT()
    sp.traversalOrder, sp.blockMap, sp.dimMetadata = list(traversal), list(block_map) or None, meta
    g.tensors[w].sparsity = sp
    d = g.tensor(dense.shape, dense.dtype)
    g.op("DENSIFY", [w], [d])
    y = g.tensor(dense.shape, dense.dtype)
    g.op("ADD", [x, d], [y])
    return g.save([y])


def _pruned(shape, dtype, seed, block=None):
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal(shape) * 4).astype(dtype)
    keep = rng.random(shape if block is None else (shape[0], shape[1] // block)) < 0.4
    if block is not None:
        keep = np.repeat(keep, block, axis=1)
    a[~keep] = 0
    return a


CASES = {
    # name: (dense shape, block along dim 1 or None, CSR levels, index type)
    "csr_rows_uint8": ((5, 6), None, {1}, np.uint8),
    "csr_both_uint16": ((7, 9), None, {0, 1}, np.uint16),
    "block_1x4_int32": ((4, 8), 4, {1}, np.int32),
    "rank3_uint8": ((3, 4, 5), None, {2}, np.uint8),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_sparse_constant_densify_matches_litert(case):
    shape, block, sparse_levels, index_dtype = CASES[case]
    dense = _pruned(shape, np.float32, len(case), block)
    if block is None:
        blocked, traversal, block_map = dense, range(dense.ndim), []
    else:
        blocked = dense.reshape(shape[0], shape[1] // block, block)
        traversal, block_map = [0, 1, 2], [1]
    path = sparse_add_model(dense, blocked, traversal, block_map, sparse_levels, index_dtype)
    rng = np.random.default_rng(1)
    sets = [[rng.standard_normal(shape).astype(np.float32)] for _ in range(2)]
    refs = reference_outputs(path, sets)
    interp = pyruntime.Interpreter(str(path))
    for (x,), (r,) in zip(sets, refs):
        ours = interp.run(x)
        assert np.array_equal(ours, r)
        assert np.array_equal(r, x + dense)  # the reference densified the same array
    assert np.count_nonzero(dense) < dense.size  # the constant really is sparse


@pytest.mark.parametrize("edit,fragment", [
    (lambda meta: setattr(meta[1].arrayIndices, "values", np.array([0, 99], np.uint8)), "index"),
    (lambda meta: setattr(meta[1].arraySegments, "values", np.array([0, 50, 2, 3, 4, 5], np.uint8)), "segment"),
    (lambda meta: setattr(meta[0], "denseSize", 9), "dense level"),
])
def test_malformed_sparsity_is_a_model_error(edit, fragment):
    dense = _pruned((5, 6), np.float32, 4)
    path = sparse_add_model(dense, dense, range(2), [], {1}, np.uint8, meta_edit=edit)
    with pytest.raises(pyruntime.ModelError, match=fragment):
        pyruntime.Interpreter(str(path))
