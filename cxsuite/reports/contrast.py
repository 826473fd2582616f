"""Colour contrast (WCAG 2.x): text a reader can read whatever colours a tenant brands with.

A tenant picks any primary and accent colour; used as text or as a background behind white text
they can fall below the 4.5 : 1 contrast WCAG asks for body text. The report never prints text
in a raw brand colour: :func:`readable` darkens or lightens the colour, keeping its hue, until it
reaches the ratio against the background it sits on. The heat map's level ramp is chosen by
luminance (:func:`with_luminance`), so its steps stay apart in greyscale and for colour-blind
readers, and its labels stay readable.
"""

from __future__ import annotations

MINIMUM = 4.5
WHITE, BLACK = "#ffffff", "#000000"


def _channels(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def mix(colour: str, other: str, share: float) -> str:
    """``share`` of ``other`` blended into ``colour`` (both ``#rrggbb``)."""
    a, b = _channels(colour), _channels(other)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def luminance(colour: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour, 0 (black) to 1 (white)."""
    linear = [c / 255 for c in _channels(colour)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in linear]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: str, background: str, minimum: float = MINIMUM) -> str:
    """``colour`` itself when it reaches ``minimum`` on ``background``, else the least change
    towards black or white (whichever the background calls for) that does."""
    if contrast(colour, background) >= minimum:
        return colour
    towards = BLACK if luminance(background) > 0.18 else WHITE
    for step in range(1, 101):
        candidate = mix(colour, towards, step / 100)
        if contrast(candidate, background) >= minimum:
            return candidate
    return towards


def with_luminance(colour: str, target: float) -> str:
    """``colour`` mixed with white or black until its luminance is ``target`` (hue kept)."""
    towards = WHITE if target > luminance(colour) else BLACK
    low, high = 0.0, 1.0
    for _ in range(30):
        middle = (low + high) / 2
        if (luminance(mix(colour, towards, middle)) < target) == (towards == WHITE):
            low = middle
        else:
            high = middle
    return mix(colour, towards, (low + high) / 2)


def ink_for(fill: str, dark: str, light: str = WHITE) -> str:
    """The text colour (``dark`` or ``light``) with the higher contrast on ``fill``."""
    return dark if contrast(dark, fill) >= contrast(light, fill) else light
