"""The console's chart, drawn on the server: questions per day as bars, the answer rate as a line.

:func:`daily_chart` turns ``faqbot report``'s days into the coordinates that
``templates/admin/_chart.html`` writes as inline SVG. No script and no inline
style (the strict CSP allows neither): colours come from ``static/admin.css``
by class, sizes are SVG attributes.
"""
from __future__ import annotations

import math
from datetime import date

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 48, 16, 36


def _nice_max(n: int) -> int:
    """A round number at or above ``n`` for the top of the axis (at least 4)."""
    if n <= 4:
        return 4
    step = 10 ** int(math.log10(n))
    for m in (1, 2, 2.5, 5, 10):
        if m * step >= n:
            return int(math.ceil(m * step))
    return n  # pragma: no cover


def _label(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.day} {d.strftime('%b')}"


def daily_chart(days: list[dict]) -> dict:
    """Bars, rate points and axis ticks for ``days`` (``{"day", "questions", "answered", "rate"}``)."""
    n = max(len(days), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max((d["questions"] for d in days), default=0))
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.7)
    bars, points, segments, current = [], [], [], []
    for i, d in enumerate(days):
        x = LEFT + i * slot
        h = plot_h * d["questions"] / top
        rate = d["rate"]
        tip = (f"{_label(d['day'])}: {d['questions']} question(s), {d['answered']} answered"
               + (f" ({100 * rate:.0f}%)" if rate is not None else ""))
        bars.append({"x": round(x + (slot - bar_w) / 2, 1), "y": round(TOP + plot_h - h, 1),
                     "w": round(bar_w, 1), "h": round(h, 1), "day": d["day"], "questions": d["questions"],
                     "answered": d["answered"], "rate": "" if rate is None else f"{rate:.3f}", "title": tip})
        if rate is None:
            if current:
                segments.append(current)
            current = []
            continue
        point = {"x": round(x + slot / 2, 1), "y": round(TOP + plot_h * (1 - rate), 1), "day": d["day"],
                 "title": tip}
        points.append(point)
        current.append(point)
    if current:
        segments.append(current)
    step = max(1, math.ceil(n / 6))
    x_ticks = [{"x": round(LEFT + i * slot + slot / 2, 1), "label": _label(days[i]["day"])}
               for i in range(0, len(days), step)]
    y_ticks = [{"y": round(TOP + plot_h * (1 - f), 1), "count": round(top * f), "rate": f"{100 * f:.0f}%"}
               for f in (0, 0.5, 1)]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": TOP + plot_h, "bars": bars, "points": points,
        "lines": [" ".join(f"{p['x']},{p['y']}" for p in seg) for seg in segments],
        "x_ticks": x_ticks, "y_ticks": y_ticks, "max": top,
    }
