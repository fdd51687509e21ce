"""Component styles resolved the way Textual draws a widget's own text, and kept legible.

Widgets that paint their lines themselves (the paper list, the sidebar) ask for partial
component styles, and Textual turns a partial colour into a Rich colour without its
alpha: `$text-muted` ("auto 60%") came out pure white in every theme, so read papers
and hints were brighter than the text they should sit behind, or invisible on light
themes. Here a colour with alpha is blended over the widget's background, and made more
opaque where the blend would fall below a contrast floor (WCAG's 4.5:1 for text by
default), so a theme whose colours are dim already stays readable.
"""

from __future__ import annotations

from rich.style import Style
from textual.color import Color
from textual.widget import Widget

TEXT_CONTRAST = 4.5
"""WCAG AA for normal text."""


def luminance(color: Color) -> float:
    """Relative luminance as WCAG 2 defines it."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(one: Color, other: Color) -> float:
    """The WCAG contrast ratio of two opaque colours, from 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def legible(color: Color, background: Color, floor: float) -> Color:
    """`color` over `background`, as transparent as it asks, as opaque as `floor` needs."""
    opaque = color.with_alpha(1)
    alpha = color.a
    blended = background + color
    while alpha < 1 and contrast(blended, background) < floor:
        alpha = min(1.0, alpha + 0.05)
        blended = background + opaque.with_alpha(alpha)
    return blended


def part_style(widget: Widget, name: str, *, floor: float = TEXT_CONTRAST) -> Style:
    """The partial style of component class `name`, its colour opaque and legible."""
    styles = widget.get_component_styles(name)
    style = styles.partial_rich_style
    if not styles.has_rule("color"):
        return style
    color = styles.color
    if color.ansi is not None:
        return style  # ANSI themes leave colours to the terminal
    background = widget.background_colors[1]
    if styles.has_rule("auto_color") and styles.auto_color:
        color = background.get_contrast_text(color.a)
    if color.a >= 1:
        return style
    return style + Style(color=legible(color, background, floor).rich_color)
