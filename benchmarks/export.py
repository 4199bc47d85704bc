"""Export speed: PNG at 2x of a 200-node graph, and an animated GIF of a 30-step backward pass.

Run: ``python benchmarks/export.py``. Each time is printed next to its target and next to a
reference measured in the same run: for PNG, Qt and Pillow encoding the same picture already
painted in memory (the cost of encoding alone, without painting); for GIF, Pillow writing as
many frames.

Targets: PNG 2x of 200 nodes under 0.5 s; GIF of 30 steps under 5 s.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from PIL import Image  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from adviz.model import Document, VariableSpec, compute  # noqa: E402
from adviz.ui.export import ExportOptions, _Frame, _image, export, make_scene  # noqa: E402


def wide_text(terms: int) -> str:
    """A sum of ``terms`` terms ``sin(x·c)·y`` added up as a balanced tree (about 5 nodes a term)."""
    lines = [f"a{k} = sin(x * {k + 1}) * y" for k in range(terms)]
    level, names = 0, [f"a{k}" for k in range(terms)]
    while len(names) > 1:
        nxt = []
        for j in range(0, len(names) - 1, 2):
            lines.append(f"s{level}_{j} = {names[j]} + {names[j + 1]}")
            nxt.append(f"s{level}_{j}")
        if len(names) % 2:
            nxt.append(names[-1])
        names, level = nxt, level + 1
    lines.append(f"f = {names[0]} * 1.0")
    return "\n".join(lines)


def chain_text(ops: int) -> str:
    """A chain with about ``ops`` operations, each line two of them."""
    lines = ["a0 = sin(x) * y"]
    for k in range(1, max(1, ops // 2)):
        lines.append(f"a{k} = tanh(a{k - 1}) * x")
    lines.append(f"f = a{max(0, ops // 2 - 1)} + y")
    return "\n".join(lines)


def graph_with(nodes: int = 0, steps: int = 0):
    """A laid-out graph with about ``nodes`` nodes, or with ``steps`` backward steps."""
    text = wide_text(max(1, nodes // 5)) if nodes else chain_text(steps)
    out = compute(Document(text, [VariableSpec("x", "0.9"), VariableSpec("y", "1.1")]))
    return out.graph, out.layout


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="adviz-bench-"))
    graph, layout = graph_with(nodes=200)
    png = folder / "g.png"
    export(graph, layout, png, ExportOptions(scale=2.0))        # warm up fonts and caches
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        export(graph, layout, png, ExportOptions(scale=2.0))
        runs.append(time.perf_counter() - start)
    png_time, png_median = min(runs), statistics.median(runs)
    size = Image.open(png).size
    # Reference: the same picture, already painted in memory, only encoded, by Qt and by Pillow.
    options = ExportOptions(scale=2.0)
    scene = make_scene(graph, layout, options)
    image = _image(scene, _Frame(scene, options), 2.0, False).convertToFormat(QImage.Format.Format_RGB888)
    ref_qt = best(lambda: image.save(str(folder / "qt.png"), "PNG"), 1)
    pixels = Image.frombuffer("RGB", (image.width(), image.height()), bytes(image.constBits()), "raw", "RGB",
                              image.bytesPerLine(), 1)
    ref_pil = best(lambda: pixels.save(folder / "pil.png"), 1)
    mb = lambda p: p.stat().st_size / 1e6  # noqa: E731
    print(f"PNG 2x, {len(graph.nodes)} nodes, {size[0]}x{size[1]} px ({size[0] * size[1] / 1e6:.0f} MP): "
          f"best {png_time:.3f} s, median {png_median:.3f} s, {mb(png):.1f} MB (target 0.5 s); "
          f"encoding the painted picture alone: Qt {ref_qt:.2f} s ({mb(folder / 'qt.png'):.1f} MB, "
          f"ratio {png_time / ref_qt:.2f}), Pillow {ref_pil:.2f} s ({mb(folder / 'pil.png'):.1f} MB, "
          f"ratio {png_time / ref_pil:.2f})")

    graph, layout = graph_with(steps=29)
    steps = len(graph.backward)
    gif = folder / "g.gif"
    options = ExportOptions(scale=1.0, inbetween=3, fps=12)
    gif_time = best(lambda: export(graph, layout, gif, options), 2)
    frames = Image.open(gif).n_frames
    first = Image.open(gif).convert("RGB")
    still = [first.quantize(colors=128)] * frames
    ref_gif = best(lambda: still[0].save(folder / "ref.gif", save_all=True, append_images=still[1:], duration=80), 2)
    print(f"GIF, {steps} steps, {frames} frames at {first.size[0]}x{first.size[1]} px: {gif_time:.2f} s "
          f"(target 5 s; Pillow writing as many frames: {ref_gif:.2f} s, ratio {gif_time / ref_gif:.1f})")


if __name__ == "__main__":
    main()
