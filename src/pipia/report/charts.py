"""The dimension-score chart as a native Word chart: DrawingML bars with the data written inline.

Word and LibreOffice draw the chart themselves from the numbers and labels in the chart part, so it
costs a few kilobytes of XML instead of drawing and compressing a picture (which took most of a report's
time, and seconds per process to import the plotting library). The text is text: Chinese labels show in
the reader's own fonts, print sharp at any size, can be searched and copied, and the chart can be
restyled in Word. A reader that cannot draw charts shows nothing, which is why the table under the chart
gives every value again.

What is built here is plain strings; ``render`` puts the part into the document and prints the run that
refers to it, where the template says ``{{ chart }}``.
"""

from __future__ import annotations

from functools import partial
from html import escape as _escape
from typing import Any

from pipia.i18n import t
from pipia.report.text import clean_text

# &, < and > escaped, as xml.sax.saxutils' escape does: importing that module loads urllib, http and
# email, a tenth of the renderer's start-up.
escape = partial(_escape, quote=False)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
PART_NAME = "/word/charts/chart%d.xml"
BAR = "4A6A8A"
GRID = "DDDDDD"
FONT_HUNDREDTHS_PT = 800  # 8 pt, as the report's table text
WIDTH_EMU = 150 * 36_000  # 150 mm (36,000 English Metric Units to the millimetre): the text width
EMU_PER_INCH = 914_400

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def has_chart(rows: list[dict[str, Any]]) -> bool:
    """Whether the dimension rows (``annex.dimensions`` of the report context) make a chart: at least one
    dimension was scored (its ``value``, a gap score 0–100, is not None)."""
    return any(r.get("value") is not None for r in rows)


def height_emu(rows: list[dict[str, Any]]) -> int:
    """The chart's height in English Metric Units: 0.5 inch of axis and title, 0.42 inch per bar."""
    return round((0.5 + 0.42 * len(rows)) * EMU_PER_INCH)


def chart_part_xml(rows: list[dict[str, Any]], lang: str) -> bytes:
    """The chart part (``c:chartSpace``) for the dimension rows: one horizontal bar per dimension, its gap
    score (0–100, one decimal, as the app and the table show it) at the bar's end, D1 at the top.

    ``rows`` are ``annex.dimensions`` of the report context (``code``, ``label``, ``value`` or None for a
    dimension nothing was answered for: no bar, no number). ``lang`` ("zh"/"en") picks the axis title and
    the chart's language. The labels are cleaned of what XML cannot hold and escaped.
    """
    labels = [_text(f"{r.get('code', '')} {r.get('label', '')}".strip()) for r in rows]
    values = [r.get("value") for r in rows]
    count = len(rows)
    points = "".join(f'<c:pt idx="{i}"><c:v>{label}</c:v></c:pt>' for i, label in enumerate(labels))
    numbers = "".join(f'<c:pt idx="{i}"><c:v>{round(float(v), 1):g}</c:v></c:pt>'
                      for i, v in enumerate(values) if v is not None)
    title = t("zh" if lang == "zh" else "en", "report.chart.axis")
    language = "zh-CN" if lang == "zh" else "en-GB"
    last = count + 1  # rows 2..count+1 of the sheet the references name (the data itself is inline)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}">'
        f'<c:lang val="{language}"/><c:roundedCorners val="0"/>'
        '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        '<c:ser><c:idx val="0"/><c:order val="0"/>'
        f'<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{_text(title)}'
        '</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{BAR}"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>'
        '<c:dLbls><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
        f'{_text_properties()}<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
        '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
        '</c:dLbls>'
        f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f><c:strCache><c:ptCount val="{count}"/>{points}'
        '</c:strCache></c:strRef></c:cat>'
        f'<c:val><c:numRef><c:f>Sheet1!$B$2:$B${last}</c:f><c:numCache><c:formatCode>General</c:formatCode>'
        f'<c:ptCount val="{count}"/>{numbers}</c:numCache></c:numRef></c:val>'
        '</c:ser><c:gapWidth val="60"/><c:axId val="1"/><c:axId val="2"/></c:barChart>'
        # Categories top to bottom (maxMin), with the value axis kept at the bottom (crosses at max).
        '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{_text_properties()}'
        '<c:crossAx val="2"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/><c:max val="100"/><c:min val="0"/>'
        '</c:scaling><c:delete val="0"/><c:axPos val="b"/>'
        f'<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="{GRID}"/></a:solidFill></a:ln>'
        '</c:spPr></c:majorGridlines>'
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{FONT_HUNDREDTHS_PT}" b="0"/>'
        f'</a:pPr><a:r><a:rPr lang="{language}" sz="{FONT_HUNDREDTHS_PT}" b="0"/><a:t>{_text(title)}</a:t></a:r>'
        '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{_text_properties()}'
        '<c:crossAx val="1"/><c:crosses val="max"/><c:crossBetween val="between"/><c:majorUnit val="20"/>'
        '</c:valAx></c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'  # no frame: the figure caption sets it off
        f'{_text_properties()}</c:chartSpace>'
    )
    return xml.encode("utf-8")


def inline_run_xml(relationship_id: str, shape_id: int, rows: list[dict[str, Any]], lang: str) -> str:
    """The run that shows the chart part related as ``relationship_id``, as docxtpl prints an inline image:
    it closes the run the ``{{ chart }}`` tag stood in and opens another for the text after it.

    ``shape_id`` must be unique among the document's drawings (``StoryPart.next_id``).
    """
    name = t("zh" if lang == "zh" else "en", "report.chart.name")
    return (
        '</w:t></w:r><w:r><w:drawing>'
        f'<wp:inline xmlns:wp="{_WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{WIDTH_EMU}" cy="{height_emu(rows)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="{name}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{_A}"><a:graphicData uri="{_C}">'
        f'<c:chart xmlns:c="{_C}" xmlns:r="{_R}" r:id="{escape(relationship_id)}"/>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">'
    )


def _text_properties() -> str:
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{FONT_HUNDREDTHS_PT}"/></a:pPr>'
            '<a:endParaRPr lang="en-GB"/></a:p></c:txPr>')


def _text(text: str) -> str:
    return escape(clean_text(text).replace("\n", " "))
