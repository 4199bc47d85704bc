"""``adviz render LESSON -o lesson.html``: one page with the narration and a player per call."""
from pathlib import Path

from adviz.cli import main

LESSON = Path(__file__).resolve().parents[2] / "assets" / "lessons" / "10_forward_mode_dual_numbers.py"


def test_a_lesson_renders_to_one_page_with_a_player_per_call(tmp_path, capsys):
    out = tmp_path / "lesson.html"
    assert main(["render", str(LESSON), "-o", str(out), "--theme", "dark"]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="player"') == 1            # the lesson makes one gradient call
    assert "<h1>Forward mode: ForwardAccumulator and dual numbers</h1>" in page
    assert "33 + 29 ε" in page                                    # its formulas, readable
    assert "#16181d" in page                                      # in the dark theme
    assert capsys.readouterr().out.strip() == str(out)


def test_one_call_of_a_script_is_still_the_single_page(tmp_path):
    out = tmp_path / "call.html"
    assert main(["render", str(LESSON), "-o", str(out), "--call", "1"]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="player"') == 1 and "data-single>" in page and "<h1>" not in page


def test_a_script_that_stops_still_makes_its_page_and_says_where(tmp_path, capsys):
    script = tmp_path / "stops.py"
    script.write_text("import adviz as tf\nx = tf.Variable(2.0)\nwith tf.GradientTape() as t:\n    y = x * x\n"
                      "g = t.gradient(y, x)\nprint(nothing)\n")
    out = tmp_path / "stops.html"
    assert main(["render", str(script), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "note: 6:" in err and "Traceback" not in err
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="player"') == 1 and "The script stopped here: line 6" in page
