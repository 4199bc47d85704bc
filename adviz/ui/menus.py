"""The window's actions, menus and toolbar: every command with its shortcut and tooltip, in one place."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ..graph import METHODS
from .cost import open_cost_view
from .lesson import shipped_lessons
from .paths import open_paths_view

LAYOUT_TITLES = {"layered": "Layered", "spring": "Spring", "kamada-kawai": "Kamada-Kawai",
                 "spectral": "Spectral", "shell": "Shell", "circular": "Circular", "planar": "Planar"}


def make_action(window: QMainWindow, key: str, text: str, shortcut=None, tip: str = "",
                slot: Callable | None = None, checkable: bool = False) -> QAction:
    """An action with its shortcut shown in its tooltip, kept in ``window.actions_by_key[key]``."""
    action = QAction(text, window)
    if shortcut is not None:
        shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
        keys: list[QKeySequence] = []
        for s in shortcuts:       # a standard key may already mean the same keys (Quit is Ctrl+Q on most desktops)
            for bound in (QKeySequence.keyBindings(s) if isinstance(s, QKeySequence.StandardKey) else [QKeySequence(s)]):
                if not bound.isEmpty() and bound not in keys:
                    keys.append(bound)
        action.setShortcuts(keys)
    label = QKeySequence(action.shortcut()).toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip or text} ({label})" if label else (tip or text))
    action.setStatusTip(tip or text)
    action.setCheckable(checkable)
    if slot is not None:
        action.triggered.connect(slot)
    window.actions_by_key[key] = action
    return action


def build_actions(w: QMainWindow) -> None:
    """The commands of the transport, the view, editing, export and help."""
    player, view = w.player, w.view

    def a(*args, **kwargs) -> QAction:
        return make_action(w, *args, **kwargs)

    a("first", "First step", "Home", "First step: the seed at the target", player.first)
    a("previous", "Previous step", "Left", "Previous step", player.previous)
    a("play", "Play", "Space", "Play / pause the pass", player.toggle)
    a("next", "Next step", "Right", "Next step", w.next_step)
    a("last", "Last step", "End", "Last step: every adjoint known", player.last)
    for key in ("first", "previous", "play", "next", "last"):
        w.actions_by_key[key].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    a("zoom_in", "Zoom in", [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], "Zoom in", lambda: view.zoom_by(1.25))
    a("zoom_out", "Zoom out", QKeySequence.StandardKey.ZoomOut, "Zoom out", lambda: view.zoom_by(0.8))
    a("zoom_reset", "Actual size", "Ctrl+0", "Zoom to 100%", view.reset_zoom)
    a("fit", "Fit graph", "F", "Fit the whole graph in the view", view.fit)
    a("legend", "Legend", "L", "Show the legend of colours and shapes", w.toggle_legend, checkable=True)
    a("undo", "Undo", QKeySequence.StandardKey.Undo, "Undo the last edit", w.model.undo_stack.undo)
    a("redo", "Redo", QKeySequence.StandardKey.Redo, "Redo", w.model.undo_stack.redo)
    a("export", "Export…", "Ctrl+E", "Export the picture or an animation (PNG, SVG, PDF, GIF, JSON)", w.export_dialog)
    a("copy_image", "Copy image", "Ctrl+Shift+C", "Copy the current view to the clipboard as an image", w.copy_image)
    a("example", "Starting example", None, "Replace the functions with the starting example", w.load_example)
    a("quit", "Quit", [QKeySequence.StandardKey.Quit, "Ctrl+Q"], "Quit adviz", w.close)
    a("shortcuts", "Keyboard shortcuts", "F1", "List the keyboard shortcuts", w.show_shortcuts)
    a("about", "About adviz", None, "About adviz", w.show_about)
    a("mode", "Forward pass", "Ctrl+Shift+F", "Play the forward pass instead of the backward pass",
      w.toggle_mode, checkable=True)
    a("predict", "Predict each step", "Ctrl+Shift+P",
      "Each step's new adjoints show as ? until the next key, so the class can predict them first",
      w.toggle_predict, checkable=True)
    a("compare", "Compare two calls…", "Ctrl+Shift+K",
      "Two gradient calls of the script side by side, with what differs marked", w.compare_calls)
    a("cost", "Why reverse mode wins…", "Ctrl+Shift+J",
      "The Jacobian of f: ℝⁿ → ℝᵐ by n forward passes (columns) and by m reverse passes (rows), with what each costs",
      lambda: open_cost_view(w))
    a("paths", "Sum over paths…", "Ctrl+Shift+U",
      "Every path from an input to an output with the product of its partials: their sum is the derivative",
      lambda: open_paths_view(w))
    a("answers", "Show final gradients from the start", "Ctrl+Shift+G",
      "Show every source's final gradient from step 0 (off: each appears when the pass reaches it)",
      w.toggle_answers, checkable=True)
    w.actions_by_key["legend"].setChecked(True)
    w.actions_by_key["fit"].setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    w.model.undo_stack.canUndoChanged.connect(w.actions_by_key["undo"].setEnabled)
    w.model.undo_stack.canRedoChanged.connect(w.actions_by_key["redo"].setEnabled)
    w.actions_by_key["undo"].setEnabled(False)
    w.actions_by_key["redo"].setEnabled(False)


def build_menus(w: QMainWindow) -> None:
    """File, Edit, View, Layout, Playback and Help, and the main toolbar."""
    acts = w.actions_by_key
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    for key in ("example", None, "export", "copy_image", None, "quit"):
        file_menu.addSeparator() if key is None else file_menu.addAction(acts[key])
    edit = bar.addMenu("&Edit")
    edit.addAction(acts["undo"])
    edit.addAction(acts["redo"])
    view = bar.addMenu("&View")
    w.view_menu = view
    for key in ("zoom_in", "zoom_out", "zoom_reset", "fit"):
        view.addAction(acts[key])
    view.addSeparator()
    view.addAction(acts["legend"])
    view.addAction(acts["answers"])
    view.addAction(acts["compare"])
    view.addAction(acts["cost"])
    view.addAction(acts["paths"])
    for key, dock, keys in (("show_inputs", w.inputs_dock, "Ctrl+Shift+I"),
                            ("show_details", w.details_dock, "Ctrl+Shift+D"),
                            ("show_lesson", w.lesson_dock, "Ctrl+Shift+L"),
                            ("show_trace", w.trace_dock, "Ctrl+Shift+T")):
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(keys))
        toggle.setStatusTip(f"Show or hide the {dock.windowTitle()} panel")
        toggle.setToolTip(f"Show or hide the {dock.windowTitle()} panel ({keys})")
        view.addAction(toggle)
        acts[key] = toggle
    theme_menu = view.addMenu("Theme")
    w.theme_group = QActionGroup(w)
    for name, title in (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark")):
        action = QAction(title, w, checkable=True)
        action.setData(name)
        action.setStatusTip(f"{title} theme")
        action.triggered.connect(lambda _=False, n=name: w.apply_theme(n))
        w.theme_group.addAction(action)
        theme_menu.addAction(action)
        acts[f"theme_{name}"] = action
    _layout_menu(w, bar.addMenu("&Layout"))
    play = bar.addMenu("&Playback")
    for key in ("play", "first", "previous", "next", "last"):
        play.addAction(acts[key])
    play.addSeparator()
    play.addAction(acts["mode"])
    play.addAction(acts["predict"])
    help_menu = bar.addMenu("&Help")
    lessons_menu = help_menu.addMenu("Lessons")
    lessons_menu.setToolTipsVisible(True)
    for number, (title, path) in enumerate(shipped_lessons(), start=1):
        action = QAction(f"{number}. {title}", w)
        action.setStatusTip(f"Open the lesson “{title}”")
        action.triggered.connect(lambda _=False, p=path: w.open_lesson(p))
        lessons_menu.addAction(action)
    lessons_menu.setEnabled(not lessons_menu.isEmpty())
    help_menu.addAction(acts["shortcuts"])
    help_menu.addAction(acts["about"])
    toolbar = w.addToolBar("Main")
    toolbar.setObjectName("main_toolbar")
    w.main_toolbar = toolbar
    for key in ("undo", "redo", None, "fit", "zoom_in", "zoom_out", "legend"):
        toolbar.addSeparator() if key is None else toolbar.addAction(acts[key])


def _layout_menu(w: QMainWindow, menu) -> None:
    w.layout_group = QActionGroup(w)
    entries = [("layered", "LR", "Layered, left to right", "Ctrl+1"), ("layered", "TB", "Layered, top to bottom", "Ctrl+2")]
    entries += [(m, None, LAYOUT_TITLES[m], f"Ctrl+{i}") for i, m in enumerate(METHODS[1:], start=3)]
    for method, direction, title, key in entries:
        action = QAction(title, w, checkable=True)
        action.setShortcut(QKeySequence(key))
        action.setToolTip(f"{title} ({key})")
        action.setStatusTip(f"Lay the graph out: {title.lower()}")
        action.triggered.connect(lambda _=False, m=method, d=direction: w.set_layout(m, d))
        w.layout_group.addAction(action)
        menu.addAction(action)
        w.actions_by_key[layout_key(method, direction or "LR")] = action


def layout_key(method: str, direction: str) -> str:
    """The key of the Layout menu's entry for ``method`` (and ``direction``, for layered)."""
    return f"layout_{method}_{direction}" if method == "layered" else f"layout_{method}"


def add_cell_actions(w: QMainWindow) -> None:
    """Ctrl+Up / Ctrl+Down step through the lesson's cells."""
    lesson = w.lesson
    prev_cell = QAction("Previous cell", w, shortcut=QKeySequence("Ctrl+Up"), triggered=lambda: lesson.go(lesson.cell - 1))
    next_cell = QAction("Next cell", w, shortcut=QKeySequence("Ctrl+Down"), triggered=lambda: lesson.go(lesson.cell + 1))
    for action in (prev_cell, next_cell):
        action.setStatusTip(f"{action.text()} of the lesson")
        w.addAction(action)
    w.actions_by_key["cell_previous"], w.actions_by_key["cell_next"] = prev_cell, next_cell
