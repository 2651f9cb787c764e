"""The dimension-score chart: a matplotlib (Agg) PNG, with a Chinese font when the machine has one.

Without a CJK font matplotlib draws Chinese as empty boxes. So the font is looked for once; when none is
installed, a Chinese chart labels its bars with the dimension codes (D1, D2, …) that the table under the
chart explains, rather than printing boxes. Only ``matplotlib.figure.Figure`` is used, never pyplot's
global state, so charts can be drawn from several threads.

The chart is drawn once, at a resolution that prints sharp at its 150 mm width (150 dpi) and with its
left margin worked out from the labels rather than by ``tight_layout`` (which draws the whole figure a
second time to measure it). matplotlib is imported on the first chart, not with this module: its import
takes seconds, which a command that makes no report should not pay.
"""

from __future__ import annotations

import io
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

# Font files and the family each provides, best first. Noto CJK's first face is the Japanese one, so
# the Simplified Chinese family is selected by name.
CJK_FONTS = (
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("NotoSansCJKsc-Regular.otf", "Noto Sans CJK SC"),
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    ("wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
    ("SourceHanSansSC-Regular.otf", "Source Han Sans SC"),
)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"),
             str(Path.home() / ".local/share/fonts"))
BAR = "#4A6A8A"
DPI = 150
WIDTH_IN = 6.3
FONT_PT = 8


@cache
def cjk_family() -> str | None:
    """The family name of an installed CJK font, registered with matplotlib; None when there is none."""
    from matplotlib import font_manager  # noqa: PLC0415 - see the module's docstring

    for folder in FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for filename, family in CJK_FONTS:
            for path in sorted(root.rglob(filename)):
                font_manager.fontManager.addfont(str(path))
                if any(f.name == family for f in font_manager.fontManager.ttflist):
                    return family
    return None


def preload() -> None:
    """Import matplotlib and find the CJK font now (a batch does this once before its workers start)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401, PLC0415
    from matplotlib.figure import Figure  # noqa: F401, PLC0415

    cjk_family()


def dimension_chart(rows: list[dict[str, Any]], lang: str, use_cjk: bool = True) -> bytes | None:
    """Horizontal bars of each dimension's gap score (0–100); None when no dimension was scored.

    ``use_cjk=False`` draws the fallback even where a CJK font is installed (for tests).
    """
    if not any(r.get("value") is not None for r in rows):
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - see the module's docstring
    from matplotlib.figure import Figure  # noqa: PLC0415

    family = cjk_family() if use_cjk else None
    labels = [_label(r, lang, family is not None) for r in rows]
    height = 0.5 + 0.42 * len(rows)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
    FigureCanvasAgg(figure)
    left = min(0.6, (label_width(labels) + 0.25) / WIDTH_IN)
    figure.subplots_adjust(left=left, right=0.97, top=1 - 0.12 / height, bottom=0.4 / height)
    axes = figure.add_subplot()
    values = [r["value"] if r.get("value") is not None else 0 for r in rows]
    positions = list(range(len(rows)))[::-1]
    axes.barh(positions, values, color=BAR, height=0.6)
    for y, row, value in zip(positions, rows, values, strict=True):
        text = "—" if row.get("value") is None else f"{round(value, 1):g}"  # as the app and the table show it
        axes.text(value + 1.2, y, text, va="center", fontsize=FONT_PT)
    axes.set_yticks(positions)
    axes.set_yticklabels(labels, fontsize=FONT_PT, family=family or "DejaVu Sans")
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_xlim(0, 105)
    axes.set_xticks([0, 20, 40, 60, 80, 100])
    axes.tick_params(axis="x", labelsize=8)
    title = ("差距得分（0–100，越高风险越大）" if family else "Gap score (0-100, higher = riskier)") if lang == "zh" \
        else "Gap score (0–100, higher means a larger gap)"
    axes.set_xlabel(title, fontsize=FONT_PT, family=family or "DejaVu Sans")
    axes.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def label_width(labels: list[str]) -> float:
    """Inches the widest line of ``labels`` takes at the chart's font size: a Chinese character is about
    one em wide, other characters about 0.6 em (a generous average for the sans fonts used)."""
    widest = max((sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in line)
                  for label in labels for line in label.split("\n")), default=0.0)
    return widest * FONT_PT / 72


def _label(row: dict[str, Any], lang: str, has_cjk: bool) -> str:
    label = str(row.get("label", ""))
    if not has_cjk and not label.isascii():
        return str(row["code"])  # the table under the chart names each code
    width = 18 if lang == "zh" else 34
    wrapped = "\n".join(textwrap.wrap(label, width)) if lang == "en" else _wrap_cjk(label, width)
    return f"{row['code']} {wrapped}"


def _wrap_cjk(text: str, width: int) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))
