"""Theme names are defined once, without Qt; the canvas has a palette for each."""
from __future__ import annotations

from adviz.model import THEME_SETTINGS, THEME_TITLES, THEMES
from adviz.model.themes import THEME_BY_NAME
from adviz.ui import export_dialog, theme


def test_every_theme_name_has_a_palette_a_title_and_a_setting() -> None:
    assert set(THEME_BY_NAME) == set(THEMES) == set(THEME_TITLES)
    assert all(theme.theme_named(name).name == name for name in THEMES)
    assert THEME_SETTINGS == ("system",) + THEMES
    assert [key for key, _ in export_dialog.THEME_CHOICES] == ["current", *THEMES]
