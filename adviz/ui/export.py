"""Pictures of a graph without a window: PNG, SVG (real text), PDF (vectors), GIF and PNG sequences.

Exporters take a graph, a layout and a path; they never open dialogs. Long work reports
progress through a callback and stops when it returns False.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from ..graph import Graph, Layout
from ..model.files import atomic_write, check_output, write_bytes
from .items import EdgeLabel, NodeItem
from .png import PngStream, printable
from .scene import BACKWARD, FORWARD, TANGENT, GraphScene
from .theme import theme_named
from .view import paint_legend

MARGIN = 28.0
MAX_FRAMES = 1500
END_HOLD = 2.0               # the first and last frames of a GIF stay this many times as long as a step
MAX_PIXELS = 120_000_000     # beyond this, ask for a smaller scale (a still in memory would need 480 MB)
BAND_PIXELS = 4_000_000      # PNG files are painted this many pixels at a time (16 MB)
SUFFIXES = (".png", ".svg", ".pdf", ".gif", ".json", ".html")
Progress = Callable[[int, int], bool]
PASS_NAMES = {BACKWARD: "backward pass", FORWARD: "forward pass", TANGENT: "forward-mode (tangent) pass"}


@dataclass
class ExportOptions:
    """What to draw: which step, in which theme, at what scale, with a title and legend."""

    step: int | str = "end"        # a step of the pass (see mode), or "end" / "start"
    theme: str = "light"
    scale: float = 2.0             # PNG and GIF: pixels per scene unit
    fps: float = 12.0              # GIF: frame rate of the motion between two steps
    inbetween: int = 4             # GIF: frames between two steps
    hold: float = 1.5              # GIF: seconds each finished step stays (the first and last: END_HOLD times that)
    forward: bool = False          # the forward pass (values) instead of the backward pass
    mode: str | None = None        # "backward", "forward" or "tangent" (forward mode); None: from ``forward``
    title: str | None = None
    transparent: bool = False      # PNG
    legend: bool = True
    source_rect: QRectF | None = None   # the current view, in scene coordinates; None: the whole graph
    gif_max_side: int = 1600       # GIF frames are scaled down to at most this many pixels a side

    def __post_init__(self) -> None:
        # A title is one line of text: control characters would make an SVG that is not XML and a
        # PNG text chunk that is not one.
        if self.title is not None:
            self.title = printable(self.title)
        if self.mode not in (None, BACKWARD, FORWARD, TANGENT):
            raise ValueError(f"the pass must be backward, forward or tangent, not {self.mode!r}")

    @property
    def pass_mode(self) -> str:
        """Which pass a still shows and an animation plays."""
        return self.mode or (FORWARD if self.forward else BACKWARD)


def _ensure_app():
    from .application import make_app
    return make_app()


def make_scene(graph: Graph, layout: Layout, options: ExportOptions) -> GraphScene:
    """A scene with the graph at the chosen step, ready to paint."""
    _ensure_app()
    scene = GraphScene(theme_named(options.theme))
    mode = options.pass_mode
    scene.set_graph(graph, layout, mode, _step_index(options.step, len(graph.schedule(mode))))
    return scene


def _step_index(step: int | str, n: int) -> int:
    if step in ("end", None):
        return max(0, n - 1)
    if step == "start":
        return 0
    try:
        index = int(step)
    except (TypeError, ValueError):
        raise ValueError(f"step must be a number or 'end', not {step!r}") from None
    if not 0 <= index < max(1, n):
        raise ValueError(f"step {index} is out of range: this graph has steps 0 to {max(0, n - 1)}")
    return index


class _Frame:
    """Where the graph, the title and the legend go on the page."""

    def __init__(self, scene: GraphScene, options: ExportOptions, animated: bool = False) -> None:
        self.options = options
        self.theme = scene.theme
        if options.source_rect:
            self.source = whole_items(scene, QRectF(options.source_rect))
        elif animated:
            self.source = pass_bounds(scene, options.pass_mode)
        else:
            self.source = scene.itemsBoundingRect()
        if self.source.isEmpty():
            self.source = QRectF(0, 0, 200, 100)
        self.title_font = QFont()
        self.title_font.setPointSizeF(15 * self.theme.font_scale)
        self.title_font.setBold(True)
        self.title_h = QFontMetricsF(self.title_font).height() + 14 if options.title else 0.0
        self.width = self.source.width() + 2 * MARGIN
        self.legend_columns = 1
        self.legend_h = 0.0
        if options.legend:
            # As many legend columns as fit the picture's width: a wide graph gets a flat legend.
            for columns in (4, 3, 2, 1):
                size = _legend_size(self.theme, columns)
                if size.width() <= self.width - 2 * MARGIN or columns == 1:
                    self.legend_columns = columns
                    self.legend_h = size.height() + MARGIN / 2
                    self.width = max(self.width, size.width() + 2 * MARGIN)
                    break
        self.height = self.source.height() + 2 * MARGIN + self.title_h + self.legend_h

    def paint(self, painter: QPainter, scene: GraphScene, background: bool = True,
              band: tuple[float, float] | None = None) -> None:
        """Draw the page; with ``band`` = (top, bottom), only what lies between those heights."""
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        top, bottom = band if band is not None else (0.0, self.height)
        if background:
            painter.fillRect(QRectF(0, top, self.width, bottom - top), QColor(self.theme.background))
        if self.options.title and top < MARGIN / 2 + self.title_h:
            painter.setPen(QColor(self.theme.text))
            painter.setFont(self.title_font)
            painter.drawText(QRectF(MARGIN, MARGIN / 2, self.width - 2 * MARGIN, self.title_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.options.title)
        target = QRectF(MARGIN, MARGIN + self.title_h, self.source.width(), self.source.height())
        # Only the slice of the graph inside the band: the same translation, a shorter rectangle.
        y0, y1 = max(top, target.top()), min(bottom, target.bottom())
        if y1 > y0:
            shift = y0 - target.top()
            part = QRectF(target.left(), y0, target.width(), y1 - y0)
            source = QRectF(self.source.left(), self.source.top() + shift, self.source.width(), y1 - y0)
            scene.render(painter, part, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        if self.options.legend and bottom > self.height - MARGIN / 2 - self.legend_h:
            paint_legend(painter, self.theme, QPointF(MARGIN, self.height - MARGIN / 2), anchor_bottom=True,
                         columns=self.legend_columns, tangent=self.options.pass_mode == TANGENT)


class _Painted:
    """A QPainter on ``device`` for a ``with`` block; raises OSError if Qt could not begin or end
    (a device that failed to open), so a failed painting is never a silent, empty file."""

    def __init__(self, device, what: str) -> None:
        self.device, self.what = device, what

    def __enter__(self) -> QPainter:
        self.painter = QPainter()
        if not self.painter.begin(self.device):
            raise OSError(f"cannot start painting the {self.what}")
        return self.painter

    def __exit__(self, kind, error, trace) -> None:
        ended = self.painter.end()
        if kind is None and not ended:
            raise OSError(f"cannot finish painting the {self.what}")


def pass_bounds(scene: GraphScene, mode: str) -> QRectF:
    """What every step of the pass covers: a frame of an animation never cuts a sum that one
    step shows wider than the last."""
    rect = scene.itemsBoundingRect()
    for index in range(scene.schedule_length(mode)):
        scene.show_step(mode, index, 1.0)
        rect = rect.united(scene.itemsBoundingRect())
    return rect


def whole_items(scene: GraphScene, rect: QRectF) -> QRectF:
    """``rect`` grown so that no node and no label it touches is cut at its edge (arrows may be).

    One round only: growing again for what the grown part touches would creep over the graph.
    """
    grown = QRectF(rect)
    for item in scene.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
        if isinstance(item, NodeItem) or (isinstance(item, EdgeLabel) and item.edge.has_label()):
            grown = grown.united(item.sceneBoundingRect())
    return grown


def _legend_size(theme, columns: int):
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    with _Painted(image, "legend") as painter:
        return paint_legend(painter, theme, QPointF(-10000, -10000), columns=columns).size()


def _image(scene: GraphScene, frame: _Frame, scale: float, transparent: bool) -> QImage:
    size = QSize(*_pixel_size(frame, scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent if transparent else QColor(frame.theme.background))
    with _Painted(image, "picture") as painter:
        painter.scale(scale, scale)
        frame.paint(painter, scene, background=not transparent)
    return image


def _pixel_size(frame: _Frame, scale: float) -> tuple[int, int]:
    width, height = max(1, round(frame.width * scale)), max(1, round(frame.height * scale))
    if width * height > MAX_PIXELS:
        raise ValueError(f"the picture would be {width} × {height} pixels; "
                         "choose a smaller scale, or export the current view or as SVG/PDF")
    return width, height


def write_png(scene: GraphScene, frame: _Frame, path: Path, scale: float, transparent: bool,
              progress: Progress | None = None) -> bool:
    """Paint the page band by band into a streaming PNG; False (and no file) when cancelled.

    Each band is a few megapixels: painting one overlaps with compressing the one before, and
    memory stays small however large the picture.
    """
    width, height = _pixel_size(frame, scale)
    rows = max(16, min(height, BAND_PIXELS // width))
    channels = 4 if transparent else 3
    tile = QImage(width, rows, QImage.Format.Format_ARGB32_Premultiplied if transparent else QImage.Format.Format_RGB32)
    background = QColor(Qt.GlobalColor.transparent) if transparent else QColor(frame.theme.background)
    target_format = QImage.Format.Format_RGBA8888 if transparent else QImage.Format.Format_RGB888
    text = {"Software": "adviz"}
    if frame.options.title:
        text["Title"] = frame.options.title
    bands = range(0, height, rows)
    with PngStream(path, width, height, channels, dpi=96 * scale, text=text) as out:
        for k, y in enumerate(bands):
            tile.fill(background)
            with _Painted(tile, "PNG") as painter:
                painter.translate(0, -y)
                painter.scale(scale, scale)
                frame.paint(painter, scene, background=False, band=(y / scale, (y + rows) / scale))
            converted = tile.convertToFormat(target_format)
            pixels = np.frombuffer(converted.constBits(), np.uint8, count=converted.sizeInBytes())
            pixels = pixels.reshape(rows, converted.bytesPerLine())[: min(rows, height - y), : width * channels]
            out.write(pixels.reshape(-1, width, channels))
            if progress is not None and not progress(k + 1, len(bands)):
                out.abort()
                return False
    return True


def render_png(scene: GraphScene, path: Path, options: ExportOptions, progress: Progress | None = None) -> bool:
    """The page as a PNG at ``options.scale``; False (and no file) when cancelled."""
    return write_png(scene, _Frame(scene, options), path, options.scale, options.transparent, progress)


def _buffer() -> QBuffer:
    buffer = QBuffer()
    if not buffer.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError("cannot open a memory buffer")
    return buffer


def svg_bytes(scene: GraphScene, options: ExportOptions) -> bytes:
    """The page as SVG, with real text."""
    frame = _Frame(scene, options)
    buffer = _buffer()
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(round(frame.width), round(frame.height)))
    generator.setViewBox(QRectF(0, 0, frame.width, frame.height))
    generator.setTitle(options.title or "adviz graph")
    generator.setDescription(f"A computation graph and its {PASS_NAMES[options.pass_mode]}, drawn by adviz")
    with _Painted(generator, "SVG") as painter:
        frame.paint(painter, scene, background=not options.transparent)
    return bytes(buffer.data())


def pdf_bytes(scene: GraphScene, options: ExportOptions) -> bytes:
    """The page as a one-page vector PDF."""
    frame = _Frame(scene, options)
    buffer = _buffer()
    writer = QPdfWriter(buffer)
    writer.setResolution(72)
    writer.setPageSize(QPageSize(QSizeF(frame.width, frame.height), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setTitle(options.title or "adviz graph")
    writer.setCreator("adviz")
    with _Painted(writer, "PDF") as painter:
        frame.paint(painter, scene)
    del writer
    return bytes(buffer.data())


def render_svg(scene: GraphScene, path: Path, options: ExportOptions) -> None:
    """Write the page as SVG to ``path``, atomically."""
    write_bytes(path, svg_bytes(scene, options))


def render_pdf(scene: GraphScene, path: Path, options: ExportOptions) -> None:
    """Write the page as PDF to ``path``, atomically."""
    write_bytes(path, pdf_bytes(scene, options))


def frames(scene: GraphScene, options: ExportOptions):
    """(step, progress) pairs of an animation: each step, with in-between frames easing it in."""
    mode = options.pass_mode
    n = scene.schedule_length(mode)
    inbetween = max(0, int(options.inbetween))
    for index in range(n):
        if index > 0:
            for k in range(1, inbetween + 1):
                yield mode, index, k / (inbetween + 1)
        yield mode, index, 1.0


def frame_durations(plan: list[tuple[str, int, float]], options: ExportOptions) -> list[int]:
    """Milliseconds each frame of ``plan`` (from :func:`frames`) is shown: a finished step for
    ``options.hold`` seconds, the first and last for :data:`END_HOLD` times that, so that a
    reader has time for the step's text and sees where the pass starts and ends; the frames
    in between at ``options.fps``."""
    step = round(1000 * max(0.0, options.hold))
    durations = [step if t == 1.0 else round(1000 / options.fps) for _mode, _index, t in plan]
    if durations:
        durations[0] = durations[-1] = round(step * END_HOLD)
    return durations


def render_gif(scene: GraphScene, path: Path, options: ExportOptions, progress: Progress | None = None) -> int:
    """An animated GIF of the pass; returns the number of frames, or 0 when cancelled."""
    from PIL import Image
    frame = _Frame(scene, options, animated=True)
    plan = list(frames(scene, options))
    if len(plan) > MAX_FRAMES:
        raise ValueError(f"the animation would have {len(plan)} frames (at most {MAX_FRAMES}); "
                         "use fewer in-between frames, or export one PNG per step")
    images = []
    scale = min(options.scale, options.gif_max_side / frame.width, options.gif_max_side / frame.height)
    for k, (mode, index, t) in enumerate(plan):
        scene.show_step(mode, index, t)
        qimage = _image(scene, frame, scale, False).convertToFormat(QImage.Format.Format_RGB888)
        data = bytes(qimage.constBits())[: qimage.sizeInBytes()]
        rgb = Image.frombuffer("RGB", (qimage.width(), qimage.height()), data, "raw", "RGB", qimage.bytesPerLine(), 1)
        images.append(rgb.quantize(colors=128, method=Image.Quantize.MEDIANCUT) if k == 0 else
                      rgb.quantize(palette=images[0], dither=Image.Dither.NONE))
        if progress is not None and not progress(k + 1, len(plan)):
            return 0
    duration = frame_durations(plan, options)
    with atomic_write(path) as out:
        images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=duration, loop=0,
                       optimize=False, disposal=1)
    return len(images)


def render_sequence(scene: GraphScene, path: Path, options: ExportOptions, progress: Progress | None = None,
                    inputs: Iterable[str | Path | None] = ()) -> list[Path]:
    """One PNG per step: ``OUT-000.png``, ``OUT-001.png``, ... beside ``path``; all the same size.

    Each picture is written atomically; none is written when one of the names is an input.
    """
    mode = options.pass_mode
    n = scene.schedule_length(mode)
    path = Path(path)
    targets = [path.with_name(f"{path.stem}-{index:03d}.png") for index in range(n)]
    inputs = list(inputs)
    for target in targets:
        check_output(target, inputs, SUFFIXES)
    frame = _Frame(scene, options, animated=True)
    written = []
    for index, target in enumerate(targets):
        scene.show_step(mode, index, 1.0)
        if not write_png(scene, frame, target, options.scale, options.transparent):
            break
        written.append(target)
        if progress is not None and not progress(index + 1, n):
            break
    return written


def preview(graph: Graph, layout: Layout, options: ExportOptions, max_size: tuple[int, int]) -> QImage:
    """A still of the export, scaled to fit ``max_size`` pixels."""
    scene = make_scene(graph, layout, options)
    frame = _Frame(scene, options)
    scale = min(max_size[0] / frame.width, max_size[1] / frame.height, 2.0)
    return _image(scene, frame, max(0.05, scale), options.transparent)


def export(graph: Graph, layout: Layout, path: str | Path, options: ExportOptions | None = None,
           progress: Progress | None = None, inputs: Iterable[str | Path | None] = ()) -> Path | None:
    """Write ``graph`` to ``path``; the format comes from the suffix (png, svg, pdf, gif, json, html).

    Returns the path written, or None when ``progress`` cancelled the export (nothing is written).
    The file is written atomically: a failure, a cancel or a kill leaves what was there before.
    A path that is one of ``inputs`` (or links to one), or whose suffix is not one of these formats,
    is refused with :class:`~adviz.model.files.OutputRefused` (a ValueError) before anything is opened.
    """
    options = options or ExportOptions()
    path = Path(path)
    check_output(path, inputs, SUFFIXES)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "json":
        from ..graph import dumps
        from ..model.files import write_text
        write_text(path, dumps(graph, layout) + "\n")
        return path
    if fmt == "html":          # the interactive page needs no scene: it is written from the graph and layout
        from ..model.page import write_page
        write_page(graph, layout, path, theme=options.theme, title=options.title)
        return path
    scene = make_scene(graph, layout, options)
    if fmt == "png":
        if not render_png(scene, path, options, progress):
            return None
    elif fmt == "svg":
        render_svg(scene, path, options)
    elif fmt == "pdf":
        render_pdf(scene, path, options)
    elif fmt == "gif":
        if not render_gif(scene, path, options, progress):
            return None
    else:
        raise ValueError(f"unknown export format {path.suffix!r}")
    return path
