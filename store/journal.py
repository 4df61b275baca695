"""The vector journal: every embedded batch on disk before the next one starts.

Saving the FAISS index rewrites it whole (seconds at 1M vectors), so ``sync`` saves it only
every few minutes; without the journal a crash lost everything embedded since (minutes of
CPU on a large ingest). Each batch is appended here as one record and flushed to disk, so a
crash loses at most the batch being embedded. The next ``sync`` takes the vectors back by the
digest of their text, the way it reuses vectors of unchanged text, so a record never lands on
a passage whose text changed meanwhile; the journal is emptied after each save.

Layout: a header line (JSON: model and dimension; another model's journal is ignored), then
records of ``<n:uint32> <digests: n int64> <vectors: n x dim float32> <crc32 of both>``.
A torn last record (killed mid-write) fails its length or checksum and is cut off.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from pathlib import Path

import numpy as np

_COUNT = struct.Struct("<I")
_CRC = struct.Struct("<I")


class Journal:
    """The journal at ``path`` for vectors of ``model`` with ``dimension`` components."""

    def __init__(self, path: str | os.PathLike, model: str, dimension: int):
        self.path = Path(path)
        self.header = (json.dumps({"model": model, "dimension": dimension},
                                  ensure_ascii=False) + "\n").encode("utf-8")
        self.dimension = dimension
        self._end: int | None = None  # offset after the last whole record, once read

    def replay(self) -> dict[int, np.ndarray]:
        """Digest → vector of every whole record; a torn tail is cut off, a journal of
        another model or an unreadable one is dropped."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        if not data.startswith(self.header):
            self.clear()
            return {}
        found: dict[int, np.ndarray] = {}
        at = len(self.header)
        while (record := self._record(data, at)) is not None:
            digests, vectors, at = record
            found.update(zip(digests.tolist(), vectors, strict=True))
        if at < len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(at)
        self._end = at
        return found

    def _record(self, data: bytes, at: int) -> tuple[np.ndarray, np.ndarray, int] | None:
        if at + _COUNT.size > len(data):
            return None
        (n,) = _COUNT.unpack_from(data, at)
        body = 8 * n + 4 * n * self.dimension
        start, end = at + _COUNT.size, at + _COUNT.size + body
        if end + _CRC.size > len(data):
            return None
        payload = data[start:end]
        if _CRC.unpack_from(data, end)[0] != zlib.crc32(payload):
            return None
        digests = np.frombuffer(payload[: 8 * n], dtype="<i8")
        vectors = np.frombuffer(payload[8 * n :], dtype="<f4").reshape(n, self.dimension)
        return digests, vectors, end + _CRC.size

    def append(self, digests: list[int], vectors: np.ndarray) -> None:
        """One record, on disk (fsync) when this returns."""
        if self._end is None:
            self.replay()
        payload = (np.asarray(digests, dtype="<i8").tobytes()
                   + np.ascontiguousarray(vectors, dtype="<f4").tobytes())
        record = _COUNT.pack(len(digests)) + payload + _CRC.pack(zlib.crc32(payload))
        with self.path.open("r+b" if self._end else "wb") as handle:
            if not self._end:
                handle.write(self.header)
                self._end = len(self.header)
            handle.seek(self._end)
            handle.write(record)
            handle.flush()
            os.fsync(handle.fileno())
            self._end = handle.tell()

    def clear(self) -> None:
        """Empty the journal: everything in it is in the saved index now."""
        self.path.unlink(missing_ok=True)
        self._end = 0
