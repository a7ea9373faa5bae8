"""Colours: WCAG 2.1 contrast of what the site really draws, and the nearest colour that passes.

Material for MkDocs draws the brand's colours in several places, some of them with transparency
(white text at 70 % opacity, a dark film behind the footer). Contrast is measured on the
colours as the browser composites them, so `DRAWN` lists every pair the site draws with a brand
colour, taken from Material's CSS and site_templates/overrides/assets/catalogue.css.
tests/test_brands.py reads those stylesheets and fails if this table and the CSS disagree.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass
from typing import Callable, Mapping

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_HEX_ALPHA = re.compile(r"^#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
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


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(v):02x}" for v in rgb)


def _luminance(rgb) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    a, b = sorted((_luminance(parse(first)), _luminance(parse(second))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def over(colour: str, alpha: float, background: str) -> str:
    """`colour` at `alpha` painted over an opaque `background`, as the browser blends it."""
    top, bottom = parse(colour), parse(background)
    return _hex(t * alpha + b * (1 - alpha) for t, b in zip(top, bottom))


def css_alpha(text: str) -> tuple[str, float]:
    """'#ffffffb3' -> ('#ffffff', 0.70): the colour and its alpha, as CSS writes them."""
    match = _HEX_ALPHA.match(text.strip())
    if not match:
        raise ValueError(text)
    digits = match[1] if len(match[1]) > 4 else "".join(d * 2 for d in match[1])
    return "#" + digits[:6], int(digits[6:] or "ff", 16) / 255


@dataclass(frozen=True)
class Paint:
    """A colour as CSS paints it: a hex colour or a brand field ('primary', 'accent'), with
    its alpha (the alpha of the colour times the element's opacity)."""

    colour: str
    alpha: float = 1.0


@dataclass(frozen=True)
class Drawn:
    """Text the site draws: its paint over a stack of backgrounds, bottom first."""

    what: str  # Danish: which element, and on which screen
    text: Paint
    background: tuple[Paint, ...]
    selector: str  # the element in Material's markup, for the browser test
    viewport: str  # "phone", "desktop" or "both"

    def fields(self) -> set[str]:
        return {p.colour for p in (self.text, *self.background) if not p.colour.startswith("#")}

    def colours(self, brand: Mapping[str, str]) -> tuple[str, str]:
        """The text and background colours the browser ends up with."""
        def solid(paint: Paint) -> str:
            return brand[paint.colour] if paint.colour in brand else paint.colour

        background = WHITE  # the page under everything
        for paint in self.background:
            background = over(solid(paint), paint.alpha, background)
        return over(solid(self.text), self.text.alpha, background), background

    def ratio(self, brand: Mapping[str, str]) -> float:
        return contrast(*self.colours(brand))


PRIMARY, ACCENT = Paint("primary"), Paint("accent")
PAGE = (Paint(WHITE),)
# Material: --md-footer-bg-color #000000de, --md-footer-bg-color--dark #00000052.
FOOTER = (Paint("#000000", 0xDE / 255), Paint("#000000", 0x52 / 255))
# Material draws .md-tabs__link at opacity .7; catalogue.css draws every tab at full strength.
TAB_OPACITY = 1.0

DRAWN: tuple[Drawn, ...] = (
    Drawn("Titlen i sidehovedet", Paint(WHITE), (PRIMARY,),
          ".md-header__title .md-header__topic:first-child .md-ellipsis", "both"),
    Drawn("Faneblade i sidehovedet på computer", Paint(WHITE, TAB_OPACITY), (PRIMARY,),
          ".md-tabs__item:not(.md-tabs__item--active) .md-tabs__link", "desktop"),
    Drawn("Det valgte faneblad i sidehovedet på computer", Paint(WHITE), (PRIMARY,),
          ".md-tabs__item--active .md-tabs__link", "desktop"),
    Drawn("Titlen øverst i menuen på telefon", Paint(WHITE), (PRIMARY,),
          ".md-nav--primary > .md-nav__title[for=__drawer]", "phone"),
    Drawn("Knapper med hovedfarven som baggrund", Paint(WHITE), (PRIMARY,),
          ".md-typeset .md-button--primary", "both"),
    Drawn("Links på hvid baggrund", PRIMARY, PAGE,
          ".md-content .md-typeset a:not(.md-button):not(.headerlink)", "both"),
    Drawn("Den valgte side i menuen", PRIMARY, PAGE,
          ".md-nav__link--active", "both"),
    Drawn("Links, når musen peger på dem eller de har fokus (accentfarven på hvid)", ACCENT,
          PAGE, ".md-typeset a:hover", "both"),
    Drawn("Knapper, når musen peger på dem (hvid tekst på accentfarven)", Paint(WHITE),
          (ACCENT,), ".md-typeset .md-button:hover", "both"),
    Drawn("Overskrifter og links i PDF'erne", PRIMARY, PAGE, "", "print"),
    Drawn("Titler i bokse i PDF'erne (accentfarven på hvid)", ACCENT, PAGE, "", "print"),
    Drawn("Teksten i sidefoden", Paint(WHITE), FOOTER, ".md-copyright", "both"),
)


def nearest_passing(colour: str, against: str = WHITE, ratio: float = AA,
                    passes: Callable[[str], bool] | None = None) -> str:
    """The same hue and saturation, made darker (or lighter) just enough to pass: against one
    background, or by `passes` for a colour drawn in many places."""
    if passes is None:
        def passes(text: str) -> bool:
            return contrast(text, against) >= ratio

    r, g, b = (v / 255 for v in parse(colour))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    for step in range(1, 1001):
        for candidate in (lightness - step / 1000, lightness + step / 1000):
            if 0 <= candidate <= 1:
                text = _hex(v * 255 for v in colorsys.hls_to_rgb(hue, candidate, saturation))
                if passes(text):
                    return text
    return "#000000"


def failing(field: str, brand: Mapping[str, str], ratio: float = AA) -> list[tuple[Drawn, float]]:
    """Every drawn pair that uses the brand colour `field` and is below `ratio`, worst first.
    A pair that also needs a colour `brand` lacks (it was invalid) is left out."""
    found = [(pair, pair.ratio(brand)) for pair in DRAWN
             if field in pair.fields() and pair.fields() <= brand.keys()]
    return sorted(((p, r) for p, r in found if r < ratio), key=lambda item: item[1])


def nearest_passing_for(field: str, brand: Mapping[str, str], ratio: float = AA) -> str:
    """The nearest colour for `field` with which every pair it is drawn in passes."""
    return nearest_passing(brand[field], passes=lambda candidate: not failing(
        field, {**brand, field: candidate}, ratio))
