"""The load report's chart: p50/p95 latency against data size for the finder and the registry, as plain SVG."""

from pathlib import Path

SERIES = [
    ("/services/?q= (finder search)", "finder search", "#1f5fa8"),
    ("/organisations/ (page 2)", "registry list", "#b5471b"),
    ("/healthz (floor)", "/healthz", "#6b6b6b"),
]
W, H, LEFT, BOTTOM, TOP, RIGHT = 640, 360, 60, 50, 30, 170


def write_svg(runs: list[dict], path: Path) -> None:
    sizes = [r["organisations"] for r in runs]
    values = [
        r["requests"].get(name, {}).get(pct) or 0
        for r in runs
        for name, _l, _c in SERIES
        for pct in ("p50_ms", "p95_ms")
    ]
    top = max(values + [1]) * 1.1
    x_span = max(len(sizes) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * (W - LEFT - RIGHT) / x_span

    def y(v: float) -> float:
        return H - BOTTOM - v / top * (H - BOTTOM - TOP)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img" '
        'aria-labelledby="t"><title id="t">Latency (p50 solid, p95 dashed) against data size</title>',
        f'<rect width="{W}" height="{H}" fill="#fff"/>',
        f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}" stroke="#000"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{H - BOTTOM}" stroke="#000"/>',
        f'<text x="{(W - RIGHT + LEFT) / 2}" y="{H - 12}" text-anchor="middle" font-size="12">organisations</text>',
        f'<text x="14" y="{TOP - 10}" font-size="12">ms</text>',
    ]
    for k in range(5):
        v = top * k / 4
        parts.append(f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v:.0f}</text>')
        parts.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{W - RIGHT}" y2="{y(v):.1f}" stroke="#ddd"/>')
    for i, size in enumerate(sizes):
        parts.append(f'<text x="{x(i):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" font-size="11">{size:,}</text>')
    for row, (name, label, colour) in enumerate(SERIES):
        for pct, dash in (("p50_ms", ""), ("p95_ms", ' stroke-dasharray="5,4"')):
            points = " ".join(
                f"{x(i):.1f},{y(r['requests'].get(name, {}).get(pct) or 0):.1f}" for i, r in enumerate(runs)
            )
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        ly = TOP + 20 + row * 22
        parts.append(f'<line x1="{W - RIGHT + 15}" y1="{ly}" x2="{W - RIGHT + 40}" y2="{ly}" stroke="{colour}" '
                     'stroke-width="2"/>')  # fmt: skip
        parts.append(f'<text x="{W - RIGHT + 46}" y="{ly + 4}" font-size="12">{label}</text>')
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n")
