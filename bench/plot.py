"""A latency-over-time plot as plain SVG (one colour per load kind); no plotting library."""

from __future__ import annotations

COLOURS = ("#1f5fa8", "#c2571a", "#2e8b57", "#8e44ad")


def svg_plot(series: dict[str, list[tuple[float, float]]], title: str) -> str:
    """Latency (ms) over time (s) as a scatter, with a legend naming each series."""
    width, height, pad = 800, 360, 50
    points = [p for ps in series.values() for p in ps] or [(0.0, 0.0)]
    max_t = max(p[0] for p in points) or 1.0
    max_ms = max(p[1] for p in points) or 1.0

    def x(t: float) -> float:
        return pad + (width - 2 * pad) * t / max_t

    def y(ms: float) -> float:
        return height - pad - (height - 2 * pad) * ms / max_ms

    dots, legend = [], []
    for n, (name, ps) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        dots += [
            f'<circle cx="{x(t):.1f}" cy="{y(ms):.1f}" r="1.5" fill="{colour}"/>' for t, ms in ps
        ]
        legend.append(
            f'<text x="{width - pad - 120}" y="{pad + 16 * n}" font-size="12" '
            f'fill="{colour}">● {name}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#333"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#333"/>'
        f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle" font-size="13">'
        f"seconds since start (max {max_t:.0f})</text>"
        f'<text x="14" y="{pad - 14}" font-size="13">end-to-end ms (max {max_ms:.0f})</text>'
        f"{''.join(dots)}{''.join(legend)}</svg>"
    )
