"""A streaming PNG writer: rows go in band by band, compression runs on a second thread.

Large exports (a 200-node graph at 2x is about 50 megapixels) spend most of their time in
the encoder. Qt and Pillow pick a filter for every row by trying all five and compress on the
calling thread; here rows are left unfiltered (zlib finds the repeats of a picture of flat
colours by itself, see :func:`scanlines`), zlib compresses at its fastest level on a worker thread while the caller
paints the next band, and no full-size image is ever held in memory. The file is written
beside its destination and moved into place only when complete.

The format is PNG 1.2: signature, IHDR, pHYs (pixels per metre), optional tEXt, IDAT chunks
holding one zlib stream of filtered rows, IEND. Qt-free: rows are numpy arrays.
"""
from __future__ import annotations

import os
import queue
import struct
import threading
import zlib
from pathlib import Path

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
BUFFERS = 3                  # filtered bands in flight between the caller and the compressing thread
NONE = 0                     # PNG filter type 0: the pixels as they are
LEVEL = 1                    # zlib's fastest level: flat-colour pictures still shrink about 30 times
ZLIB_HEADER = b"\x78\x01"     # deflate, 32 KB window, fastest level (RFC 1950)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def _text_chunk(key: str, value: str) -> bytes:
    """A tEXt chunk when Latin-1 holds the text, else an iTXt chunk in UTF-8 (a title with ∂ or ∇)."""
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


class PngStream:
    """Write a ``width`` × ``height`` RGB (3 channels) or RGBA (4) PNG, band by band, top to bottom.

    Use as a context manager; :meth:`write` takes the next rows as a (rows, width, channels)
    uint8 array. On an exception inside the ``with`` block nothing is left at ``path``.
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
        self._partial = self.path.with_name(f".{self.path.name}.partial")
        self._file = open(self._partial, "wb")
        self._error: BaseException | None = None
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        # Filtered bands are written into a few reused buffers: fresh ones for every band would
        # cost the kernel zeroing new pages, and waiting for a free one paces the caller.
        self._free: queue.Queue[np.ndarray] = queue.Queue()
        self._buffers = 0
        # A raw deflate stream inside a zlib wrapper written here: the checksum is summed on the
        # caller's thread, so the compressing thread only compresses.
        self._compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self._checksum = zlib.adler32(b"")
        self._pending_header = ZLIB_HEADER
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
        self._thread = threading.Thread(target=self._compress, name="adviz-png", daemon=True)
        self._thread.start()

    # -- the compressing thread ----------------------------------------------------------
    def _compress(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                return
            if self._error is not None:
                continue                                    # drain: the caller will see the error
            try:
                packed = self._compressor.compress(data)
                if packed:
                    self._file.write(_chunk(b"IDAT", self._pending_header + packed))
                    self._pending_header = b""
            except BaseException as error:                  # a full disk, a closed file
                self._error = error
            finally:
                self._free.put(data.base if data.base is not None else data)

    # -- the caller's side -----------------------------------------------------------------
    def write(self, rows: np.ndarray) -> None:
        """Append ``rows`` (rows × width × channels, uint8) below those already written."""
        if rows.ndim != 3 or rows.shape[1:] != (self.width, self.channels) or rows.dtype != np.uint8:
            raise ValueError(f"expected rows of {self.width} × {self.channels} uint8, got {rows.shape} {rows.dtype}")
        if self.rows_written + rows.shape[0] > self.height:
            raise ValueError("more rows than the picture's height")
        self._raise_pending()
        data = scanlines(rows, self._buffer(rows.shape[0]))
        self._checksum = zlib.adler32(data, self._checksum)
        self._queue.put(data)
        self.rows_written += rows.shape[0]

    def _buffer(self, height: int) -> np.ndarray:
        if self._buffers < BUFFERS and self._free.empty():
            self._buffers += 1
            return np.empty((height, 1 + self.width * self.channels), np.uint8)
        buffer = self._free.get()
        if buffer.shape[0] < height:
            buffer = np.empty((height, 1 + self.width * self.channels), np.uint8)
        return buffer

    def close(self) -> None:
        """Finish the file and move it into place."""
        if self.finished:
            return
        self.finished = True
        self._queue.put(None)
        self._thread.join()
        self._raise_pending()
        if self.rows_written != self.height:
            self._discard()
            raise ValueError(f"{self.rows_written} rows written of {self.height}")
        try:
            tail = self._pending_header + self._compressor.flush() + struct.pack(">I", self._checksum)
            self._file.write(_chunk(b"IDAT", tail) + _chunk(b"IEND", b""))
            self._file.close()
            os.replace(self._partial, self.path)
        except BaseException:
            self._discard()
            raise

    def abort(self) -> None:
        """Stop and leave nothing behind."""
        self.finished = True
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._discard()

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            self._discard()
            raise error

    def _discard(self) -> None:
        try:
            self._file.close()
        except OSError:
            pass
        try:
            self._partial.unlink()
        except OSError:
            pass

    def __enter__(self) -> PngStream:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()
        elif not self.finished:
            self.abort()


__all__ = ["PngStream", "scanlines"]
