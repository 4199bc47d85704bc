"""Qt tests: an isolated settings file per test, and a window that has shown its first graph."""
import gc

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def collect_after_each_test():
    """Collect the garbage a test leaves (closed windows, their items and connections) when it
    ends, while no event loop runs. Left to Python's own timing, the collection could fall
    inside a later test's nested event loop, where freeing those objects crashed the
    interpreter now and then (about one run in five of a few UI test files together)."""
    yield
    gc.collect()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "adviz.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, settings):
    """A light-themed main window of the usual test size, shown."""
    from adviz.ui.window import MainWindow
    win = MainWindow(settings)
    win.apply_theme("light")
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    return win


@pytest.fixture
def window(qtbot, settings):
    win = open_window(qtbot, settings)
    yield win
    win.player.pause()


def show(window, qtbot, text, timeout=5000):
    """Type ``text`` into the function box and wait for its picture."""
    with qtbot.waitSignal(window.graphShown, timeout=timeout):
        window.set_text(text)
    return window.scene.graph


def node_by_label(graph, label):
    matches = [n for n in graph.nodes.values() if n.label == label]
    assert matches, f"no node labelled {label!r} in {[n.label for n in graph.nodes.values()]}"
    return matches[0]
