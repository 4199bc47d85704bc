"""File ▸ Export honours the pass the canvas plays: the forward-mode (tangent) pass exports as the
backward pass does, at the step the canvas shows."""
import math
import xml.etree.ElementTree as ET

from PIL import Image

from adviz.graph import format_value

from .conftest import show

TEXT = "u = x*y\nf = sin(u) + x**2"


def svg_text(path):
    return " ".join(t.text or "" for t in ET.parse(path).getroot().iter() if t.tag.endswith("text"))


def test_export_follows_the_tangent_mode_and_its_step(window, qtbot, tmp_path):
    graph = show(window, qtbot, TEXT)
    x = next(n for n in graph.nodes.values() if n.label == "x")
    y = next(n for n in graph.nodes.values() if n.label == "y")
    xv, yv = float(x.value), float(y.value)
    window.model.set_mode("tangent")
    assert window.export_options().pass_mode == "tangent"
    window.model.set_step(window.model.length() - 1)
    text = svg_text(window.export_to(tmp_path / "t.svg", "svg", window.export_options()))
    # ḟ = cos(x·y)·y·ẋ + 2x·ẋ with ẋ = 1: the fan-in sum at the target, in closed form.
    left, total = math.cos(xv * yv) * yv, math.cos(xv * yv) * yv + 2 * xv
    assert f"{format_value(left)} + {format_value(2 * xv)} = {format_value(total)}" in text
    assert "tangent flowing forward" in text
    window.model.set_step(1)
    early = svg_text(window.export_to(tmp_path / "s.svg", "svg", window.export_options()))
    assert f"= {format_value(total)}" not in early          # the current step, not the last
    steps = window.model.length()
    gif = window.export_to(tmp_path / "t.gif", "gif", window.export_options(scale=1.0, inbetween=1))
    assert Image.open(gif).n_frames == steps + (steps - 1)


def test_the_forward_box_still_asks_for_the_pass_of_values(window, qtbot, tmp_path):
    show(window, qtbot, TEXT)
    window.model.set_mode("tangent")
    assert window.export_options(forward=True).pass_mode == "forward"
    window.model.set_mode("backward")
    assert window.export_options().pass_mode == "backward"
    text = svg_text(window.export_to(tmp_path / "b.svg", "svg", window.export_options(step="end")))
    assert "adjoint flowing back" in text and "·ε" not in text


def test_the_interactive_page_of_an_open_lesson_has_its_narration_and_a_player_per_call(window, qtbot, tmp_path):
    from adviz.ui.lesson import shipped_lessons
    path = next(p for _title, p in shipped_lessons() if p.name.startswith("03_"))
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        assert window.open_lesson(path)
    calls = len(window.outcome.trace.calls)
    seen = []
    out = window.export_to(tmp_path / "lesson.html", "html", window.export_options(),
                           lambda done, total: seen.append((done, total)) or True)
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="player"') == calls == 2
    assert "<h1>The sum rule at fan-out</h1>" in page and "Watch the adjoints meet</h3>" in page
    assert seen[-1] == (calls, calls)
    # Cancelled: nothing is written.
    assert window.export_to(tmp_path / "none.html", "html", window.export_options(), lambda d, t: False) is None
    assert not (tmp_path / "none.html").exists()


def _forward_blue(path):
    """Pixels in the light theme's forward-mode colour (#0284c7): the tangent chips and arrows."""
    image = Image.open(path).convert("RGB")
    return sum(count for count, (r, g, b) in image.getcolors(maxcolors=1 << 22)
               if abs(r - 0x02) < 24 and abs(g - 0x84) < 24 and abs(b - 0xC7) < 24)


def test_a_screenshot_can_show_the_tangent_pass(tmp_path, qapp):
    from adviz.cli import main
    shots = {}
    for mode in ("backward", "tangent"):
        shots[mode] = tmp_path / f"{mode}.png"
        assert main(["--screenshot", str(shots[mode]), "u = x*y\nf = sin(u) + x**2", "--var", "x=2", "--var", "y=3",
                     "--mode", mode, "--step", "end", "--size", "1280x720", "--theme", "light"]) == 0
    assert Image.open(shots["tangent"]).size == (1280, 720)
    blue = {mode: _forward_blue(path) for mode, path in shots.items()}
    assert blue["tangent"] >= 25 and blue["tangent"] > 3 * blue["backward"]     # measured: 60 against 0
