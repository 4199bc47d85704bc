"""Exports from the app's own code: every format, the dialog's memory, the clipboard, cancelling."""
import json
import xml.etree.ElementTree as ET

import jsonschema
from PIL import Image
from PySide6.QtWidgets import QApplication

from adviz.graph.jsonio import SCHEMA_PATH
from adviz.ui.export_dialog import ExportDialog

from .conftest import show

TEXT = "u = x*y\nf = sin(u) + x**2"


def test_png_scales_and_svg_pdf_json(window, qtbot, tmp_path):
    show(window, qtbot, TEXT)
    one = window.export_to(tmp_path / "a.png", "png", window.export_options(scale=1.0))
    three = window.export_to(tmp_path / "b.png", "png", window.export_options(scale=3.0))
    w1, h1 = Image.open(one).size
    w3, h3 = Image.open(three).size
    assert abs(w3 - 3 * w1) <= 3 and abs(h3 - 3 * h1) <= 3
    svg = window.export_to(tmp_path / "g.svg", "svg", window.export_options(step="end"))
    texts = " ".join(t.text or "" for t in ET.parse(svg).getroot().iter() if t.tag.endswith("text"))
    assert "∂u/∂x = y" in texts and "∂sin(u)/∂u = cos(u)" in texts
    assert "0.9602 × 3 = 2.881" in texts          # upstream × local = contribution, at the last step
    pdf = window.export_to(tmp_path / "g.pdf", "pdf", window.export_options())
    assert pdf.read_bytes().startswith(b"%PDF-")
    data = json.loads(window.export_to(tmp_path / "g.json", "json", window.export_options()).read_text())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))


def test_gif_and_sequence_have_a_frame_per_step(window, qtbot, tmp_path):
    show(window, qtbot, TEXT)
    steps = window.player.length()
    gif = window.export_to(tmp_path / "a.gif", "gif", window.export_options(scale=1.0, inbetween=2))
    assert Image.open(gif).n_frames == steps + 2 * (steps - 1)
    files = window.export_to(tmp_path / "seq", "sequence", window.export_options(scale=1.0))
    assert len(files) == steps and all(p.exists() for p in files)


def test_cancelling_a_long_export_stops_it(window, qtbot, tmp_path):
    show(window, qtbot, TEXT)
    calls = []

    def progress(done, total):
        calls.append(done)
        return done < 3

    assert window.export_to(tmp_path / "a.gif", "gif", window.export_options(scale=1.0), progress) is None
    assert calls[-1] == 3
    assert not (tmp_path / "a.gif").exists()


def test_current_view_region_is_smaller(window, qtbot, tmp_path):
    show(window, qtbot, TEXT)
    window.view.zoom_by(4.0)
    whole = Image.open(window.export_to(tmp_path / "w.png", "png", window.export_options(scale=1.0)))
    part = Image.open(window.export_to(tmp_path / "v.png", "png", window.export_options(region="view", scale=1.0)))
    assert part.width < whole.width


def test_current_view_never_cuts_a_node_or_label(window, qtbot):
    from adviz.ui.export import _Frame
    show(window, qtbot, TEXT)
    window.view.zoom_by(3.0)
    middle = window.scene.itemsBoundingRect().center()
    node = min(window.scene.nodes.values(), key=lambda n: (n.pos() - middle).manhattanLength())
    window.view.centerOn(node.sceneBoundingRect().topLeft())      # the view's edge runs through it
    options = window.export_options(region="view", scale=1.0)
    assert not options.source_rect.contains(node.sceneBoundingRect())
    frame = _Frame(window.scene, options)
    touched = [i for i in window.scene.nodes.values() if i.sceneBoundingRect().intersects(options.source_rect)]
    touched += [e.label for e in window.scene.edges.values()
                if e.has_label() and e.label_rect().intersects(options.source_rect)]
    assert node in touched
    assert all(frame.source.contains(i.sceneBoundingRect()) for i in touched)
    assert frame.source.width() < window.scene.itemsBoundingRect().width()   # still a part, not the whole


def test_dialog_previews_and_remembers(window, qtbot, settings):
    show(window, qtbot, TEXT)
    dialog = ExportDialog(window, settings)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("gif"))
    dialog.scale.setValue(3.0)
    dialog.title.setText("Chain rule")
    assert dialog.hold.value() == 1.5 and dialog.hold.isEnabled()          # seconds each step stays
    dialog.hold.setValue(2.5)
    assert dialog.options().hold == 2.5
    dialog.update_preview()
    assert dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()
    dialog.remember()
    again = ExportDialog(window, settings)
    qtbot.addWidget(again)
    assert again.format_key() == "gif" and again.scale.value() == 3.0 and again.title.text() == "Chain rule"
    assert not again.step.isEnabled() and again.fps.isEnabled() and again.hold.value() == 2.5


def test_copy_image_puts_the_view_on_the_clipboard(window, qtbot):
    show(window, qtbot, TEXT)
    window.actions_by_key["copy_image"].trigger()
    image = QApplication.clipboard().image()
    assert not image.isNull() and image.width() > 100
