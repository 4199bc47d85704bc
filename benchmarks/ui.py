"""How quickly the app shows an edit and plays the backward pass (offscreen).

Run: ``python benchmarks/ui.py``. For each size it prints the time from an edit to the new graph
on the canvas, the time per animation frame, and zoom / pan / step times, each next to its target
and next to a reference measured in the same run: the same number of plain Qt items (a rectangle
and a text each) painted by a bare QGraphicsView.

Targets: a 100-node graph on screen within 100 ms; frames within 16 ms at 500 nodes; at 2,000
nodes zoom, pan and stepping under 50 ms.

``python benchmarks/ui.py scrub`` measures dragging a value instead: how many times a second the
numbers on the canvas follow while an input is dragged continuously, at about 100 and 500 nodes,
next to the edit→shown time of the same graph measured in the same run, and where the time goes.
Target: 30 updates a second up to 500 nodes.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from PySide6.QtCore import QEventLoop, QPointF, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView  # noqa: E402

from adviz.ui.application import make_app  # noqa: E402
from adviz.ui.window import MainWindow  # noqa: E402


def function_text(nodes: int, shared: bool = False) -> str:
    """Functions whose graph has about ``nodes`` nodes.

    The computation-like graph reads recent results (fan-in 1 to 2, some skip edges); with
    ``shared`` every line also reads the inputs x and y, the hardest case for a layered drawing.
    """
    lines = ["a0 = sin(x) * y", "a1 = cos(a0) + x"]
    for k in range(2, max(2, nodes // (4 if shared else 6))):
        if shared:
            lines.append(f"a{k} = tanh(a{k - 1} * x + y) + a{max(0, k - 3)}")
        else:
            lines.append(f"a{k} = tanh(a{k - 1} * 0.5) + a{k - 2} * {1 + k % 3}")
    lines.append(f"f = a{len(lines) - 1} * 1.0")
    return "\n".join(lines)


def wait_shown(app, window, text: str) -> float:
    loop = QEventLoop()
    window.graphShown.connect(loop.quit)
    QTimer.singleShot(120000, loop.quit)
    window.model.set_text(text)     # the edit (the editor shows it); its run waits for the typing pause
    start = time.perf_counter()
    window.recompute()          # what the edit's pause triggers
    loop.exec()
    window.graphShown.disconnect(loop.quit)
    app.processEvents()
    window.view.viewport().repaint()
    return time.perf_counter() - start


def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def reference_frame(app, count: int) -> float:
    """A bare view of ``count`` rectangles with text: what painting that many items costs."""
    scene = QGraphicsScene()
    for k in range(count):
        rect = QGraphicsRectItem(0, 0, 70, 40)
        rect.setPos((k % 40) * 120, (k // 40) * 80)
        scene.addItem(rect)
        label = QGraphicsSimpleTextItem(f"node {k}", rect)
        label.setPos(6, 10)
    view = QGraphicsView(scene)
    view.resize(1200, 800)
    view.show()
    view.fitInView(scene.itemsBoundingRect())
    app.processEvents()
    return timed(lambda: view.viewport().repaint(), 5)


def open_window() -> tuple:
    """The application and a shown window whose worker process has run once (it is warm)."""
    app = make_app()
    # Settings of its own in a temporary folder (QSettings saves by replacing its file, so it must
    # never be pointed at a device such as /dev/null).
    folder = tempfile.mkdtemp(prefix="adviz-bench-")
    window = MainWindow(QSettings(os.path.join(folder, "adviz.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    wait_shown(app, window, "f = x * y")
    return app, window


def main() -> None:
    app, window = open_window()
    print(f"{'nodes':>6} {'edit→shown':>11} {'frame':>8} {'full':>8} {'zoom':>7} {'pan':>7} {'step':>7} "
          f"{'ref full':>9} {'full/ref':>8}")
    for nodes, shared in ((10, False), (100, False), (500, False), (1000, False), (2000, False),
                          (100, True), (500, True)):
        text = function_text(nodes, shared)
        shown = wait_shown(app, window, text)
        actual = len(window.scene.nodes)
        scene, view, player = window.scene, window.view, window.player
        n = player.length()
        middle = max(1, n // 2)

        def frame(progress=[0.0]):
            # What the animation does: change the step's state; Qt repaints what changed.
            progress[0] = (progress[0] + 0.13) % 1.0
            scene.show_step("backward", middle, progress[0])
            app.processEvents()

        def full_frame():
            scene.show_step("backward", middle, 0.5)
            view.viewport().repaint()

        view.fit()
        frame_time = timed(frame, 9)
        full_time = timed(full_frame, 5)
        zoom_time = timed(lambda: (view.zoom_by(1.25), view.viewport().repaint()), 5)
        pan_time = timed(lambda: (view.translate(40, 0), view.centerOn(view.mapToScene(view.viewport().rect().center()) + QPointF(60, 0)),
                                  view.viewport().repaint()), 5)
        step_time = timed(lambda: (player.go((player.index + 1) % max(1, n), animate=False), view.viewport().repaint()), 5)
        ref = reference_frame(app, actual)
        print(f"{actual:>5}{'*' if shared else ' '} {shown * 1000:>9.0f}ms {frame_time * 1000:>6.1f}ms {full_time * 1000:>6.1f}ms "
              f"{zoom_time * 1000:>5.1f}ms {pan_time * 1000:>5.1f}ms {step_time * 1000:>5.1f}ms "
              f"{ref * 1000:>7.1f}ms {full_time / ref:>8.2f}")
    print("*: every line also reads the inputs x and y (long edges from two nodes to every layer)")
    print("frame: one animation frame (Qt repaints the items that changed); full: the whole view repainted")
    print("targets: 100 nodes shown < 100 ms; frame < 16 ms at 500 nodes; zoom/pan/step < 50 ms at 2,000 nodes")
    window.close()


def scrub_rate(app, window, seconds: float = 3.0) -> tuple[float, int]:
    """Updates per second while ``x`` is dragged without pause (a new value every 4 ms)."""
    model, shown = window.model, []
    window.canvas.valuesShown.connect(lambda: shown.append(time.perf_counter()))
    model.begin_scrub()
    values = iter(range(10**6))
    timer = QTimer()
    timer.timeout.connect(lambda: model.scrub("x", f"{0.5 + next(values) * 1e-4:.4f}"))
    timer.start(4)
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    start = time.perf_counter()
    loop.exec()
    timer.stop()
    model.end_scrub()
    count = sum(1 for t in shown if t - start <= seconds)
    return count / seconds, next(values)


def scrub_parts(window) -> dict[str, float]:
    """Where one update's time goes: the run and the graph in the worker, the round trip, the items."""
    import io
    import pickle
    from adviz.graph import graph_for_call
    from adviz.model.explore import evaluate
    from adviz.model.isolation import _Pickler
    from adviz.model.pipeline import run
    doc = window.model.document.copy()
    parts = {"run": timed(lambda: run(doc), 3)}
    trace = run(doc).trace
    parts["graph"] = timed(lambda: graph_for_call(trace, 0), 3)
    outcome = evaluate(doc)

    def dumps() -> bytes:           # as the worker sends it
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(outcome)
        return buffer.getvalue()

    data = dumps()
    parts["pickle"] = timed(dumps, 3)
    parts["unpickle"] = timed(lambda: pickle.loads(data), 3)
    parts["round trip"] = (timed(lambda: window.model._isolated.explore("evaluate", doc), 3)
                           - parts["run"] - parts["graph"] - parts["pickle"] - parts["unpickle"])
    scene = window.scene
    parts["items"] = timed(lambda: scene.update_values(pickle.loads(data).graph), 3)
    parts["paint"] = timed(lambda: window.view.viewport().repaint(), 3)
    return parts


def scrub_main() -> None:
    app, window = open_window()
    print(f"{'nodes':>6} {'view':>5} {'updates/s':>10} {'sent':>6} {'ms/update':>10} {'ref edit→shown':>15}   "
          "where one update's time goes (ms)")
    for nodes in (100, 500):
        text = function_text(nodes, shared=True)
        shown = wait_shown(app, window, text)
        for view in ("fit", "100%"):
            if view == "fit":
                window.view.fit()
            else:               # read at full size: only the part in view is painted
                window.view.reset_zoom()
                window.view.centerOn(window.scene.nodes[window.scene.graph.targets[0]])
            app.processEvents()
            rate, sent = scrub_rate(app, window)
            app.processEvents()
            parts = scrub_parts(window)
            where = "  ".join(f"{k} {v * 1000:.1f}" for k, v in parts.items())
            print(f"{len(window.scene.nodes):>6} {view:>5} {rate:>10.1f} {sent:>6} {1000 / max(rate, 1e-9):>8.1f}ms "
                  f"{shown * 1000:>13.0f}ms   {where}")
    print("updates/s: the canvas's numbers followed the drag this often (values sent every 4 ms; the rest dropped)")
    print("where: run and graph in the worker process, pickle there, unpickle here, round trip: the rest of the")
    print("       worker call; items: the canvas taking the new numbers; paint: one repaint of the view")
    print("ref edit→shown: the same graph run, laid out and drawn anew after an edit, in this run")
    print("target: 30 updates/s up to 500 nodes")
    window.close()


def fold_main() -> None:
    """Folding and unfolding a group at about 100 and 500 nodes (each op given a scope by hand)."""
    from adviz.graph.model import OP
    app, window = open_window()
    groups = window.explore.groups
    print(f"{'nodes':>6} {'fold layer':>11} {'fold stage':>11} {'unfold all':>11} {'ref edit→shown':>15}")
    for nodes, shared in ((100, False), (500, False), (100, True), (500, True)):
        shown = wait_shown(app, window, function_text(nodes, shared))
        outcome = window.model.outcome
        ops = sorted((n for n in outcome.graph.nodes.values() if n.kind == OP), key=lambda n: n.order)
        for k, node in enumerate(ops):      # stages of 50 ops, layers of 10
            node.group = ("net", f"stage{k // 50}", f"layer{k // 10}")
        window.model.outcomeChanged.emit(outcome)
        app.processEvents()
        window.view.fit()

        def once(action):
            start = time.perf_counter()
            action()
            window.view.viewport().repaint()
            return time.perf_counter() - start

        layer = once(lambda: groups.fold(("net", "stage0", "layer1")))
        stage = once(lambda: groups.fold(("net", "stage1")))
        unfold = once(lambda: [groups.unfold(p) for p in list(groups.folded)])
        print(f"{len(window.scene.nodes):>5}{'*' if shared else ' '} {layer * 1000:>9.1f}ms {stage * 1000:>9.1f}ms {unfold * 1000:>9.1f}ms "
              f"{shown * 1000:>13.0f}ms")
    print("each: the fold (hide, place, close emptied layers, boxes and arrows) and one repaint of the view")
    print("*: every line also reads x and y (long arrows bent through every layer)")
    print("target: under 100 ms up to 500 nodes; ref edit→shown: the same graph run, laid out and drawn, in this run")
    window.close()


if __name__ == "__main__":
    {"scrub": scrub_main, "fold": fold_main}.get(sys.argv[1] if sys.argv[1:] else "", main)()
