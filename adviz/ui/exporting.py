"""Export from the window: choices resolved against what it shows, the dialog, progress, copy image.

Export paints the layout the canvas draws (the model's live layout) into a scene of its own,
in the theme and at the step the user chose.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from .model import FORWARD


class Exporting:
    """The export commands of :class:`~adviz.ui.window.MainWindow` (mixed into it)."""

    def export_options(self, region: str = "all", step: str = "current", theme: str = "current", **rest):
        """Export choices resolved against what the window shows now: the pass the canvas plays
        (backward, forward, or forward mode's tangents) at its current step, unless ``forward``
        asks for the forward pass of values."""
        from .export import ExportOptions
        mode = FORWARD if rest.pop("forward", False) else (rest.pop("mode", None) or self.model.mode)
        if step == "current":
            step_value = self.model.step if mode == self.model.mode else "end"
        else:
            step_value = step
        source = self.view.mapToScene(self.view.viewport().rect()).boundingRect() if region == "view" else None
        name = self.theme.name if theme == "current" else theme
        return ExportOptions(step=step_value, theme=name, source_rect=source, mode=mode, **rest)

    def preview_image(self, options, max_size=(420, 300)):
        """A small rendering of what an export with ``options`` would contain."""
        from .export import preview
        graph, layout = self._picture()
        if graph is None or layout is None:
            return None
        return preview(graph, layout, options, max_size)

    def _picture(self):
        """The graph and the layout the canvas draws (dragged nodes where the user put them)."""
        outcome = self.model.outcome
        return (outcome.graph if outcome else None), self.model.live_layout()

    def export_to(self, path, fmt: str, options, progress=None):
        """Write the current graph to ``path`` as ``fmt`` (``sequence`` writes one PNG per step)."""
        from .export import export, make_scene, render_sequence
        graph, layout = self._picture()
        if graph is None or layout is None:
            raise ValueError("there is no graph to export yet")
        path = Path(path)
        inputs = [self.model.path]       # never written over: the session file that is open
        if fmt == "sequence":
            return render_sequence(make_scene(graph, layout, options), path.with_suffix(".png"), options, progress,
                                   inputs)
        if path.suffix.lower() != "." + fmt:
            path = path.with_suffix("." + fmt)
        if fmt == "html" and self.model.outcome is not None and self.model.outcome.script:
            return self.export_lesson_page(path, options, progress)
        return export(graph, layout, path, options, progress, inputs)

    def export_lesson_page(self, path, options, progress=None):
        """The open script or lesson as one page: narration, code, and a step player per gradient
        call (the current call as the canvas lays it out, the others laid out afresh); None when
        cancelled, and then nothing is written."""
        from dataclasses import replace
        from ..model.isolation import shared
        from ..model.lesson_page import lesson_pictures, write_lesson_page
        model = self.model
        doc, current = model.document, model.outcome

        def compute(d):
            if d.call == doc.call and current is not None and current.graph is not None:
                return replace(current, layout=model.live_layout())
            return shared().compute(d, model.method, model.direction)

        result = lesson_pictures(doc, compute, progress)
        if result is None:
            return None
        trace, pictures = result
        return write_lesson_page(doc.text, trace, pictures, path, theme=options.theme, title=options.title,
                                 inputs=[model.path])

    def export_dialog(self) -> None:
        """Ask what to export and where, then write it with progress and a way to cancel."""
        from PySide6.QtWidgets import QFileDialog, QProgressDialog
        from .export_dialog import ExportDialog
        if self.outcome is None or self.outcome.graph is None:
            QMessageBox.information(self, "Export", "There is no graph to export yet.")
            return
        dialog = ExportDialog(self, self.settings)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        dialog.remember()
        fmt = dialog.format_key()
        suffix = "png" if fmt == "sequence" else fmt
        folder = str(self.settings.value("export/folder", ""))
        path, _ = QFileDialog.getSaveFileName(self, "Export", f"{folder}/adviz-graph.{suffix}" if folder else f"adviz-graph.{suffix}",
                                              f"{suffix.upper()} files (*.{suffix})")
        if not path:
            return
        self.settings.setValue("export/folder", str(Path(path).parent))
        progress_dialog = QProgressDialog("Exporting…", "Cancel", 0, 100, self)
        progress_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        progress_dialog.setMinimumDuration(300)

        def progress(done: int, total: int) -> bool:
            progress_dialog.setMaximum(total)
            progress_dialog.setValue(done)
            QApplication.processEvents()
            return not progress_dialog.wasCanceled()

        try:
            written = self.export_to(path, fmt, dialog.options(), progress)
            cancelled = progress_dialog.wasCanceled()
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export", f"Could not export: {exc}")
            return
        finally:
            progress_dialog.close()
        if cancelled or not written:
            kept = f" ({len(written)} pictures were written)" if isinstance(written, list) and written else ""
            self.statusBar().showMessage(f"Export cancelled{kept}", 5000)
            return
        self.statusBar().showMessage(f"Exported {path}", 5000)

    def copy_image(self) -> None:
        """The current view, as the canvas shows it, onto the clipboard."""
        image = self.view.viewport().grab().toImage()
        QApplication.clipboard().setImage(image)
        self.statusBar().showMessage("Copied the view as an image", 3000)
