"""The country briefing note as files: Word (python-docx, editable), PDF (the same note as HTML,
printed by the chromium that kaleido starts for the charts) and Excel (one sheet per table).

All three are A4 with 20 mm margins: every table has fixed column widths that add up to no more
than the text width (briefing.TEXT_WIDTH_MM), so no table runs off the page, and long words wrap
inside their cell. Charts are rendered to PNG offline by kaleido in the process's one kept
chromium (`chromium`), which then prints the PDF. Nothing here touches the network.
"""

from __future__ import annotations

import base64
import html
import io
import math
import time
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from atlas.exports import spreadsheets
from atlas.figures import chromium
from atlas.figures.briefing import TEXT_WIDTH_MM, Briefing, Column, Table
from atlas.figures.charts import EMPTY_TOPOJSON
from atlas.figures.deck_files import print_html
from atlas.words.i18n import plural, t

PAGE_MM = (210, 297)  # A4
MARGIN_MM = 20
CHART_PX = (900, 360)  # drawn at this size, shown 170 mm wide: the figures' 14 px type reads as ~7.5 pt
CHART_SCALE = 2  # sharp in print
FONT = "Arial"
INK, MUTED, ACCENT, WARNING = "1a1a1a", "4d4d4d", "08519c", "a63603"
SOURCES_SHOWN = 40  # lines of the last page
FORMATS = {".docx": "docx", ".pdf": "pdf", ".xlsx": "xlsx"}
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Files:
    docx: bytes | None
    pdf: bytes | None
    xlsx: bytes | None
    seconds: float


def file_name(briefing: Briefing, kind: str) -> str:
    return f"fiche-pays-{briefing.iso3}-{briefing.lang}.{kind}"


def build_files(briefing: Briefing, kinds: tuple[str, ...] = ("docx", "pdf", "xlsx")) -> Files:
    """The note in each of `kinds`, built in memory; charts rendered once for Word and PDF."""
    started = time.perf_counter()
    images: list[bytes] = []
    pdf = None
    if "docx" in kinds or "pdf" in kinds:
        figures = [s.chart for s in briefing.charts]
        page_of = (lambda imgs: to_html(briefing, imgs)) if "pdf" in kinds else None
        images, pdf = _session(figures, page_of)
    return Files(
        to_docx(briefing, images) if "docx" in kinds else None, pdf,
        to_xlsx(briefing) if "xlsx" in kinds else None, time.perf_counter() - started,
    )


# --- Charts and printing (one chromium session) --------------------------------------------------


def _printable(fig: go.Figure) -> go.Figure:
    fig = go.Figure(fig)  # a copy: the page shows the same figure
    fig.update_layout(title_text=None, width=CHART_PX[0], height=CHART_PX[1], paper_bgcolor="white",
                      margin={"l": 10, "r": 20, "t": 40, "b": 10})
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def _session(figures: list[go.Figure], page_of=None) -> tuple[list[bytes], bytes | None]:
    async def job(k):
        images = [
            await k.calc_fig(_printable(fig), opts={"format": "png", "width": CHART_PX[0], "height": CHART_PX[1],
                                                    "scale": CHART_SCALE}, topojson=EMPTY_TOPOJSON)
            for fig in figures
        ]
        return images, (await _print_pdf(k, page_of(images)) if page_of is not None else None)

    return chromium.run(job)


FOOTER_TEMPLATE = ('<div style="width:100%;font:9px Arial,sans-serif;color:#4d4d4d;margin:0 {m}mm;'
                   'display:flex;justify-content:space-between"><span>{left}</span>'
                   '<span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>')


async def _print_pdf(browser, page: str) -> bytes:
    """Print the HTML `page` on A4, with its footer, in the browser kaleido already started."""
    inches = MARGIN_MM / 25.4
    return await print_html(
        browser, page, "briefing", paperWidth=PAGE_MM[0] / 25.4, paperHeight=PAGE_MM[1] / 25.4,
        marginTop=inches, marginBottom=inches, marginLeft=inches, marginRight=inches,
        displayHeaderFooter=True, headerTemplate="<span></span>",
        footerTemplate=FOOTER_TEMPLATE.format(m=MARGIN_MM, left=_footer_of(page)),
    )


def _footer_of(page: str) -> str:
    start = page.index('<meta name="footer" content="') + len('<meta name="footer" content="')
    return page[start:page.index('"', start)]


def footer_text(briefing: Briefing) -> str:
    parts = ["Atlas", briefing.title]
    if briefing.sample:
        parts.append(t("presentation.sample_warning", briefing.lang))
    return " · ".join(parts)


# --- Word -------------------------------------------------------------------------------------------


def to_docx(briefing: Briefing, images: list[bytes]) -> bytes:
    """An editable A4 Word document: headings, paragraphs, fixed-width tables, charts as pictures."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor, Twips

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    for style in ("Title", "Heading 1", "Heading 2"):
        doc.styles[style].font.name = FONT
    doc.core_properties.title = briefing.title
    doc.core_properties.language = briefing.lang

    def para(text: str, size: float | None = None, colour: str | None = None, bold: bool = False, style=None):
        p = doc.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
        return p

    def fixed_table(columns, rows, header: bool = True, size: float = 8.5):
        table = doc.add_table(rows=0, cols=len(columns))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False  # w:tblLayout fixed: Word keeps these widths instead of fitting the content
        # Whole twips rounded down (Word's unit): rounded to nearest, 30 + 70 + 70 mm came to 1 twip over 170 mm.
        widths = [Twips(math.floor(Mm(c.width_mm).emu / 635)) for c in columns]
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(int(width.twips)))
        width_el = table._tbl.tblPr.find(qn("w:tblW"))
        if width_el is None:
            width_el = OxmlElement("w:tblW")
            table._tbl.tblPr.append(width_el)
        width_el.set(qn("w:type"), "dxa")
        width_el.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
        lines = ([[c.label for c in columns]] if header else []) + rows
        for r, values in enumerate(lines):
            cells = table.add_row().cells
            for cell, value, column, width in zip(cells, values, columns, widths):
                cell.width = width
                p = cell.paragraphs[0]
                run = p.add_run(str(value))
                run.font.size = Pt(size)
                run.bold = header and r == 0
                if column.numeric:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if header and r == 0:  # the header row repeats on each page a table spans
                tr_pr = table.rows[0]._tr.get_or_add_trPr()
                repeat = OxmlElement("w:tblHeader")
                repeat.set(qn("w:val"), "true")
                tr_pr.append(repeat)
        return table

    doc.add_heading(briefing.title, level=0)
    para(briefing.subtitle, 10, MUTED)
    if briefing.sample:
        para(t("presentation.sample_warning", briefing.lang), 10, WARNING, bold=True)
    doc.add_heading(t("briefing.key_figures", briefing.lang), level=1)
    third = math.floor(TEXT_WIDTH_MM / 3 * 10) / 10  # rounded down: three thirds never exceed the text width
    cells = [f"{label}\n{value}" for label, value in briefing.key_figures]
    grid_rows = [cells[i:i + 3] + [""] * (3 - len(cells[i:i + 3])) for i in range(0, len(cells), 3)]
    fixed_table([Column("", third)] * 3, grid_rows, header=False, size=10)
    para(briefing.status, 10)
    para(briefing.context, 9, MUTED)

    pictures = iter(images)
    for part in briefing.sections:
        doc.add_heading(part.title, level=1)
        for text in part.paragraphs:
            para(text)
        if part.chart is not None:
            para(part.chart_title, 10, bold=True)
            doc.add_picture(io.BytesIO(next(pictures)), width=Mm(TEXT_WIDTH_MM))
        if part.table is not None:
            fixed_table(part.table.columns, part.table.rows)
            if part.table.more:
                para(part.table.more, 9, MUTED)

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(t("briefing.sources", briefing.lang), level=1)
    para(briefing.version_line)
    if briefing.sample:
        para(t("presentation.sample_warning", briefing.lang), 10, WARNING, bold=True)
    for line in _source_lines(briefing):
        para(line, 9, style="List Bullet")

    footer = section.footer.paragraphs[0]
    run = footer.add_run(footer_text(briefing) + " · " + t("briefing.page", briefing.lang) + " ")
    run.font.size = Pt(8)
    _page_field(footer.add_run(), OxmlElement, qn)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_field(run, OxmlElement, qn) -> None:
    """A PAGE field: Word writes the page number."""
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _source_lines(briefing: Briefing) -> list[str]:
    lines = [s if len(s) <= 320 else s[:319] + "…" for s in briefing.sources[:SOURCES_SHOWN]]
    if len(briefing.sources) > SOURCES_SHOWN:
        rest = len(briefing.sources) - SOURCES_SHOWN
        lines.append(plural("briefing.sources_more", rest, briefing.lang, n=rest))
    return lines or [t("briefing.no_sources", briefing.lang)]



# --- PDF (HTML printed by chromium) -----------------------------------------------------------------


def to_html(briefing: Briefing, images: list[bytes]) -> str:
    """The note as one HTML page that chromium prints on A4 (margins come from the print call)."""
    e = html.escape
    pictures = iter(images)

    def table(tab: Table, header: bool = True, cls: str = "") -> str:
        cols = "".join(f'<col style="width:{c.width_mm}mm">' for c in tab.columns)
        head = ("<thead><tr>" + "".join(f'<th class="{"num" if c.numeric else ""}">{e(c.label)}</th>'
                                        for c in tab.columns) + "</tr></thead>") if header else ""
        body = "".join("<tr>" + "".join(f'<td class="{"num" if c.numeric else ""}">{e(str(v))}</td>'
                                        for c, v in zip(tab.columns, row)) + "</tr>" for row in tab.rows)
        width = sum(c.width_mm for c in tab.columns)
        more = f'<p class="more">{e(tab.more)}</p>' if tab.more else ""
        return f'<table class="{cls}" style="width:{width}mm"><colgroup>{cols}</colgroup>{head}<tbody>{body}</tbody></table>{more}'

    parts = [f"<h1>{e(briefing.title)}</h1>", f'<p class="muted">{e(briefing.subtitle)}</p>']
    if briefing.sample:
        parts.append(f'<p class="warning">{e(t("presentation.sample_warning", briefing.lang))}</p>')
    parts.append(f"<h2>{e(t('briefing.key_figures', briefing.lang))}</h2>")
    third = math.floor(TEXT_WIDTH_MM / 3 * 10) / 10
    figures = "".join(f'<td><div class="label">{e(label)}</div><div class="value">{e(value)}</div></td>'
                      + ("</tr><tr>" if i % 3 == 2 and i + 1 < len(briefing.key_figures) else "")
                      for i, (label, value) in enumerate(briefing.key_figures))
    cols = "".join(f'<col style="width:{third}mm">' for _ in range(3))
    parts.append(f'<table class="figures" style="width:{3 * third}mm"><colgroup>{cols}</colgroup><tr>{figures}</tr></table>')
    parts.append(f"<p>{e(briefing.status)}</p>")
    parts.append(f'<p class="muted">{e(briefing.context)}</p>')
    for part in briefing.sections:
        block = [f"<h2>{e(part.title)}</h2>"] + [f"<p>{e(x)}</p>" for x in part.paragraphs]
        if part.chart is not None:
            data = base64.b64encode(next(pictures)).decode("ascii")
            block.append(f'<figure><figcaption>{e(part.chart_title)}</figcaption>'
                         f'<img src="data:image/png;base64,{data}" alt="{e(part.chart_title)}"></figure>')
        if part.table is not None:
            block.append(table(part.table))
        parts.append("<section>" + "".join(block) + "</section>")
    sources = "".join(f"<li>{e(line)}</li>" for line in _source_lines(briefing))
    last = [f"<h2>{e(t('briefing.sources', briefing.lang))}</h2>", f"<p>{e(briefing.version_line)}</p>"]
    if briefing.sample:
        last.append(f'<p class="warning">{e(t("presentation.sample_warning", briefing.lang))}</p>')
    parts.append('<section class="last">' + "".join(last) + f'<ul class="sources">{sources}</ul></section>')
    return f"""<!doctype html><html lang="{briefing.lang}"><head><meta charset="utf-8">
<meta name="footer" content="{e(footer_text(briefing))}"><title>{e(briefing.title)}</title><style>
html, body {{ margin: 0; padding: 0; background: white; color: #{INK};
  font-family: {FONT}, "Liberation Sans", sans-serif; font-size: 10pt; line-height: 1.3 }}
body {{ width: {TEXT_WIDTH_MM}mm }}
h1 {{ font-size: 20pt; margin: 0 0 2mm; color: #{ACCENT} }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; color: #{ACCENT}; break-after: avoid }}
p {{ margin: 0 0 2mm }}
.muted, .more {{ color: #{MUTED} }} .more {{ font-size: 8.5pt }}
.warning {{ color: #{WARNING}; font-weight: 700 }}
table {{ table-layout: fixed; border-collapse: collapse; margin: 0 0 2mm; font-size: 8.5pt }}
th, td {{ border: 0.3mm solid #bdbdbd; padding: 1mm 1.2mm; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; word-break: normal; hyphens: auto }}
th {{ background: #eef3fa }}
thead {{ display: table-header-group }} tr {{ break-inside: avoid }}
.num {{ text-align: right }}
table.figures td {{ border: none; border-left: 1mm solid #{ACCENT}; padding: 1mm 3mm }}
table.figures .label {{ color: #{MUTED}; font-size: 8.5pt }} table.figures .value {{ font-size: 13pt; font-weight: 700 }}
figure {{ margin: 0 0 3mm; break-inside: avoid }} figcaption {{ font-weight: 700; margin-bottom: 1mm }}
figure img {{ width: {TEXT_WIDTH_MM}mm; display: block }}
section.last {{ break-before: page }}
ul.sources {{ font-size: 8.5pt; padding-left: 5mm; overflow-wrap: anywhere }}
</style></head><body>{"".join(parts)}</body></html>"""


# --- Excel ------------------------------------------------------------------------------------------


def _sheet_title(text: str, taken: set[str]) -> str:
    clean = "".join(" " if c in "[]:*?/\\" else c for c in text)[:31].strip() or "données"
    title, n = clean, 2
    while title.lower() in taken:
        title = f"{clean[:28]} {n}"
        n += 1
    taken.add(title.lower())
    return title


def _plain(value):
    """Missing values as empty cells (openpyxl writes NaN as an error cell)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_xlsx(briefing: Briefing) -> bytes:
    """One sheet per table of the note, every row (not only those the note lists), numbers as numbers;
    text neutralised by atlas/exports/spreadsheets.py (no cell read as a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    tables = sorted(briefing.tables, key=lambda tab: tab.sheet != "key_figures")  # key figures first
    for tab in tables:
        sheet = book.create_sheet(_sheet_title(t(f"briefing.sheet.{tab.sheet}", briefing.lang), taken))
        data = tab.data if tab.data is not None else pd.DataFrame(tab.rows, columns=[c.label for c in tab.columns])
        if tab.sheet == "key_figures":
            sheet.append(spreadsheets.excel_row([briefing.title]))
            sheet.append(spreadsheets.excel_row([briefing.subtitle]))
            if briefing.sample:
                sheet.append(spreadsheets.excel_row([t("presentation.sample_warning", briefing.lang)]))
            sheet.append([])
        out = spreadsheets.prepare(data, briefing.lang)
        sheet.append(spreadsheets.excel_row(out.columns))
        for row in out.itertuples(index=False):
            sheet.append(spreadsheets.excel_row([_plain(v) for v in row]))
        for i, column in enumerate(out.columns):
            longest = max([len(str(column))] + [len(str(v)) for v in out.iloc[:200, i] if _plain(v) is not None])
            sheet.column_dimensions[sheet.cell(row=1, column=i + 1).column_letter].width = min(60, max(10, longest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
