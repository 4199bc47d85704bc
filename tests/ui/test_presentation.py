"""Every shipped lesson, every call, every step: readable at the back of the room and never cluttered."""
from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from adviz.ui.lesson import shipped_lessons
from adviz.ui.presentation import MIN_TEXT_PX, active_rect

LESSONS = shipped_lessons()


def open_lesson(window, qtbot, path) -> None:
    with qtbot.waitSignal(window.graphShown, timeout=10000):
        window.open_lesson(path)


def show_call(window, qtbot, index: int) -> None:
    if window.document.call != index:
        with qtbot.waitSignal(window.graphShown, timeout=10000):
            window.model.choose_call(index)


def overlaps(a: QRectF, b: QRectF, slack: float = 1.0) -> bool:
    return a.adjusted(slack, slack, -slack, -slack).intersects(b.adjusted(slack, slack, -slack, -slack))


def check_picture(window, where: str) -> None:
    scene = window.scene
    bodies = {nid: item.occupied_rect() for nid, item in scene.nodes.items()}
    for (a, ra), (b, rb) in itertools.combinations(bodies.items(), 2):
        assert not overlaps(ra, rb), f"{where}: node {a} is drawn over node {b}"
    labels = {eid: item.label_rect() for eid, item in scene.edges.items() if item.has_label()}
    for eid, rect in labels.items():
        for nid, body in bodies.items():
            assert not overlaps(rect, body, 2.0), f"{where}: the label of {eid} {rect} covers node {nid} {body}"
    for (a, ra), (b, rb) in itertools.combinations(labels.items(), 2):
        assert not overlaps(ra, rb, 2.0), f"{where}: the labels of {a} and {b} overlap"


@pytest.mark.parametrize("title, path", LESSONS, ids=[p.stem for _, p in LESSONS])
def test_presentation_at_1280x720_is_readable_at_every_step(window, qtbot, title, path):
    window.resize(1280, 720)
    open_lesson(window, qtbot, path)
    window.presentation.enter(full_screen=False)
    QApplication.processEvents()          # the docks go, the view takes their room
    try:
        view = window.view
        readable = window.presentation.readable_zoom()
        for call in range(len(window.outcome.calls)):
            show_call(window, qtbot, call)
            for step in range(window.player.length()):
                window.player.go(step, animate=False)
                window.presentation.frame_step(animate=False)
                where = f"{path.stem} call {call + 1} step {step}"
                assert view.zoom() >= readable * 0.999, f"{where}: text under {MIN_TEXT_PX} px"
                port = QRectF(view.viewport().rect())
                shown = view.mapFromScene(active_rect(window.scene)).boundingRect()
                if shown.width() <= port.width() and shown.height() <= port.height():
                    assert port.adjusted(-2, -2, 2, 2).contains(QRectF(shown)), f"{where}: the step is cut at the view's edge"
                check_picture(window, where)
    finally:
        window.presentation.leave()


@pytest.mark.parametrize("title, path", LESSONS, ids=[p.stem for _, p in LESSONS])
def test_the_normal_window_at_1920x1080_draws_every_step_cleanly(window, qtbot, title, path):
    window.resize(1920, 1080)
    open_lesson(window, qtbot, path)
    for call in range(len(window.outcome.calls)):
        show_call(window, qtbot, call)
        for step in range(window.player.length()):
            window.player.go(step, animate=False)
            check_picture(window, f"{path.stem} call {call + 1} step {step}")
        legend = window.view.legend_box()
        if legend is not None:
            for nid, item in window.scene.nodes.items():
                body = window.view.mapFromScene(item.occupied_rect()).boundingRect()
                assert not legend.intersects(QRectF(body)), f"{path.stem}: the legend covers {nid}"


def test_esc_gives_back_the_zoom_panels_and_legend(window, qtbot):
    open_lesson(window, qtbot, LESSONS[0][1])
    window.view.zoom_by(1.7)
    zoom, legend = window.view.zoom(), window.view.show_legend
    docks = {d: d.isVisible() for d in (window.inputs_dock, window.details_dock, window.lesson_dock)}
    window.presentation.enter(full_screen=False)
    assert not window.lesson_dock.isVisible() and not window.view.show_legend
    window.presentation.handle_key(0x01000000)          # Esc
    assert not window.presentation.active
    assert abs(window.view.zoom() - zoom) < 1e-6 and window.view.show_legend == legend
    assert {d: d.isVisible() for d in docks} == docks
