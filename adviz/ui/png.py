"""A streaming PNG writer: rows go in band by band, bands are compressed on worker threads.

Large exports (a 200-node graph at 2x is about 50 megapixels) spend most of their time in
the encoder. Qt and Pillow pick a filter for every row by trying all five and compress the
whole image as one stream on the calling thread. Here rows are left unfiltered (deflate finds
the repeats of a picture of flat colours by itself, see :func:`scanlines`), and each band is
deflated on its own, on worker threads, with ISA-L (the ``isal`` package: the same format,
several times faster than zlib) where it is installed, while the caller paints the next band. The bands'
deflate streams are joined as pigz joins them: every band but the last ends on a byte
boundary without a final block (a full flush), and none refers back into another band, so
their concatenation is one valid deflate stream. No full-size image is ever held in memory,
and the file is written atomically (:mod:`adviz.model.files`): a failure, a cancel or a kill leaves
whatever was at the destination before, and no temporary file.

The format is PNG 1.2: signature, IHDR, pHYs (pixels per metre), tEXt/iTXt, IDAT chunks
holding one zlib stream (RFC 1950) of scanlines, IEND. Qt-free: rows are numpy arrays.
"""
from __future__ import annotations

import collections
import re
import struct
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..model.files import AtomicFile

try:   # ISA-L writes the same deflate format several times faster than zlib, and sums adler32 faster
    from isal import isal_zlib as fast_zlib
except ImportError:  # pragma: no cover - where no isal wheel exists, zlib does the same job slower
    fast_zlib = zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
WORKERS = 2                  # compressing threads; the caller paints meanwhile
IN_FLIGHT = 4                # bands handed to the workers and not yet written
NONE = 0                     # PNG filter type 0: the pixels as they are
LEVEL = 1                    # a fast level: flat-colour pictures still shrink about 30 times
ZLIB_HEADER = b"\x78\x01"     # deflate, 32 KB window, fastest level (RFC 1950)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


_SPACES = re.compile(r"[\t\n\r\v\f\x1c-\x1f\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` as one printable line: line breaks and tabs become spaces, other control characters
    (which XML 1.0 and PNG text chunks refuse), lone surrogates and non-characters are dropped."""
    return _CONTROLS.sub("", _SPACES.sub(" ", text))


def _text_chunk(key: str, value: str) -> bytes:
    """A tEXt chunk when Latin-1 holds the text, else an iTXt chunk in UTF-8 (a title with ∂ or ∇)."""
    key, value = printable(key) or "Comment", printable(value)
    keyword = key.encode("latin-1", "replace")[:79]
    try:
        return _chunk(b"tEXt", keyword + b"\0" + value.encode("latin-1"))
    except UnicodeEncodeError:
        return _chunk(b"iTXt", keyword + b"\0\0\0\0\0" + value.encode("utf-8"))


def scanlines(rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``rows`` (height × width × channels, uint8) as PNG scanlines: a filter byte, then the pixels.

    The filter is "None" on every line. On pictures of flat colours and thin lines zlib finds the
    repeats (the pixel to the left, the line above) as well by itself: the files come out smaller
    than with "Sub" or "Up", at the same speed, and no arithmetic is spent on filtering.
    The scanlines go into ``out`` (at least height × (1 + width × channels)) when given.
    """
    height, width, channels = rows.shape
    if out is None:
        out = np.empty((height, 1 + width * channels), np.uint8)
    out = out[:height]
    out[:, 0] = NONE
    out[:, 1:] = rows.reshape(height, width * channels)
    return out


def deflate_band(data) -> bytes:
    """One band as a raw deflate stream that another band's stream may follow."""
    compressor = fast_zlib.compressobj(LEVEL, fast_zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(fast_zlib.Z_FULL_FLUSH)


class PngStream:
    """Write a ``width`` × ``height`` RGB (3 channels) or RGBA (4) PNG, band by band, top to bottom.

    Use as a context manager; :meth:`write` takes the next rows as a (rows, width, channels)
    uint8 array. If writing fails, or an exception leaves the ``with`` block before the stream
    is closed, nothing is left at ``path`` and a file already there stays as it was.
    """

    def __init__(self, path: str | Path, width: int, height: int, channels: int = 3,
                 dpi: float | None = None, text: dict[str, str] | None = None) -> None:
        if channels not in (3, 4):
            raise ValueError("a PNG stream takes 3 (RGB) or 4 (RGBA) channels")
        if not (0 < width < 2 ** 31 and 0 < height < 2 ** 31):
            raise ValueError(f"a PNG cannot be {width} × {height} pixels")
        self.path = Path(path)
        self.width, self.height, self.channels = width, height, channels
        self.rows_written = 0
        self.finished = False            # closed or aborted: nothing more to do
        self._file = AtomicFile(self.path)
        self._checksum = zlib.adler32(b"")
        self._header = ZLIB_HEADER       # goes in front of the first compressed bytes
        # Bands in flight, oldest first, with the buffer each was copied into. Buffers are
        # reused: fresh ones for every band would cost the kernel zeroing new pages.
        self._pending: collections.deque[tuple[Future, np.ndarray]] = collections.deque()
        self._free: list[np.ndarray] = []
        self._pool: ThreadPoolExecutor | None = None
        try:
            header = struct.pack(">IIBBBBB", width, height, 8, 2 if channels == 3 else 6, 0, 0, 0)
            self._file.write(SIGNATURE + _chunk(b"IHDR", header))
            if dpi:
                per_metre = round(dpi / 0.0254)
                self._file.write(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
            for key, value in (text or {}).items():
                self._file.write(_text_chunk(key, value))
        except BaseException:
            self._discard()
            raise
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="adviz-png")

    def write(self, rows: np.ndarray) -> None:
        """Append ``rows`` (rows × width × channels, uint8) below those already written."""
        if self.finished:
            raise ValueError("the PNG stream is closed")
        if rows.ndim != 3 or rows.shape[1:] != (self.width, self.channels) or rows.dtype != np.uint8:
            raise ValueError(f"expected rows of {self.width} × {self.channels} uint8, got {rows.shape} {rows.dtype}")
        if self.rows_written + rows.shape[0] > self.height:
            raise ValueError("more rows than the picture's height")
        try:
            while len(self._pending) >= IN_FLIGHT:
                self._write_oldest()
            buffer = self._buffer(rows.shape[0])
            data = scanlines(rows, buffer)
            self._checksum = fast_zlib.adler32(data, self._checksum)
            self._pending.append((self._pool.submit(deflate_band, data), buffer))
            self.rows_written += rows.shape[0]
            while self._pending and self._pending[0][0].done():
                self._write_oldest()
        except BaseException:
            self.abort()                          # a band is lost: the file must not be finished
            raise

    def _buffer(self, height: int) -> np.ndarray:
        row = 1 + self.width * self.channels
        while self._free:
            buffer = self._free.pop()
            if buffer.shape[0] >= height:
                return buffer
        return np.empty((height, row), np.uint8)

    def _write_oldest(self) -> None:
        future, buffer = self._pending.popleft()
        packed = future.result()                  # a worker's error is raised here
        self._free.append(buffer)
        if packed:
            self._file.write(_chunk(b"IDAT", self._header + packed))
            self._header = b""

    def close(self) -> None:
        """Finish the file and move it into place."""
        if self.finished:
            return
        try:
            while self._pending:
                self._write_oldest()
            if self.rows_written != self.height:
                raise ValueError(f"{self.rows_written} rows written of {self.height}")
            # An empty final block closes the deflate stream; the checksum closes the zlib one.
            tail = self._header + zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush() + struct.pack(">I", self._checksum)
            self._file.write(_chunk(b"IDAT", tail) + _chunk(b"IEND", b""))
            self._file.commit()
        except BaseException:
            self.abort()
            raise
        finally:
            self.finished = True
            self._shutdown()

    def abort(self) -> None:
        """Stop and leave nothing behind."""
        self.finished = True
        for future, _buffer in self._pending:
            future.cancel()
        self._shutdown()
        self._pending.clear()
        self._discard()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _discard(self) -> None:
        self._file.discard()

    def __enter__(self) -> PngStream:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        elif not self.finished:
            self.abort()


__all__ = ["PngStream", "scanlines", "deflate_band"]
