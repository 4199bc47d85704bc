"""The streaming PNG writer: what goes in comes out of an independent decoder (Pillow), exactly."""
import numpy as np
import pytest
from PIL import Image

from adviz.model import Document, VariableSpec, compute
from adviz.ui import png
from adviz.ui.export import ExportOptions, _Frame, _image, export, make_scene
from adviz.ui.png import PngStream


def picture(height, width, channels, seed=0):
    """Flat regions, thin lines and noise: what compresses well and what does not."""
    rng = np.random.default_rng(seed)
    rows = np.full((height, width, channels), 250, np.uint8)
    rows[height // 3: height // 2, :, :] = rng.integers(0, 256, (height // 2 - height // 3, width, channels))
    rows[:, width // 4, :] = 20
    if channels == 4:
        rows[..., 3] = rng.integers(0, 256, (height, width))
    return rows


@pytest.mark.parametrize("channels", [3, 4])
@pytest.mark.parametrize("deflate", ["isal", "zlib"])
def test_bands_round_trip_exactly(tmp_path, monkeypatch, channels, deflate):
    if deflate == "zlib":                      # where no isal wheel exists
        import zlib
        monkeypatch.setattr(png, "fast_zlib", zlib)
    rows = picture(101, 37, channels)
    path = tmp_path / "p.png"
    with PngStream(path, 37, 101, channels, dpi=192, text={"Title": "∂f/∂x at 2x", "Software": "adviz"}) as out:
        for top in range(0, 101, 16):           # many bands, the last one short
            out.write(rows[top:top + 16])
    image = Image.open(path)
    assert image.mode == ("RGB" if channels == 3 else "RGBA")
    assert np.array_equal(np.asarray(image), rows)
    assert image.info["dpi"] == pytest.approx((192, 192), abs=0.01)
    assert image.info["Title"] == "∂f/∂x at 2x"          # not Latin-1: written as UTF-8 (iTXt)
    assert image.info["Software"] == "adviz"
    assert list(tmp_path.iterdir()) == [path]


def test_more_bands_than_buffers_and_a_one_pixel_picture(tmp_path):
    rows = picture(40, 5, 3, seed=1)
    with PngStream(tmp_path / "tall.png", 5, 40, 3) as out:
        for top in range(40):
            out.write(rows[top:top + 1])
    assert np.array_equal(np.asarray(Image.open(tmp_path / "tall.png")), rows)
    with PngStream(tmp_path / "dot.png", 1, 1, 4) as out:
        out.write(np.array([[[1, 2, 3, 4]]], np.uint8))
    assert Image.open(tmp_path / "dot.png").getpixel((0, 0)) == (1, 2, 3, 4)


def test_wrong_rows_are_refused_and_nothing_is_left(tmp_path):
    path = tmp_path / "bad.png"
    with pytest.raises(ValueError, match="expected rows"):
        with PngStream(path, 4, 4, 3) as out:
            out.write(np.zeros((2, 5, 3), np.uint8))
    with pytest.raises(ValueError, match="rows written of 4"):
        with PngStream(path, 4, 4, 3) as out:
            out.write(np.zeros((2, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="more rows"):
        with PngStream(path, 4, 4, 3) as out:
            out.write(np.zeros((5, 4, 3), np.uint8))
    with pytest.raises(ValueError, match="3 .RGB. or 4"):
        PngStream(path, 4, 4, 2)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_survives_an_aborted_write(tmp_path):
    path = tmp_path / "keep.png"
    path.write_bytes(b"the old picture")
    with PngStream(path, 4, 4, 3) as out:
        out.write(np.zeros((2, 4, 3), np.uint8))
        out.abort()
    assert path.read_bytes() == b"the old picture"
    assert list(tmp_path.iterdir()) == [path]


def test_a_write_error_on_the_compressing_thread_reaches_the_caller(tmp_path, monkeypatch):
    real = png._chunk

    def full_disk(kind, data):
        if kind == b"IDAT":
            raise OSError("No space left on device")
        return real(kind, data)

    monkeypatch.setattr(png, "_chunk", full_disk)
    rows = picture(64, 300, 3)
    with pytest.raises(OSError, match="No space left"):
        with PngStream(tmp_path / "x.png", 300, 64, 3) as out:
            for top in range(0, 64, 8):
                out.write(rows[top:top + 8])
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        PngStream(tmp_path / "no" / "such" / "x.png", 4, 4, 3)


@pytest.mark.parametrize("theme,transparent", [("light", False), ("dark", True)])
def test_banded_export_matches_a_single_painting(qapp, tmp_path, monkeypatch, theme, transparent):
    """Painted in many thin bands, the file shows what one painting of the whole page shows."""
    monkeypatch.setattr("adviz.ui.export.BAND_PIXELS", 40_000)
    text = "\n".join(f"a{k} = sin(x * {k + 1}) * y" for k in range(6)) + "\nf = a0 + a1 + a2 + a3 + a4 + a5"
    out = compute(Document(text, [VariableSpec("x", "0.5"), VariableSpec("y", "2")]))
    options = ExportOptions(scale=1.5, theme=theme, transparent=transparent, title="Six terms")
    path = export(out.graph, out.layout, tmp_path / "g.png", options)
    scene = make_scene(out.graph, out.layout, options)
    whole = _image(scene, _Frame(scene, options), 1.5, transparent)
    from PySide6.QtGui import QImage
    ref = whole.convertToFormat(QImage.Format.Format_RGBA8888)
    expected = np.frombuffer(ref.constBits(), np.uint8).reshape(ref.height(), ref.bytesPerLine())
    expected = expected[:, : ref.width() * 4].reshape(ref.height(), ref.width(), 4).astype(int)
    got = np.asarray(Image.open(path).convert("RGBA")).astype(int)
    assert got.shape == expected.shape
    assert len(range(0, got.shape[0], 40_000 // got.shape[1])) > 10      # it really was banded
    # Colours weighted by coverage: antialiasing may differ by a few levels, nothing more.
    weight = expected[..., 3:] / 255.0
    assert np.abs(got[..., 3] - expected[..., 3]).max() <= 8
    assert np.abs(got[..., :3] * weight - expected[..., :3] * weight).max() <= 8
    assert got[..., :3].std() > 20                                         # not a blank page
    info = Image.open(path).info
    assert info["Title"] == "Six terms" and info["Software"] == "adviz"
    assert info["dpi"] == pytest.approx((144, 144), abs=0.01)            # placed at its on-screen size


def test_cancelling_a_png_export_leaves_the_old_file(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr("adviz.ui.export.BAND_PIXELS", 20_000)
    out = compute(Document("f = sin(x * y) + x", [VariableSpec("x", "0.5"), VariableSpec("y", "2")]))
    path = tmp_path / "g.png"
    path.write_bytes(b"yesterday's picture")
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 2

    assert export(out.graph, out.layout, path, ExportOptions(scale=2.0), progress) is None
    assert [done for done, _ in calls] == [1, 2] and calls[0][1] > 2
    assert path.read_bytes() == b"yesterday's picture"
    assert list(tmp_path.iterdir()) == [path]


def test_a_failed_band_ends_the_stream_and_keeps_the_old_file(tmp_path, monkeypatch):
    """After a write fails, closing must not publish a picture with a band missing."""
    path = tmp_path / "keep.png"
    path.write_bytes(b"the old picture")
    real, calls = png.deflate_band, []

    def flaky(data):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real(data)

    monkeypatch.setattr(png, "deflate_band", flaky)
    monkeypatch.setattr(png, "IN_FLIGHT", 1)          # each band is written before the next is taken
    rows = picture(40, 10, 3)
    stream = PngStream(path, 10, 40, 3)
    stream.write(rows[:10])
    with pytest.raises(OSError):
        for top in range(10, 40, 10):
            stream.write(rows[top:top + 10])
    with pytest.raises(ValueError):
        stream.write(rows[30:40])
    stream.close()
    assert path.read_bytes() == b"the old picture"
    assert list(tmp_path.iterdir()) == [path]
