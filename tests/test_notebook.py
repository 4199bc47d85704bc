"""adviz.draw in notebooks: inline SVG and PNG, save in every format, no window."""
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

import adviz as tf


def _tape():
    x = tf.Variable(3.0)
    c = tf.constant(2.0)
    with tf.GradientTape() as tape:
        y = x ** 3 + c * x
    return tape, x, c, y


def test_draw_shows_the_last_call_inline_with_the_callers_names():
    tape, x, c, y = _tape()
    assert float(tape.gradient(y, x)) == pytest.approx(3 * 9 + 2)
    drawing = tf.draw(tape)
    labels = {n.label for n in drawing.graph.nodes.values()}
    assert {"x", "c", "y"} <= labels
    svg = drawing._repr_svg_()
    texts = " ".join(t.text or "" for t in ET.fromstring(svg).iter() if t.tag.endswith("text"))
    assert "∇ 29" in texts
    png = drawing._repr_png_()
    assert png.startswith(b"\x89PNG")


def test_draw_with_target_and_sources_does_not_use_up_the_tape():
    tape, x, c, y = _tape()
    drawing = tf.draw(tape, y, [x, c])
    x_node = next(n for n in drawing.graph.nodes.values() if n.label == "x")
    c_node = next(n for n in drawing.graph.nodes.values() if n.label == "c")
    assert float(x_node.gradient) == pytest.approx(29.0)
    assert c_node.gradient_text == "None"            # a constant nobody watched
    assert float(tape.gradient(y, x)) == pytest.approx(29.0)    # the one gradient() is still there


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf", "gif", "json"])
def test_save_in_every_format(tmp_path, suffix):
    tape, x, c, y = _tape()
    tape.gradient(y, x)
    path = tf.draw(tape).save(tmp_path / f"g.{suffix}")
    data = path.read_bytes()
    if suffix in ("png", "gif"):
        assert Image.open(path).size[0] > 50
    elif suffix == "svg":
        texts = " ".join(t.text or "" for t in ET.fromstring(data).iter() if t.tag.endswith("text"))
        assert "∂y/∂x³ = 1" in texts or "∂" in texts
        assert "∇ 29" in texts
    elif suffix == "pdf":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    else:
        import json
        import jsonschema
        from adviz.graph.jsonio import SCHEMA_PATH
        graph = json.loads(data)
        jsonschema.validate(graph, json.loads(SCHEMA_PATH.read_text()))
        x = next(n for n in graph["nodes"] if n["label"] == "x")
        assert x["gradient"] == pytest.approx(29.0)


def test_draw_refuses_what_is_not_a_tape():
    with pytest.raises(TypeError):
        tf.draw(42)
    with pytest.raises(ValueError):
        tf.draw(tf.GradientTape())
