"""``adviz render --mode``: pictures and animations of the forward-mode (tangent) pass, with the
numbers on them checked against closed forms."""
import math
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from adviz.cli import main
from adviz.graph import format_value, graph_for_call
from adviz.lang import Declaration, run_functions

FUNCTION = "u = x*y; f = sin(u) + x**2"
X, Y = 2.0, 3.0


def render(tmp_path, name, *extra):
    out = tmp_path / name
    code = main(["render", FUNCTION, "-o", str(out), "--var", "x=2", "--var", "y=3", *extra])
    assert code == 0
    return out


def svg_text(path):
    return " ".join(t.text or "" for t in ET.parse(path).getroot().iter() if t.tag.endswith("text"))


def tangent_steps():
    trace = run_functions("u = x*y\nf = sin(u) + x**2", [Declaration("x", X), Declaration("y", Y)])
    return len(graph_for_call(trace, 0).tangent)


def test_a_tangent_still_shows_dual_numbers_and_partial_times_tangent(tmp_path):
    text = svg_text(render(tmp_path, "t.svg", "--mode", "tangent"))
    # ẋ = 1 and ẏ = 0 seed the pass: x = 2 + 1·ε, y = 3 + 0·ε, u = x·y = 6 + 3·ε (u̇ = y·ẋ).
    assert "2 + 1·ε" in text and "3 + 0·ε" in text and "6 + 3·ε" in text
    assert "∂u/∂x · x\u0307 = 3 × 1 = 3" in text
    # sin(u): its tangent is cos(6)·3; f at the end: the fan-in sum cos(6)·3 + 2x.
    sin_tangent = format_value(math.cos(X * Y) * Y)
    assert f"{format_value(math.cos(X * Y))} × 3" in text and sin_tangent in text
    assert f"{sin_tangent} + 4 = {format_value(math.cos(X * Y) * Y + 2 * X)}" in text
    assert "tangent flowing forward" in text and "adjoint flowing back" not in text


def test_a_step_of_the_tangent_pass(tmp_path):
    text = svg_text(render(tmp_path, "s.svg", "--mode", "tangent", "--step", "1"))
    # Step 1 computes u̇ = y·ẋ + x·ẏ = 3·1 + 2·0, a fan-in sum, from x = 2 + 1·ε.
    assert "3 + 0 = 3" in text and "2 + 1·ε" in text
    assert "4 + 4·ε" not in text             # x²'s tangent 2x·ẋ = 4 comes later


def test_the_backward_picture_is_unchanged_by_default(tmp_path):
    text = svg_text(render(tmp_path, "b.svg"))
    assert "adjoint flowing back" in text and "·ε" not in text


def test_a_tangent_gif_has_a_frame_per_step_and_png_pdf_work(tmp_path):
    steps = tangent_steps()
    gif = Image.open(render(tmp_path, "t.gif", "--mode", "tangent", "--inbetween", "2", "--scale", "1"))
    assert gif.n_frames == steps + 2 * (steps - 1)
    png = Image.open(render(tmp_path, "t.png", "--mode", "tangent", "--scale", "1"))
    assert len(png.convert("RGB").getcolors(maxcolors=1 << 20)) > 20
    assert render(tmp_path, "t.pdf", "--mode", "tangent").read_bytes().startswith(b"%PDF-")
    seq = [tmp_path / f"q-{k:03d}.png" for k in range(steps)]
    render(tmp_path, "q.png", "--mode", "tangent", "--sequence", "--scale", "1")
    assert all(p.exists() for p in seq) and not (tmp_path / f"q-{steps:03d}.png").exists()


@pytest.mark.parametrize("extra, words", [
    (["-o", "g.json", "--mode", "tangent"], "picks the pass a picture shows"),
    (["-o", "g.png", "--mode", "tangent", "--forward"], "two different passes"),
    (["-o", "g.png", "--mode", "tangent", "--step", "99"], "out of range"),
])
def test_bad_mode_requests_say_why(tmp_path, capsys, extra, words):
    extra = [str(tmp_path / a) if a.startswith("g.") else a for a in extra]
    assert main(["render", FUNCTION, "--var", "x=2", "--var", "y=3", *extra]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.count("\n") == 1
    assert not any(tmp_path.iterdir())


def test_an_unknown_mode_is_refused_by_name(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["render", FUNCTION, "-o", str(tmp_path / "g.png"), "--mode", "sideways"])
    assert exit_.value.code == 2 and "tangent" in capsys.readouterr().err
