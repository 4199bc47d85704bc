"""``adviz render`` from the command line: each format, and clean errors on bad input."""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from adviz.cli import main
from adviz.graph.jsonio import SCHEMA_PATH

FUNCTION = "u = x*y; f = sin(u) + x**2"


def render(tmp_path, name, *extra):
    out = tmp_path / name
    code = main(["render", FUNCTION, "-o", str(out), "--var", "x=2", "--var", "y=3", *extra])
    assert code == 0
    return out


def test_json_validates_against_its_schema(tmp_path):
    data = json.loads(render(tmp_path, "g.json").read_text())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    assert data["schema"] == "adviz.graph" and data["version"] == 3
    x = next(n for n in data["nodes"] if n["label"] == "x")
    assert x["gradient"] == pytest.approx(3 * __import__("math").cos(6) + 4, rel=1e-6)
    assert set(data["layout"]["positions"]) == {n["id"] for n in data["nodes"]}
    assert data["schedules"]["backward"][0]["kind"] == "seed"


@pytest.mark.parametrize("method", ["spring", "kamada-kawai", "spectral", "shell", "circular", "planar"])
def test_json_with_every_layout(tmp_path, method):
    data = json.loads(render(tmp_path, f"{method}.json", "--layout", method).read_text())
    assert data["layout"]["method"] == method


def test_png_size_follows_the_scale(tmp_path):
    one = Image.open(render(tmp_path, "one.png", "--scale", "1"))
    two = Image.open(render(tmp_path, "two.png", "--scale", "2"))
    assert abs(two.width - 2 * one.width) <= 2 and abs(two.height - 2 * one.height) <= 2
    assert len(two.convert("RGB").getcolors(maxcolors=1 << 20)) > 20       # not blank


def test_transparent_png(tmp_path):
    image = Image.open(render(tmp_path, "t.png", "--transparent")).convert("RGBA")
    assert image.getpixel((1, 1))[3] == 0


def test_svg_has_formulas_and_values_as_text(tmp_path):
    svg = render(tmp_path, "g.svg").read_text()
    root = ET.fromstring(svg)
    text = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "∂u/∂x = y" in text
    assert "cos(u)" in text
    assert "= 6" in text


def test_pdf_is_one_page(tmp_path):
    data = render(tmp_path, "g.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page>") >= 1
    assert data.count(b"/Type /Pages") == 1


def test_gif_has_one_frame_per_step_plus_inbetweens(tmp_path):
    from adviz.model import Document, VariableSpec, compute
    graph = compute(Document(FUNCTION.replace("; ", "\n"), [VariableSpec("x", "2"), VariableSpec("y", "3")])).graph
    steps = len(graph.backward)
    plain = Image.open(render(tmp_path, "plain.gif", "--inbetween", "0"))
    assert plain.n_frames == steps
    smooth = Image.open(render(tmp_path, "smooth.gif", "--inbetween", "3", "--scale", "1"))
    assert smooth.n_frames == steps + 3 * (steps - 1)
    assert smooth.size == Image.open(render(tmp_path, "p1.png", "--scale", "1")).size


def durations(path):
    from PIL import ImageSequence
    with Image.open(path) as image:
        return [frame.info["duration"] for frame in ImageSequence.Iterator(image)]


def test_gif_holds_each_step_and_longer_at_the_ends(tmp_path):
    # Backward steps of FUNCTION: the seed and four more; in-between frames run at --fps.
    default = durations(render(tmp_path, "default.gif", "--inbetween", "1", "--scale", "1"))
    assert default[0] == default[-1] == 3000                   # the first and last frames: twice the hold
    held = default[2:-1:2]
    assert held and all(d == 1500 for d in held)               # each finished step: 1.5 s by default
    assert all(d == 80 for d in default[1::2])                 # in-between frames at 12 fps (in 10 ms units)
    slow = durations(render(tmp_path, "slow.gif", "--inbetween", "0", "--scale", "1", "--hold", "2.5"))
    assert slow[0] == slow[-1] == 5000 and all(d == 2500 for d in slow[1:-1])
    assert sum(slow) == 2500 * (len(slow) + 2)


def test_bad_hold_is_a_clean_error(tmp_path, capsys):
    assert main(["render", "f = x*x", "--var", "x=1", "-o", str(tmp_path / "g.gif"), "--hold", "0"]) == 2
    assert "--hold" in capsys.readouterr().err
    assert not (tmp_path / "g.gif").exists()


def test_script_with_several_calls_renders_all(tmp_path, seeds_dir):
    out = tmp_path / "call.json"
    assert main(["render", str(seeds_dir / "automatic_differentiation.py"), "-o", str(out), "--call", "all"]) == 0
    files = sorted(tmp_path.glob("call-*.json"))
    assert len(files) == 5
    first = json.loads(files[0].read_text())
    x = next(n for n in first["nodes"] if n["label"] == "x")
    assert x["kind"] == "constant" and x["gradient_text"] == "None"


@pytest.mark.parametrize("args, message", [
    (["--var", "x2"], "expected NAME=VALUE"),
    (["--var", "x=[1, 2"], ""),
    (["-o", "out.bmp"], "unknown output format"),
    (["--scale", "9"], "--scale"),
])
def test_bad_input_is_a_clean_error(tmp_path, capsys, args, message):
    argv = ["render", "f = x*x", "-o", str(tmp_path / "g.json"), *args]
    if "-o" in args:
        argv = ["render", "f = x*x", *args]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("adviz render:") and message in err
    assert "Traceback" not in err


def test_missing_file_and_syntax_error(tmp_path, capsys):
    assert main(["render", "nothing/here.py", "-o", str(tmp_path / "g.json")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["render", "f = x +* 2", "-o", str(tmp_path / "g.json")]) == 2
    assert "1:" in capsys.readouterr().err


def test_render_runs_headless_in_a_fresh_process(tmp_path):
    out = tmp_path / "g.png"
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    result = subprocess.run([sys.executable, "-m", "adviz", "render", "f = x**2", "-o", str(out)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert Image.open(out).size[0] > 100


def test_png_sequence_has_one_file_per_step(tmp_path):
    from adviz.model import Document, VariableSpec, compute
    graph = compute(Document(FUNCTION.replace("; ", "\n"), [VariableSpec("x", "2"), VariableSpec("y", "3")])).graph
    render(tmp_path, "step.png", "--sequence", "--scale", "1")
    files = sorted(tmp_path.glob("step-*.png"))
    assert len(files) == len(graph.backward)
    assert files[0].name == "step-000.png"


def test_step_out_of_range_is_a_clean_error(tmp_path, capsys):
    code = main(["render", "f = x*x", "-o", str(tmp_path / "g.png"), "--step", "99"])
    err = capsys.readouterr().err
    assert code == 2 and "out of range" in err and "Traceback" not in err


def test_unknown_target_and_bad_inbetween_are_clean_errors(tmp_path, capsys):
    assert main(["render", "f = x*x", "-o", str(tmp_path / "g.json"), "--target", "q"]) == 2
    assert "--target q" in capsys.readouterr().err
    assert main(["render", "f = x*x", "-o", str(tmp_path / "g.gif"), "--inbetween", "-5"]) == 2
    assert "--inbetween" in capsys.readouterr().err


def test_the_app_without_a_display_says_what_to_do():
    import os
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    if not sys.platform.startswith("linux"):
        pytest.skip("display detection is for Linux")
    result = subprocess.run([sys.executable, "-m", "adviz"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "no display" in result.stderr and "--screenshot" in result.stderr


def test_a_failed_call_is_still_drawn_and_stderr_says_so(tmp_path, capsys, seeds_dir):
    script = tmp_path / "non_persistent.py"
    text = (seeds_dir / "automatic_differentiation.py").read_text()
    script.write_text(text.replace("persistent=True", "persistent=False"))
    for name in ("call5.json", "call5.png"):
        assert main(["render", str(script), "--call", "5", "-o", str(tmp_path / name)]) == 0
        err = capsys.readouterr().err
        assert "call 5 failed (tape-already-used)" in err and "line 60" in err
    data = json.loads((tmp_path / "call5.json").read_text())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    assert data["error"]["cause"] == "tape-already-used" and data["error"]["line"] == 60
    assert all(n["cause"] is None for n in data["nodes"])
    assert Image.open(tmp_path / "call5.png").size[0] > 100


def test_html_page_without_qt(tmp_path):
    out = tmp_path / "pass.html"
    code = subprocess.run([sys.executable, "-c", "import sys; from adviz.cli import main; code = main(sys.argv[1:]); "
                           "assert 'PySide6' not in sys.modules; sys.exit(code)",
                           "render", FUNCTION, "-o", str(out), "--var", "x=2", "--var", "y=3", "--theme", "dark"],
                          capture_output=True, text=True, timeout=120).returncode
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "#16181d" in page and 'id="steps"' in page
