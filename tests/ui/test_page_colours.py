"""The page's colours are the canvas's: a theme changed in one place shows in both."""
from adviz.model.page import THEMES
from adviz.ui.theme import theme_named


def test_page_themes_match_the_canvas_themes():
    for name, colours in THEMES.items():
        theme = theme_named(name)
        for key, value in colours.items():
            assert getattr(theme, key) == value, (name, key)
