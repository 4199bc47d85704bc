"""A tape script or lesson as one page: narration in order (markup rendered safely), code, printed
output and a step player per gradient call where the call happens; self-contained and small."""
import re
from dataclasses import replace
from pathlib import Path

import pytest

from adviz.model import Document, compute
from adviz.model.lesson_page import lesson_page_html, lesson_pictures, write_lesson_page
from adviz.model.narration import narration_html

from .test_page import _Loads

LESSONS = Path(__file__).resolve().parents[2] / "assets" / "lessons"


def page_of(text, **options):
    doc = Document(text=text)
    trace, pictures = lesson_pictures(doc, lambda d: compute(d))
    return lesson_page_html(text, trace, pictures, **options), trace, pictures


@pytest.fixture(scope="module")
def lesson():
    text = (LESSONS / "03_sum_rule_fan_out.py").read_text(encoding="utf-8")
    return (text, *page_of(text))


def test_narration_code_output_and_a_player_per_call_in_script_order(lesson):
    text, page, trace, pictures = lesson
    assert len(trace.calls) == 2 and all(isinstance(p, tuple) for p in pictures)
    assert page.count('<section class="player"') == 2
    assert "<title>The sum rule at fan-out</title>" in page and "<h1>The sum rule at fan-out</h1>" in page
    assert page.count("The sum rule at fan-out</h") == 1       # the first heading is the page's title, once
    # Each narration's headings, the code of each call and its player follow in the script's order.
    marks = ["Watch the adjoints meet</h3>", "df_dx, df_dy = tape.gradient(f, [x, y])", 'id="c1-player"',
             "The same value on both inputs</h3>", "g = x * x", 'id="c2-player"']
    where = [page.index(m) for m in marks]
    assert where == sorted(where)
    # A formula reads as text: ∂f/∂x = y + 2x; the printed output sits under its code.
    assert '<span class="math">∂f/∂x = y + 2x</span>' in page
    assert "tape:     df/dx = 8.0   df/dy = 3.0" in page
    # Every player carries its own call's steps, ids kept apart.
    for k, (graph, _layout) in enumerate(pictures, start=1):
        steps = re.search(rf'<script type="application/json" id="c{k}-steps">(.*?)</script>', page, re.S).group(1)
        assert graph.backward[-1].words.split(":")[0] in steps
        assert f'id="c{k}-n0"' in page and f'marker-end="url(#c{k}-ah)"' in page
    assert not re.search(r"<section[^>]*data-single", page)     # every player takes the keys only when focused


def test_the_page_is_self_contained(lesson):
    page = lesson[1]
    parser = _Loads()
    parser.feed(page)
    assert parser.loads == []
    script = "\n".join(parser.scripts)
    for word in ("fetch(", "XMLHttpRequest", "import(", "WebSocket", "EventSource", "sendBeacon"):
        assert word not in script
    assert not re.search(r"https?://", page.replace("http://www.w3.org/2000/svg", ""))


HOSTILE = '''r"""
# A lesson <script>alert(1)</script>

Text with <img src=x onerror=alert(2)> and [a link](javascript:alert(3)) and $x < y$ and
`</script><script>alert(4)</script>` and **<b onclick=alert(5)>bold</b>**.
"""
import adviz as tf
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = x * x
print("</script><script>alert(6)</script>")
g = tape.gradient(y, x)
'''


def test_lesson_text_cannot_inject_markup_or_script():
    page, trace, _ = page_of(HOSTILE)
    assert page.count("<script") == 2            # one player's steps and the one player script
    for bad in ("<img", "<b ", "<script>alert", 'href="javascript'):
        assert bad not in page
    assert not re.search(r"<[a-z][^>]*\son\w+=", page)          # no tag has an event handler
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<title>A lesson &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert '<span class="math">x &lt; y</span>' in page
    assert "<strong>&lt;b onclick=alert(5)&gt;bold&lt;/b&gt;</strong>" in page


def test_narration_markup():
    html = narration_html("## Step\n\nOne *two* **three** `four`\n\n- a\n- b\n\n$$\\frac{df}{dx} = 2x$$")
    assert html.split("\n") == ["<h3>Step</h3>", "<p>One <em>two</em> <strong>three</strong> <code>four</code></p>",
                                "<ul><li>a</li><li>b</li></ul>", '<p class="display"><span class="math">df/dx = 2x</span></p>']


def test_a_failed_call_and_a_stopped_script_are_said_on_the_page():
    # A non-persistent tape asked twice: TensorFlow raises, so the script stops at line 6.
    text = ("import adviz as tf\nx = tf.Variable(3.0)\nwith tf.GradientTape() as t:\n    y = x * x\n"
            "a = t.gradient(y, x)\nb = t.gradient(y, x)\nprint('never')\n")
    page, trace, pictures = page_of(text)
    assert len(trace.calls) == 2
    assert page.count('<section class="player"') == 2     # the failed call is drawn as its failure
    assert "non-persistent" in page
    assert '<p class="error">The script stopped here: line 6: A non-persistent GradientTape' in page


def test_a_hundred_node_pass_in_a_lesson_stays_under_a_megabyte(tmp_path):
    body = "\n".join(["    a0 = x*y"] + [f"    a{k} = tf.sin(a{k - 1})*x + a{k - 1}*y" for k in range(1, 26)])
    text = (f'r"""\n# Long\n\nA long pass.\n"""\nimport adviz as tf\nx = tf.Variable(0.5)\ny = tf.Variable(0.3)\n'
            f"with tf.GradientTape() as tape:\n{body}\ng = tape.gradient(a25, [x, y])\n")
    page, trace, pictures = page_of(text)
    assert len(pictures[0][0].nodes) >= 100
    out = write_lesson_page(text, trace, pictures, tmp_path / "long.html")
    assert out.stat().st_size < 1_000_000, out.stat().st_size
    with pytest.raises(ValueError):
        write_lesson_page(text, trace, pictures, tmp_path / "long.txt")


def test_cancelling_stops_before_anything_is_written():
    text = (LESSONS / "03_sum_rule_fan_out.py").read_text(encoding="utf-8")
    seen = []
    assert lesson_pictures(Document(text=text), lambda d: compute(replace(d)), lambda done, total: seen.append(done)
                           or False) is None
    assert seen == [1]
