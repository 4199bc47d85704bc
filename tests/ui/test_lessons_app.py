"""Tape scripts as lessons in the window: the tutorial, the shipped lessons, editing a copy."""
import pytest

from adviz.ui.lesson import narration_markdown, readable_math, shipped_lessons

from .conftest import node_by_label, show


def test_the_tutorial_opens_as_a_lesson_with_five_pictures(window, qtbot, seeds_dir):
    text = (seeds_dir / "automatic_differentiation.py").read_text()
    graph = show(window, qtbot, text)
    assert window.lesson_dock.isVisible()
    assert window.lesson.calls.count() == 5
    assert len(window.outcome.trace.calls) == 5
    x = node_by_label(graph, "x")
    assert x.kind == "constant" and x.gradient_text == "None" and not x.recorded
    assert "never watched" in x.reason
    expected = {1: ("variable", "[4]"), 2: ("watched", "[4]"), 3: ("variable", "[4]"), 4: ("variable", "[12]")}
    for index, (kind, gradient) in expected.items():
        with qtbot.waitSignal(window.graphShown, timeout=5000):
            window.lesson.calls.setCurrentRow(index)
        graph = window.scene.graph
        source = window.scene.graph.nodes[graph.sources[0]]
        assert source.kind == kind and source.gradient_text == gradient
    # The fifth call asks the persistent tape a second time: h = x**3, so 3·2² = 12.
    assert node_by_label(window.scene.graph, "h").is_target


def test_a_non_persistent_tape_asked_twice_shows_the_error_in_place(window, qtbot, seeds_dir):
    text = (seeds_dir / "automatic_differentiation.py").read_text()
    show(window, qtbot, text)
    edited = text.replace("persistent=True", "persistent=False")
    with qtbot.waitSignal(window.errorShown, timeout=5000) as blocker:
        window.set_text(edited)
    line = next(i for i, l in enumerate(edited.splitlines(), 1) if "grad.gradient(h, x)" in l)
    assert blocker.args[0].startswith(f"line {line},")
    assert "non-persistent" in blocker.args[0]
    assert window.inputs.editor.error[0] == line


def test_stepping_cells_shows_narration_output_and_the_cell_s_call(window, qtbot, seeds_dir):
    text = (seeds_dir / "automatic_differentiation.py").read_text()
    show(window, qtbot, text)
    lesson = window.lesson
    assert "Automatic Differentiation" in lesson.narration.toPlainText()
    assert lesson.console.toPlainText() == ""
    window.actions_by_key["cell_next"].trigger()       # its first call is already on the canvas
    assert lesson.cell == 1 and window.lesson.calls.currentRow() == 0
    assert "None" in lesson.console.toPlainText()
    selection = lesson.code.extraSelections()
    assert selection and "tf.constant" in selection[0].cursor.selectedText().replace("\u2029", "\n")
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.actions_by_key["cell_next"].trigger()   # the persistent tape's cell draws its first call
    assert lesson.cell == 2 and window.inputs.call.currentIndex() == 3
    assert "[12.]" in lesson.console.toPlainText()


@pytest.mark.parametrize("title, path", shipped_lessons(), ids=[p.stem for _, p in shipped_lessons()])
def test_each_shipped_lesson_opens_and_plays_to_the_end(window, qtbot, title, path):
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        assert window.open_lesson(path)
    assert window.outcome.error is None
    calls = window.lesson.calls.count()
    assert calls >= 1
    for index in range(calls):
        if index:
            with qtbot.waitSignal(window.graphShown, timeout=10000):
                window.lesson.calls.setCurrentRow(index)
        window.player.last()
        graph = window.scene.graph
        for source in graph.sources:
            node = graph.nodes[source]
            if node.gradient_text not in ("None",):
                assert node.adjoint is not None


def test_first_start_opens_the_first_lesson(window, qtbot):
    lessons = shipped_lessons()
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        window.open_first_lesson()
    assert window.inputs.editor.toPlainText() == lessons[0][1].read_text()


def test_formulas_in_narration_read_as_text():
    assert readable_math(r"\frac{dL}{dx} = \frac{df}{dg}\frac{dg}{dh}") == "dL/dx = df/dg · dg/dh"
    assert readable_math(r"x^2 \cdot \sigma(z)") == "x² · σ(z)"
    assert narration_markdown(r"so $\frac{\partial f}{\partial x} = 2x$.") == "so *∂f/∂x = 2x*."
