"""The page's colours are the canvas's: one theme definition serves both."""
from adviz.model.page import theme_colours as _colours
from adviz.model.themes import THEME_BY_NAME
from adviz.ui.theme import theme_named


def test_page_and_canvas_read_one_theme():
    for name in THEME_BY_NAME:
        assert theme_named(name) is THEME_BY_NAME[name]
        colours = _colours(name)
        assert colours["background"] == theme_named(name).background
        assert colours["fills"] == theme_named(name).fills
