"""Groups that fold: boxes around nodes that share a scope, folded into one box node and back."""
from adviz.model import VariableSpec
from adviz.ui.groups import FoldedNode, GroupBox, prefixes

from .conftest import node_by_label, show

TEXT = "h1 = tanh(w1 * x)\nh2 = tanh(w2 * h1)\nf = h2 * h2"


def _grouped(window, qtbot):
    """The picture of TEXT with its nodes' scopes set: model ▸ layer1 holds w1·x and h1, model ▸ layer2
    holds w2·h1 and h2."""
    show(window, qtbot, TEXT)
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.set_variables([VariableSpec("x", "0.5"), VariableSpec("w1", "1.5"), VariableSpec("w2", "-0.7")])
    outcome = window.model.outcome
    graph = outcome.graph
    for label, group in (("w1·x", ("model", "layer1")), ("h1", ("model", "layer1")),
                         ("w2·h1", ("model", "layer2")), ("h2", ("model", "layer2"))):
        node_by_label(graph, label).group = group
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.outcomeChanged.emit(outcome)      # the same picture, now with scopes
    return graph


def _gradients(graph):
    return {n.label: float(n.gradient) for n in graph.nodes.values() if n.is_source}


def test_prefixes_inner_first():
    assert prefixes({("a", "b"), ("a", "c"), ("d",)}) == [("a", "b"), ("a", "c"), ("a",), ("d",)]


def test_boxes_nest_around_their_members(window, qtbot):
    graph = _grouped(window, qtbot)
    groups = window.explore.groups
    assert set(groups.boxes) == {("model",), ("model", "layer1"), ("model", "layer2")}
    outer, inner = groups.boxes[("model",)].rect, groups.boxes[("model", "layer1")].rect
    assert outer.contains(inner)
    for label in ("w1·x", "h1"):
        assert inner.contains(window.scene.nodes[node_by_label(graph, label).id].sceneBoundingRect().center())
    x = window.scene.nodes[node_by_label(graph, "x").id]
    assert not outer.contains(x.pos())


def test_folding_hides_members_and_shows_one_box_then_unfolding_restores(window, qtbot):
    graph = _grouped(window, qtbot)
    groups, scene = window.explore.groups, window.scene
    before = {nid: (item.pos().x(), item.pos().y()) for nid, item in scene.nodes.items()}
    gradients, requests = _gradients(graph), window.model.requests
    layer1 = [node_by_label(graph, label).id for label in ("w1·x", "h1")]
    box = groups.boxes[("model", "layer1")]
    # The box's − button folds it.
    view = window.view
    view.centerOn(box.button_rect().center())
    qtbot.mouseClick(view.viewport(), qtbot_button(), pos=view.mapFromScene(box.button_rect().center()))
    assert ("model", "layer1") in groups.folded
    assert all(not scene.nodes[nid].isVisible() for nid in layer1)
    folds = [i for i in scene.items() if isinstance(i, FoldedNode)]
    assert len(folds) == 1 and folds[0].prefix == ("model", "layer1") and folds[0].count == 2
    # Arrows into and out of the group end at the box: x → box, w1 → box, box → w2·h1.
    assert len(groups.proxies) == 3
    hidden_edges = [e for e in scene.edges.values() if e.edge.source in layer1 or e.edge.target in layer1]
    assert hidden_edges and all(not e.isVisible() for e in hidden_edges)
    # The layers the group filled are closed up: the target moved back, nothing moved forward.
    target = node_by_label(graph, "f").id
    assert scene.nodes[target].pos().x() < before[target][0]
    assert all(scene.nodes[nid].pos().x() <= before[nid][0] + 1e-9 for nid in before if nid not in layer1)
    # The layer2 and model boxes are still drawn, around what is left.
    assert ("model", "layer2") in groups.boxes and ("model",) in groups.boxes
    assert _gradients(window.scene.graph) == gradients and window.model.requests == requests
    # Unfold (the folded box's + button): everything as it was.
    plus = folds[0].mapToScene(folds[0].button_rect().center())
    qtbot.mouseClick(view.viewport(), qtbot_button(), pos=view.mapFromScene(plus))
    assert not groups.folded and not groups.proxies
    assert {nid: (i.pos().x(), i.pos().y()) for nid, i in scene.nodes.items()} == before
    assert all(item.isVisible() for item in scene.nodes.values())
    assert _gradients(window.scene.graph) == gradients and window.model.requests == requests


def test_keyboard_and_nested_folds(window, qtbot):
    graph = _grouped(window, qtbot)
    groups, scene = window.explore.groups, window.scene
    h2 = scene.nodes[node_by_label(graph, "h2").id]
    scene.clearSelection()
    h2.setSelected(True)
    window.actions_by_key["fold"].trigger()                  # Ctrl+G: the node's innermost group
    assert groups.folded == {("model", "layer2")}
    groups.fold(("model",))                                  # the outer scope holds everything inside
    folds = [i for i in scene.items() if isinstance(i, FoldedNode)]
    assert [f.prefix for f in folds] == [("model",)] and folds[0].count == 4
    assert not any(isinstance(i, GroupBox) for i in scene.items())
    folds[0].setSelected(True)
    window.actions_by_key["fold"].trigger()                  # Ctrl+G on the box unfolds it
    assert groups.folded == {("model", "layer2")}            # the inner fold was kept
    assert not h2.isVisible()


def test_folds_survive_new_numbers(window, qtbot):
    graph = _grouped(window, qtbot)
    groups = window.explore.groups
    groups.fold(("model", "layer2"))
    outcome = window.model.outcome
    with qtbot.waitSignal(window.graphShown, timeout=5000):
        window.model.outcomeChanged.emit(outcome)
    assert groups.folded == {("model", "layer2")}
    assert not window.scene.nodes[node_by_label(graph, "h2").id].isVisible()
    assert len([i for i in window.scene.items() if isinstance(i, FoldedNode)]) == 1


def qtbot_button():
    from PySide6.QtCore import Qt
    return Qt.MouseButton.LeftButton


def test_context_menu_folds_and_unfolds(window, qtbot):
    graph = _grouped(window, qtbot)
    explore, view = window.explore, window.view
    h1 = window.scene.nodes[node_by_label(graph, "h1").id]
    explore.context_menu(view.mapFromScene(h1.pos()))
    texts = [a.text() for a in explore.menu.actions()]
    assert "Path product from h1 to the target…" in texts
    assert texts.index("Fold group layer1") < texts.index("Fold group model")      # innermost first
    next(a for a in explore.menu.actions() if a.text() == "Fold group layer1").trigger()
    explore.menu.close()
    assert explore.groups.folded == {("model", "layer1")}
    fold = explore.groups.folds[("model", "layer1")]
    explore.context_menu(view.mapFromScene(fold.pos()))
    unfold = next(a for a in explore.menu.actions() if a.text() == "Unfold group layer1")
    unfold.trigger()
    explore.menu.close()
    assert not explore.groups.folded and h1.isVisible()
