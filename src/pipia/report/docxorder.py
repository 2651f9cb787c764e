"""Property elements in the order the WordprocessingML schema gives them.

Word reads paragraph, run and cell properties as schema sequences and may call a file with them out of
order "unreadable". docxtpl writes some out of order (its RichText puts ``w:color`` before ``w:b``, its
``cellbg`` puts ``w:shd`` before ``w:tcW``), so every rendered document is put back in order.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import nsmap, qn
from lxml import etree

_SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
           "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
           "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
           "cs em lang eastAsianLayout specVanish oMath",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
}
RANKS = {qn(f"w:{owner}"): {qn(f"w:{tag}"): i for i, tag in enumerate(tags.split())}
         for owner, tags in _SEQUENCES.items()}


def out_of_order(element: Any) -> list[str]:
    """Property elements under ``element`` whose children break the schema order (for tests)."""
    found = []
    for tag, rank in RANKS.items():
        for props in element.iter(tag):
            ranks = [rank.get(child.tag, len(rank)) for child in props]
            if ranks != sorted(ranks):
                found.append(f"{tag}: {[child.tag.rsplit('}', 1)[1] for child in props]}")
    return found


# Only a property element with two children or more can be out of order: a report has thousands of
# them and a few hundred such, which XPath finds without making a Python object of every element.
_SEVERAL = etree.XPath(" | ".join(f"descendant-or-self::w:{owner}[*[2]]" for owner in _SEQUENCES),
                       namespaces={"w": nsmap["w"]})


def put_in_order(element: Any) -> None:
    """Reorder the children of every pPr, rPr and tcPr under ``element``; unknown ones go last."""
    for props in _SEVERAL(element):
        rank = RANKS[props.tag]
        children = list(props)
        ordered = sorted(children, key=lambda child: rank.get(child.tag, len(rank)))
        if ordered != children:
            for child in children:
                props.remove(child)
            props.extend(ordered)
