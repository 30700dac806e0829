"""Tiny server-side SVG charts: accessible (title, desc, role=img), no JavaScript, no CDN."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

W, H, PAD = 640, 220, 36


def _scale(values: Sequence[float]) -> float:
    top = max([*values, 1.0])
    return (H - 2 * PAD) / top


def line_with_band(
    title: str,
    actual: Sequence[float],
    point: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
) -> str:
    """Actual history (solid), forecast (dashed) and its interval (shaded band)."""
    n = len(actual) + len(point)
    k = _scale([*actual, *upper])
    step = (W - 2 * PAD) / max(n - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{PAD + i * step:.1f},{H - PAD - v * k:.1f}"

    start = len(actual)
    band = [xy(start + i, v) for i, v in enumerate(upper)]
    band += [xy(start + i, v) for i, v in reversed(list(enumerate(lower)))]
    hist = " ".join(xy(i, v) for i, v in enumerate(actual))
    fut = " ".join(xy(start + i, v) for i, v in enumerate(point))
    return _svg(
        title,
        f'<polygon points="{" ".join(band)}" fill="#9ecae1" opacity="0.5"/>'
        f'<polyline points="{hist}" fill="none" stroke="#08519c" stroke-width="2"/>'
        f'<polyline points="{fut}" fill="none" stroke="#08519c" stroke-dasharray="6 4"'
        ' stroke-width="2"/>',
    )


def bars(title: str, items: Sequence[tuple[str, float]]) -> str:
    """Horizontal bars with their labels and values written out."""
    k = (W - 220) / max([v for _, v in items] + [1.0])
    rows = []
    for i, (label, value) in enumerate(items[:8]):
        y = PAD + i * 22
        rows.append(
            f'<text x="8" y="{y + 14}" font-size="13">{escape(label)}</text>'
            f'<rect x="180" y="{y}" width="{value * k:.1f}" height="16" fill="#3182bd"/>'
            f'<text x="{186 + value * k:.1f}" y="{y + 14}" font-size="12">{value:g}</text>'
        )
    return _svg(title, "".join(rows))


def _svg(title: str, body: str) -> str:
    t = escape(title)
    return (
        f'<svg role="img" aria-label="{t}" viewBox="0 0 {W} {H}" width="{W}" height="{H}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        f'<rect width="{W}" height="{H}" fill="#fff" stroke="#ccc"/>{body}</svg>'
    )
