"""Edge labels: placed where they cover no other label, drawn above every arrow, never cut off."""
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QApplication

from adviz.model import Document, VariableSpec, compute
from adviz.ui.export import MARGIN, ExportOptions, export, make_scene
from adviz.ui.items import EdgeItem, EdgeLabel, NodeItem

TOUR = "u = x*y\nv = sin(u) + exp(x)\nw = v * log(y) + u**2\nf = tanh(w) + x/y"


def fan_out(terms):
    """x and y feed every term: long edges share bundles, where midpoints would pile up."""
    lines = [f"a{k} = sin(x * {k + 1}) * y" for k in range(terms)]
    lines.append("f = " + " + ".join(f"a{k}" for k in range(terms)))
    return "\n".join(lines)


def margin_is_clear(pixels, sides_only=True):
    """The page's margin is plain background: the graph is clipped there, so what touches it was cut."""
    edge = int(MARGIN) + 1
    strips = [pixels[:, :edge], pixels[:, -edge:]]
    if not sides_only:
        strips += [pixels[:edge], pixels[-edge:]]
    border = np.concatenate([strip.reshape(-1, 3) for strip in strips])
    return np.abs(border - pixels[0, 0]).max() <= 2


def scene_for(text, y="1.5", **options):
    out = compute(Document(text, [VariableSpec("x", "0.5"), VariableSpec("y", y)]))
    return out, make_scene(out.graph, out.layout, ExportOptions(**options))


@pytest.mark.parametrize("text", [TOUR, fan_out(12)])
def test_labels_do_not_cover_each_other(qapp, text):
    _, scene = scene_for(text)                      # at the last step: every label has its product
    labels = [e.label_rect() for e in scene.edges.values() if e.has_label()]
    assert len(labels) > 10
    assert all(len(e.label_lines()) == 2 for e in scene.edges.values() if e.has_label())
    clashes = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if a.intersects(b)]
    assert clashes == []


def test_a_theme_with_larger_text_places_labels_again(qapp):
    from adviz.ui.theme import theme_named
    _, scene = scene_for(TOUR)
    scene.set_theme(theme_named("projector"))            # text 35% larger
    labels = [e.label_rect() for e in scene.edges.values() if e.has_label()]
    clashes = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if a.intersects(b)]
    assert clashes == []


def test_a_label_sits_on_its_own_arrow_or_just_beside_it(qapp):
    _, scene = scene_for(fan_out(12))
    routed = [e for e in scene.edges.values() if e.bends and e.has_label()]
    assert routed
    on = 0
    for edge in scene.edges.values():
        point = edge.path().pointAtPercent(edge.label_t)
        rect = edge.label_rect()
        assert rect.adjusted(-8, -8, 8, 8).contains(point)         # touching its arrow
        on += rect.contains(point)
    assert on >= 0.8 * len(scene.edges)                           # most sit right on it


def test_labels_stack_between_arrows_and_nodes(qapp):
    _, scene = scene_for(TOUR)
    edge = next(iter(scene.edges.values()))
    node = next(iter(scene.nodes.values()))
    assert isinstance(edge.label, EdgeLabel) and edge.label.scene() is scene
    assert edge.zValue() < edge.label.zValue() < node.zValue()
    # What is drawn at a label's centre, top first: the label, not an arrow passing under it.
    labelled = next(e for e in scene.edges.values() if e.has_label())
    top = scene.items(labelled.label_rect().center(), Qt.ItemSelectionMode.IntersectsItemShape,
                      Qt.SortOrder.DescendingOrder)
    assert not isinstance(top[0], EdgeItem)


def test_clicking_a_label_selects_its_edge(window, qtbot):
    from .conftest import show
    show(window, qtbot, "f = sin(x*y)")
    window.view.fit()
    edge = next(e for e in window.scene.edges.values() if e.has_label())
    window.view.zoom_by(3.0)
    window.view.centerOn(edge.label_rect().center())
    point = window.view.mapFromScene(edge.label_rect().center())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert edge.isSelected()


def test_a_wide_adjoint_sum_widens_its_node(qapp):
    from PySide6.QtGui import QFontMetricsF
    _, scene = scene_for("f = x*y + x*y*3.7", y="-123456.7")     # sums in scientific notation
    x = next(n for n in scene.nodes.values() if n.node.label == "x")
    sums = [k for k in range(scene.schedule_length()) if (scene.show_step("backward", k), x.state.sum_text)[1]]
    assert sums, "x gathers two contributions: some step shows their sum"
    scene.show_step("backward", sums[-1])
    text = "∂ " + x.state.sum_text
    width = QFontMetricsF(x._small_font).horizontalAdvance(text)
    assert width > 170                                   # wider than a node's usual extent
    assert x.boundingRect().width() >= width
    assert scene.itemsBoundingRect().left() <= x.pos().x() - width / 2


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_nothing_is_cut_off_at_the_picture_edge(qapp, tmp_path, theme):
    """Every step of a graph whose first node gathers a long sum: the border stays background."""
    out, scene = scene_for("f = x*y + x*y*3.7", y="-123456.7", theme=theme)
    for step in range(scene.schedule_length()):
        path = export(out.graph, out.layout, tmp_path / f"s{step}.png",
                      ExportOptions(theme=theme, scale=1.0, step=step, legend=False))
        pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
        assert margin_is_clear(pixels, sides_only=False), f"something touches the border at step {step}"
        assert pixels.std() > 10


class PaintedRegions(QObject):
    """Collects the regions a widget is asked to repaint."""

    def __init__(self) -> None:
        super().__init__()
        self.regions = []

    def eventFilter(self, obj, event):  # noqa: N802 - Qt virtual
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(event.region()))
        return False


def test_a_moving_dot_repaints_where_it_was_and_where_it_is(window, qtbot):
    """A frame of the animation repaints around the dot, not the whole (long) arrow."""
    from adviz.ui.items import EdgeState

    from .conftest import show
    show(window, qtbot, fan_out(12))
    window.view.fit()
    edge = max(window.scene.edges.values(), key=lambda e: e.path().length())
    edge.set_state(EdgeState(active=True, progress=0.2))
    spy = PaintedRegions()
    viewport = window.view.viewport()
    viewport.installEventFilter(spy)
    for _ in range(3):                        # let every pending update be painted
        QApplication.processEvents()
    viewport.repaint()
    spy.regions.clear()
    before = window.view.mapFromScene(edge._dot(edge.state))
    edge.set_state(EdgeState(active=True, progress=0.7))
    after = window.view.mapFromScene(edge._dot(edge.state))
    qtbot.waitUntil(lambda: bool(spy.regions), timeout=2000)
    painted = QRegion()
    for region in spy.regions:
        painted = painted.united(region)
    assert painted.contains(before) and painted.contains(after)
    arrow = window.view.mapFromScene(edge.boundingRect()).boundingRect()
    area = sum(r.width() * r.height() for r in painted)
    assert area < 0.25 * arrow.width() * arrow.height()
    # A change of colour (the step is over) repaints the whole arrow.
    spy.regions.clear()
    edge.set_state(EdgeState(done=True))
    qtbot.waitUntil(lambda: bool(spy.regions), timeout=2000)
    assert any(r.contains(arrow.center()) for r in spy.regions)
    viewport.removeEventFilter(spy)


def test_every_frame_of_a_sequence_keeps_its_border_clear(qapp, tmp_path):
    """A step showing a sum wider than the last step's text still fits the animation's frame."""
    from adviz.ui.export import render_sequence
    # Exported while the app shows step 0; x*x*x makes a late step show a sum of four numbers.
    options = ExportOptions(scale=1.0, legend=False, step=0)
    out, scene = scene_for("f = x*y*2.5 + x*x*x*y", y="-123456.7", step=0, legend=False)
    files = render_sequence(scene, tmp_path / "s.png", options)
    assert len(files) == scene.schedule_length() and len({Image.open(f).size for f in files}) == 1
    for path in files:
        pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
        assert margin_is_clear(pixels), f"{path.name} is cut at its side"
