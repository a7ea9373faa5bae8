"""Colours: WCAG 2.1 contrast, and the nearest colour that reaches a ratio."""

from __future__ import annotations

import colorsys
import re

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
WHITE = "#ffffff"
AA = 4.5


def parse(text: str) -> tuple[int, int, int] | None:
    match = _HEX.match(text.strip())
    if not match:
        return None
    digits = match[1]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))


def _luminance(rgb) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    a, b = sorted((_luminance(parse(first)), _luminance(parse(second))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def nearest_passing(colour: str, against: str = WHITE, ratio: float = AA) -> str:
    """The same hue and saturation, made darker (or lighter) just enough to pass."""
    r, g, b = (v / 255 for v in parse(colour))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    darker = _luminance(parse(against)) > 0.5
    for step in range(1, 101):
        candidate = lightness - step / 100 if darker else lightness + step / 100
        candidate = min(1.0, max(0.0, candidate))
        rgb = colorsys.hls_to_rgb(hue, candidate, saturation)
        text = "#" + "".join(f"{round(v * 255):02x}" for v in rgb)
        if contrast(text, against) >= ratio:
            return text
    return "#000000" if darker else WHITE
