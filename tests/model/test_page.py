"""The interactive page: self-contained, every label and step in it, small enough to share."""
import json
import re
from html.parser import HTMLParser

import pytest

import adviz as tf
from adviz.model import Document, compute
from adviz.model.inputs import parse_declarations
from adviz.model.page import page_html, steps_data, write_page


def _outcome(text, var=(), const=()):
    doc = Document(text=text, variables=parse_declarations({"var": list(var), "const": list(const), "watch": []}))
    outcome = compute(doc)
    assert outcome.graph is not None
    return outcome


@pytest.fixture(scope="module")
def small():
    return _outcome("u = x*y\nf = sin(u) + x**2 + c*y", var=("x=2", "y=3"), const=("c=4",))


class _Loads(HTMLParser):
    """Every attribute that would load something, and every script's text."""

    def __init__(self):
        super().__init__()
        self.loads, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "href", "data", "srcset", "poster"):
            if attrs.get(key):
                self.loads.append((tag, key, attrs[key]))
        if tag == "link":
            self.loads.append((tag, "link", attrs.get("href")))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _embedded(page):
    return json.loads(re.search(r'<script type="application/json" id="steps">(.*?)</script>', page, re.S)
                      .group(1).replace("<\\/", "</"))


def test_page_is_self_contained(small):
    page = page_html(small.graph, small.layout)
    parser = _Loads()
    parser.feed(page)
    assert parser.loads == []           # nothing is loaded: no src, href, stylesheet link
    assert not re.search(r'(src|href)\s*=\s*["\']?https?://', page)
    assert not re.search(r"<link[^>]*stylesheet", page, re.I)
    script = "\n".join(parser.scripts)
    for word in ("fetch(", "XMLHttpRequest", "import(", "WebSocket", "EventSource", "sendBeacon"):
        assert word not in script
    assert "@import" not in page and "url(http" not in page


def test_page_has_every_label_and_one_record_per_step(small):
    graph = small.graph
    page = page_html(graph, small.layout)
    for node in graph.nodes.values():
        assert f">{node.label}</text>" in page.replace("&#x27;", "'")
    data = _embedded(page)
    assert len(data["back"]) == len(graph.backward)
    assert len(data["fwd"]) == len(graph.forward)
    for record, step in zip(data["back"], graph.backward):
        assert record["w"] == step.words and record["c"] == step.chain
    # the ∇ badge of a source shows only once its gradient is complete, never at step 0
    x = list(graph.nodes).index("v:x")
    assert data["b"][x] > 0
    assert "∇ " + graph.nodes["v:x"].gradient_text in page
    # c was never watched: its None badge explains the tape from the start
    c = list(graph.nodes).index(next(n.id for n in graph.nodes.values() if n.label == "c"))
    assert data["b"][c] == 0


def test_step_fragment_and_keys_are_handled(small):
    page = page_html(small.graph, small.layout)
    assert "location.hash" in page and "hashchange" in page and "step=" in page
    for key in ("ArrowRight", "ArrowLeft", "' '", "Home", "End"):
        assert key in page


def test_fan_out_sum_and_products_are_in_the_steps(small):
    data = steps_data(small.graph)
    products = [p for record in data["back"] for p in record.get("p", [])]
    assert any(" × " in p and " = " in p for p in products)
    assert any("s" in record for record in data["back"])       # x is used twice: its sum is shown


def test_a_value_that_closes_the_script_element_cannot_break_the_page():
    outcome = _outcome("f = x*y", var=("x=2", "y=3"))
    page = page_html(outcome.graph, outcome.layout, title="</script><script>alert(1)</script>")
    assert "<script>alert(1)" not in page
    assert page.count("<script") == 2


def test_a_hundred_node_pass_is_under_a_megabyte():
    lines = ["a0 = x*y"] + [f"a{k} = sin(a{k - 1})*x + a{k - 1}*y" for k in range(1, 26)]
    outcome = _outcome("\n".join(lines), var=("x=0.5", "y=0.3"))
    assert len(outcome.graph.nodes) >= 100
    size = len(page_html(outcome.graph, outcome.layout).encode("utf-8"))
    assert size < 1_000_000, size


def test_themes_colour_the_page(small):
    light, dark = page_html(small.graph, small.layout), page_html(small.graph, small.layout, theme="dark")
    assert "#fbfbfd" in light and "#16181d" in dark


def test_write_page_is_atomic_and_refuses_other_suffixes(small, tmp_path):
    out = write_page(small.graph, small.layout, tmp_path / "pass.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError):
        write_page(small.graph, small.layout, tmp_path / "pass.txt")


def test_notebook_drawing_shows_the_player_and_saves_the_page(tmp_path):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x ** 3 + 2 * x
    tape.gradient(y, x)
    drawing = tf.draw(tape)
    html = drawing._repr_html_()
    assert html.startswith("<iframe srcdoc=") and "&lt;svg" in html and "ArrowRight" in html
    path = drawing.save(tmp_path / "pass.html")
    assert "∇ 29" in path.read_text(encoding="utf-8")
