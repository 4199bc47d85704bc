"""The exported page in a real browser: Debian's Chromium, headless, with no network.

Skipped (with the reason) when ``/usr/bin/chromium`` or Playwright's Python package is missing.
"""
import os
import shutil

import pytest

from adviz.model import Document, compute
from adviz.model.inputs import parse_declarations
from adviz.model.page import write_page

CHROMIUM = os.environ.get("ADVIZ_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    try:
        manager = sync_api.sync_playwright().start()
    except Exception as exc:       # the driver cannot start here
        pytest.skip(f"Playwright's driver does not start: {exc}")
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=20_000)
    except Exception as exc:
        manager.stop()
        pytest.skip(f"Chromium does not start headless: {str(exc).splitlines()[0]}")
    yield chromium
    chromium.close()
    manager.stop()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    doc = Document(text="u = x*y\nf = sin(u) + x**2 + c*y",
                   variables=parse_declarations({"var": ["x=2", "y=3"], "const": ["c=4"], "watch": []}))
    outcome = compute(doc)
    return write_page(outcome.graph, outcome.layout, tmp_path_factory.mktemp("page") / "pass.html"), outcome.graph


def _open(browser, url):
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    return page, requests, errors


def _badges_shown(page):
    return page.evaluate("[...document.querySelectorAll('.badge')].filter(b => getComputedStyle(b).display != 'none')"
                         ".map(b => b.textContent)")


def _gradients_shown(page):
    return [text for text in _badges_shown(page) if text.startswith("∇")]


def test_keys_step_the_pass_and_nothing_is_fetched(browser, page_file):
    path, graph = page_file
    url = path.as_uri()
    page, requests, errors = _open(browser, url)
    first = page.inner_text("#caption")
    assert first.startswith(graph.backward[0].words)
    page.keyboard.press("ArrowRight")
    second = page.inner_text("#caption")
    assert second != first and graph.backward[1].words in second
    assert page.evaluate("location.hash") == "#step=1"
    page.keyboard.press("End")
    assert graph.backward[-1].words in page.inner_text("#caption")
    page.keyboard.press("Home")
    assert page.inner_text("#caption") == first
    page.check("#fwd")                          # the forward pass plays too
    assert graph.forward[0].words in page.inner_text("#caption")
    page.close()
    assert requests == [url] and errors == []


def test_step_fragment_opens_that_step_and_gradients_wait_for_the_pass(browser, page_file):
    path, graph = page_file
    end, _, errors = _open(browser, path.as_uri() + "#step=end")
    assert "∇ " + graph.nodes["v:x"].gradient_text in _gradients_shown(end)
    assert f"step {len(graph.backward) - 1} / {len(graph.backward) - 1}" in end.inner_text("#count")
    end.close()
    start, _, more = _open(browser, path.as_uri() + "#step=0")
    assert _gradients_shown(start) == []
    assert any(text.startswith("gradient: None") for text in _badges_shown(start))   # c: never watched
    start.close()
    assert errors == more == []


@pytest.fixture(scope="module")
def lesson_file(tmp_path_factory):
    from pathlib import Path

    from adviz.model.lesson_page import lesson_pictures, write_lesson_page
    text = (Path(__file__).resolve().parents[2] / "assets" / "lessons" / "03_sum_rule_fan_out.py").read_text()
    trace, pictures = lesson_pictures(Document(text=text), compute)
    path = write_lesson_page(text, trace, pictures, tmp_path_factory.mktemp("lesson") / "lesson.html")
    return path, [graph for graph, _layout in pictures]


def test_a_lesson_page_s_second_player_takes_the_keys_when_focused(browser, lesson_file):
    path, graphs = lesson_file
    url = path.as_uri()
    page, requests, errors = _open(browser, url)
    first, second = graphs
    assert page.inner_text("#c1-caption").startswith(first.backward[0].words)
    assert page.inner_text("#c2-caption").startswith(second.backward[0].words)
    page.focus("#c2-player")
    page.keyboard.press("ArrowRight")
    assert second.backward[1].words in page.inner_text("#c2-caption")
    assert page.inner_text("#c2-count") == f"step 1 / {len(second.backward) - 1}"
    assert page.inner_text("#c1-caption").startswith(first.backward[0].words)     # the other player stays
    page.keyboard.press("Home")
    assert page.inner_text("#c2-caption").startswith(second.backward[0].words)
    page.click("#c1-next")                         # a click on a player's button gives it the keys
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#c1-count") == f"step 2 / {len(first.backward) - 1}"
    assert page.evaluate("location.hash") == ""    # players on a lesson page leave the address alone
    page.close()
    assert requests == [url] and errors == []
