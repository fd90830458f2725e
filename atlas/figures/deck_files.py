"""Take-away files of a committee deck: PowerPoint (editable text, charts as pictures) and PDF.

Both files share one geometry (`layout`: boxes on a 1920×1080 canvas), so a slide looks the same
in PowerPoint, in the PDF and on the projector. Charts are rendered to PNG offline by kaleido
with Debian's chromium, in the process's one kept browser (`chromium`: starting chromium costs
seconds; one per figure would blow the 15 s budget); the PDF is printed by that same browser from an
HTML page of the slides, so its text stays text. Nothing here touches the network.

Both files say what they are: every slide's title sits in the slide's title placeholder (what
PowerPoint's outline, its accessibility checker and screen readers read), and the files carry
their title, Atlas as author, the dates they were made and their language (the PowerPoint's core
properties; the PDF's information dictionary, rewritten with pypdf, since chromium signs it with
its user agent).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from atlas.exports import sources as cited_sources
from atlas.exports.spreadsheets import APP_NAME, LANGUAGE_TAGS
from atlas.figures import chromium
from atlas.figures.charts import EMPTY_TOPOJSON
from atlas.figures.slides import Deck, Slide, slide_sources
from atlas.words.i18n import t

WIDTH, HEIGHT = 1920, 1080  # the canvas, in CSS pixels: a 16:9 slide
MARGIN = 80
TEXT_INSET = 10  # px above and below the sources' text, in PowerPoint and in the PDF alike
INK, MUTED, ACCENT, WARNING = "1a1a1a", "4d4d4d", "08519c", "a63603"
FONT = "Arial"
PNG_SCALE = 1  # the chart boxes are laid out at projector resolution already
# Type sizes in canvas px; a 1280×720 projector shows them at two thirds: the footer at 14.7 px.
FOOTER_SIZE = 22
FIGURE, BIG_FIGURE = 72, 112  # a key figure's value (its label 7/18 of it, its note a third), alone on its slide


@dataclass
class Box:
    """A rectangle of the canvas and what goes in it (`kind`: title, subtitle, figure, lines, chart,
    message, footer); `size` is the font size in canvas pixels."""

    kind: str
    x: int
    y: int
    w: int
    h: int
    text: str = ""
    size: int = 32
    items: tuple = ()
    colour: str = INK
    bold: bool = False


def sources_slide(deck: Deck) -> Slide:
    """The last page of the files: the sources behind the deck, grouped by dataset and kind
    (atlas/exports/sources.py), written for a committee and sized to fit (see `fit_sources`)."""
    groups = cited_sources.summary(deck_cited(deck), deck.lang)
    lines = [line for g in groups for line in ([g.heading] if g.heading else []) + g.lines]
    return Slide("sources", t("presentation.sources_title", deck.lang), lines=lines)


def deck_cited(deck: Deck) -> list:
    """The sources of the datasets the deck's slides show (all of them for a deck of titles only)."""
    shown = {d for s in deck.slides for d in s.datasets}
    return [c for c in deck.cited if c.dataset in shown] if shown else list(deck.cited)


# The sources slide: a text box between the title and a note above the footer. Its text is sized
# by an estimate of Arial's width: a character of these sentences averages 0.45 to 0.50 em on the
# printed PDF (pdftotext's boxes, December 2026), 0.52 leaves a margin for PowerPoint's own
# wrapping. One size for the whole box, so that the groups stay comparable; fewer documents named
# per dataset before a type smaller than SOURCES_SIZES.
SOURCES_TOP, SOURCES_BOTTOM = 170, HEIGHT - 150
SOURCES_SIZES = (28, 26, 24, 22, 20)
SOURCES_MIN = 18
CHAR_EM = 0.52
LINE_HEIGHT = 1.25
HEADING_GAP = 0.5  # em above a dataset's heading (but the first)
BULLET = "• "


def text_height(paragraphs: list[tuple[str, int, float]], width: int) -> float:
    """Estimated height in canvas pixels of `paragraphs` (text, size, em of space above) set in
    `width` pixels, lines wrapped at words."""
    total = 0.0
    for text, size, above in paragraphs:
        per_line = max(1, int(width / (CHAR_EM * size)))
        lines, length = 1, 0
        for word in text.split(" "):
            if length and length + 1 + len(word) > per_line:
                lines, length = lines + 1, len(word)
            else:
                length += (1 if length else 0) + len(word)
        total += above * size + lines * size * LINE_HEIGHT
    return total


def source_paragraphs(groups, size: int) -> list[tuple[str, int, float, bool]]:
    """(text, size, em above, bold) of the sources box: each dataset's heading, then its lines."""
    out = []
    for g in groups:
        if g.heading:
            out.append((g.heading, size, HEADING_GAP if out else 0.0, True))
        out += [(BULLET + line, size, 0.15, False) for line in g.lines]
    return out


def fit_sources(deck: Deck, width: int, height: int) -> tuple[int, list[tuple[str, int, float, bool]]]:
    """The largest type, and most documents named, at which the sources fit `height`."""
    for documents in (4, 3, 2, 1):
        groups = cited_sources.summary(deck_cited(deck), deck.lang, documents_shown=documents)
        for size in SOURCES_SIZES + ((SOURCES_MIN,) if documents == 1 else ()):
            paragraphs = source_paragraphs(groups, size)
            if text_height([(p[0], p[1], p[2]) for p in paragraphs], width) <= height:
                return size, paragraphs
    return SOURCES_MIN, paragraphs[: max(1, int(height // (SOURCES_MIN * LINE_HEIGHT * 1.6)))]


def pages(deck: Deck) -> list[Slide]:
    return [*deck.slides, sources_slide(deck)]


def footer_text(deck: Deck, slide: Slide, number: int, total: int) -> str:
    parts = [deck.footer, slide_sources(slide, deck.lang)]
    if deck.sample:
        parts.append(t("presentation.sample_warning", deck.lang))
    return " · ".join(p for p in parts if p) + f"   {number}/{total}"


def layout(deck: Deck, slide: Slide, number: int, total: int) -> list[Box]:
    """Where everything of `slide` goes on the 1920×1080 canvas."""
    inner = WIDTH - 2 * MARGIN
    boxes = [Box("footer", MARGIN, HEIGHT - 70, inner, 56, footer_text(deck, slide, number, total), FOOTER_SIZE,
                 colour=MUTED)]
    if slide.id == "titre":
        boxes += [
            Box("title", MARGIN, 230, inner, 260, slide.title, 72, bold=True),
            Box("subtitle", MARGIN, 500, inner, 70, slide.subtitle, 44, colour=ACCENT),
            Box("plain", MARGIN, 620, inner, 300, items=tuple(slide.lines), size=34, colour=MUTED),
        ]
        if deck.sample:
            boxes.append(Box("message", MARGIN, 900, inner, 60, t("presentation.sample_warning", deck.lang), 30, colour=WARNING))
        return boxes
    boxes += [Box("title", MARGIN, 40, inner, 150, slide.title, 52, bold=True)]
    y = 190
    if slide.subtitle:
        boxes.append(Box("subtitle", MARGIN, y, inner, 50, slide.subtitle, 28, colour=MUTED))
    y += 70
    if slide.figures and slide.chart is None and not slide.lines and not slide.message:
        # Figures alone (« Chiffres clés »): rows of three at most, larger, filling the slide.
        rows = [slide.figures[i:i + 3] for i in range(0, len(slide.figures), 3)]
        h = (HEIGHT - 90 - y - 40 * (len(rows) - 1)) // len(rows)
        for r, row in enumerate(rows):
            w = (inner - 30 * (len(row) - 1)) // len(row)
            for i, f in enumerate(row):
                boxes.append(Box("figure", MARGIN + i * (w + 30), y + r * (h + 40), w, min(h, 330),
                                 items=(f.label, f.value, f.note), size=BIG_FIGURE))
        return boxes
    if slide.figures:
        n = len(slide.figures)
        gap = 30
        w = (inner - gap * (n - 1)) // n
        for i, f in enumerate(slide.figures):
            boxes.append(Box("figure", MARGIN + i * (w + gap), y, w, 190, items=(f.label, f.value, f.note), size=FIGURE))
        y += 220
    bottom = HEIGHT - 90
    if slide.id == "sources":
        size, paragraphs = fit_sources(deck, inner, SOURCES_BOTTOM - SOURCES_TOP - 2 * TEXT_INSET)
        boxes.append(Box("sources", MARGIN, SOURCES_TOP, inner, SOURCES_BOTTOM - SOURCES_TOP, items=tuple(paragraphs),
                         size=size))
        boxes.append(Box("note", MARGIN, SOURCES_BOTTOM + 10, inner, 50, t("sources.slide_note", deck.lang), 22,
                         colour=MUTED))
        return boxes
    lines_w = 640 if slide.chart is not None and slide.lines else inner
    if slide.chart is not None:
        chart_w = inner - (lines_w + 40 if slide.lines else 0)
        boxes.append(Box("chart", MARGIN, y, chart_w, bottom - y))
    if slide.lines:
        boxes.append(Box("lines", WIDTH - MARGIN - lines_w, y, lines_w, bottom - y, items=tuple(slide.lines),
                         size=30 if slide.chart is not None else 34))
    if slide.message and slide.chart is None and not slide.lines:
        boxes.append(Box("message", MARGIN, y, inner, 80, slide.message, 36, colour=MUTED))
    return boxes


def figure_label(box: Box) -> int:
    return round(box.size * 7 / 18)  # 28 px beside a 72-px value


def figure_note(box: Box) -> int:
    return round(box.size / 3)  # 24 px under a 72-px value


# --- Rendering -------------------------------------------------------------------------------------


def _sized(fig: go.Figure, width: int, height: int) -> go.Figure:
    fig = go.Figure(fig)  # a copy: the slide's figure is also shown on screen
    fig.update_layout(width=width, height=height, paper_bgcolor="white")
    return fig


def _session(figures: list[tuple[go.Figure, int, int]], page_of=None) -> tuple[list[bytes], bytes | None]:
    """Render the figures to PNG, then (with `page_of(images) -> html`) print that page to PDF, in
    the process's one chromium."""

    async def job(k):
        images = [
            await k.calc_fig(_sized(fig, w, h), opts={"format": "png", "width": w, "height": h, "scale": PNG_SCALE},
                             topojson=EMPTY_TOPOJSON)
            for fig, w, h in figures
        ]
        return images, (await _print_pdf(k, page_of(images)) if page_of is not None else None)

    return chromium.run(job)


async def print_html(browser, page: str, what: str, **options) -> bytes:
    """Print the HTML `page` to PDF in the browser kaleido already started (no second chromium).

    `options` are Chrome's Page.printToPDF parameters; `what` names the document in an error."""
    with tempfile.TemporaryDirectory(prefix=f"atlas-{what}-") as tmp:
        path = Path(tmp) / f"{what}.html"
        path.write_text(page, encoding="utf-8")
        tab = await browser.create_tab("")
        try:
            await tab.send_command("Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.navigate", params={"url": path.as_uri()})
            await loaded
            answer = await tab.send_command("Page.printToPDF", params={"printBackground": True, **options})
        finally:
            await browser.close_tab(tab)
    if "error" in answer:
        raise RuntimeError(f"chromium could not print the {what}: {answer['error']}")
    return base64.b64decode(answer["result"]["data"])


async def _print_pdf(browser, page: str) -> bytes:
    return await print_html(browser, page, "deck", preferCSSPageSize=True,
                            marginTop=0, marginBottom=0, marginLeft=0, marginRight=0)


def render_pngs(figures: list[tuple[go.Figure, int, int]]) -> list[bytes]:
    """PNG images of (figure, width, height), rendered in one chromium session."""
    return _session(figures)[0] if figures else []


def figure_png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """One chart as a PNG at presentation resolution (1920×1080 by default)."""
    return render_pngs([(fig, width, height)])[0]


@dataclass
class Files:
    pptx: bytes
    pdf: bytes | None
    seconds: float  # time taken to render and build both


def build_files(deck: Deck, pdf: bool = True, made: dt.datetime | None = None) -> Files:
    """The PowerPoint file and (with `pdf`) the PDF of a deck, built in memory; `made`: the files'
    date (now by default)."""
    started = time.perf_counter()
    made = (made or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    slides = pages(deck)
    layouts = [layout(deck, s, i + 1, len(slides)) for i, s in enumerate(slides)]
    charts = [(s.chart, b.w, b.h) for s, boxes in zip(slides, layouts) for b in boxes if b.kind == "chart"]
    page_of = (lambda images: to_html(layouts, images, deck.lang, file_title(deck))) if pdf else None
    images, pdf_bytes = _session(charts, page_of)
    if pdf_bytes is not None:
        pdf_bytes = with_pdf_metadata(pdf_bytes, deck, made)
    return Files(to_pptx(layouts, images, deck, made), pdf_bytes, time.perf_counter() - started)


def file_title(deck: Deck) -> str:
    """The files' title: the title slide's subtitle (« Point pour le comité, 2021–2026 »), after the
    deck's name when it was saved under one."""
    title = t("presentation.title_slide.subtitle", deck.lang, start=deck.spec.year_from, end=deck.spec.year_to)
    return f"{deck.spec.name} — {title}" if deck.spec.name else title


def file_subject(deck: Deck) -> str:
    return t("presentation.title_slide.title", deck.lang)


# --- PowerPoint ----------------------------------------------------------------------------------

PPTX_LANGUAGES = {"fr": "BELGIAN_FRENCH", "nl": "BELGIAN_DUTCH", "en": "ENGLISH_UK"}


def to_pptx(layouts: list[list[Box]], images: list[bytes], deck: Deck, made: dt.datetime) -> bytes:
    """A 16:9 PowerPoint whose texts are editable, each slide's title in its title placeholder
    (the outline and screen readers find it), charts pictures; its properties say what it is."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Emu, Pt

    px = 12192000 // WIDTH  # EMU per canvas pixel: 1920 px = 13.333 in, the 16:9 standard
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH * px), Emu(HEIGHT * px)
    title_only = next(layout for layout in prs.slide_layouts if layout.name == "Title Only")
    language = getattr(MSO_LANGUAGE_ID, PPTX_LANGUAGES.get(deck.lang, "FRENCH"))
    pictures = iter(images)

    def fill(frame, box: Box, paragraphs: list[tuple], inset: int | None = None):
        """`paragraphs`: (text, size, colour, bold) or (text, size, colour, bold, em above, line height)."""
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        if inset is not None:  # above and below the text; none at its sides, aligned with the title
            frame.margin_top = frame.margin_bottom = Emu(inset * px)
            frame.margin_left = frame.margin_right = Emu(0)
        for i, (text, size, colour, bold, *spacing) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.alignment = PP_ALIGN.LEFT
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.name = Pt(size / 2), bold, FONT  # 1 canvas px = 0.5 pt
            run.font.color.rgb = RGBColor.from_string(colour)
            run.font.language_id = language
            if spacing:
                above, height = spacing
                paragraph.space_before, paragraph.line_spacing = Pt(above * size / 2), Pt(height * size / 2)
            elif size < 40:
                paragraph.space_after = Pt(size / 4)
        return frame

    def text_box(shapes, box: Box, paragraphs: list[tuple], inset: int | None = None):
        shape = shapes.add_textbox(Emu(box.x * px), Emu(box.y * px), Emu(box.w * px), Emu(box.h * px))
        return fill(shape.text_frame, box, paragraphs, inset)

    for boxes in layouts:
        page = prs.slides.add_slide(title_only)
        for box in boxes:
            if box.kind == "chart":
                page.shapes.add_picture(io.BytesIO(next(pictures)), Emu(box.x * px), Emu(box.y * px),
                                        Emu(box.w * px), Emu(box.h * px))
            elif box.kind == "title":
                title = page.shapes.title  # the layout's title placeholder, moved to the box
                title.left, title.top, title.width, title.height = (Emu(v * px) for v in (box.x, box.y, box.w, box.h))
                title.name = "Titre"  # as a person sees it in the selection pane
                fill(title.text_frame, box, [(box.text, box.size, box.colour, box.bold)])
            elif box.kind == "figure":
                label, value, note = box.items
                text_box(page.shapes, box, [(label, figure_label(box), MUTED, False), (value, box.size, ACCENT, True)]
                         + ([(note, figure_note(box), MUTED, False)] if note else []))
            elif box.kind in ("lines", "plain"):
                text_box(page.shapes, box, [(line, box.size, box.colour, False) for line in box.items])
            elif box.kind == "sources":
                text_box(page.shapes, box, [(text, size, INK if bold else MUTED, bold, above, LINE_HEIGHT)
                                            for text, size, above, bold in box.items], inset=TEXT_INSET)
            else:
                text_box(page.shapes, box, [(box.text, box.size, box.colour, box.bold)])
    _pptx_properties(prs, deck, made, len(layouts))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _pptx_properties(prs, deck: Deck, made: dt.datetime, slides: int) -> None:
    """Core properties (File > Info): title, subject, Atlas as author, now, the language; and the
    extended ones that python-pptx's template carried (« Microsoft Macintosh PowerPoint », 4:3)."""
    import re

    when = made.astimezone(dt.UTC).replace(tzinfo=None)  # python-pptx writes naive datetimes as UTC
    core = prs.core_properties
    core.title, core.subject = file_title(deck), file_subject(deck)
    core.author = core.last_modified_by = APP_NAME
    core.created = core.modified = when
    core.revision, core.language = 1, LANGUAGE_TAGS.get(deck.lang, deck.lang)
    core.keywords = core.category = core.comments = ""
    core.content_status = ""
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            xml = part.blob.decode("utf-8")
            xml = re.sub(r"<Application>[^<]*</Application>", f"<Application>{APP_NAME}</Application>", xml)
            xml = re.sub(r"<PresentationFormat>[^<]*</PresentationFormat>", "<PresentationFormat>16:9</PresentationFormat>", xml)
            xml = re.sub(r"<Slides>\d+</Slides>", f"<Slides>{slides}</Slides>", xml)
            part.blob = xml.encode("utf-8")


# --- PDF metadata ----------------------------------------------------------------------------------


def with_pdf_metadata(pdf: bytes, deck: Deck, made: dt.datetime) -> bytes:
    """The PDF with its information dictionary saying what it is (title, subject, Atlas as author
    and creator, the dates) and its language in the catalogue; chromium wrote « Atlas » as title
    and its own user agent as creator."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    # Skia's trailer counts one object less than it writes: pypdf reads it and logs a warning.
    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    finally:
        quiet.setLevel(level)
    stamp = made.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({
        "/Title": file_title(deck), "/Subject": file_subject(deck), "/Author": APP_NAME, "/Creator": APP_NAME,
        "/CreationDate": stamp, "/ModDate": stamp,
    })
    writer._root_object[NameObject("/Lang")] = TextStringObject(LANGUAGE_TAGS.get(deck.lang, deck.lang))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- PDF (HTML printed by chromium) --------------------------------------------------------------


def to_html(layouts: list[list[Box]], images: list[bytes], lang: str, title: str = "Atlas") -> str:
    """The slides as one HTML page per slide, each 1920×1080, ready to print to PDF."""
    pictures = iter(images)

    def style(box: Box) -> str:
        return (f"left:{box.x}px;top:{box.y}px;width:{box.w}px;height:{box.h}px;"
                f"font-size:{box.size}px;color:#{box.colour};font-weight:{'700' if box.bold else '400'}")

    sections = []
    for boxes in layouts:
        parts = []
        for box in boxes:
            if box.kind == "chart":
                data = base64.b64encode(next(pictures)).decode("ascii")
                parts.append(f'<img style="{style(box)}" src="data:image/png;base64,{data}" alt="">')
            elif box.kind == "figure":
                label, value, note = (html.escape(v) for v in box.items)
                parts.append(f'<div class="figure" style="{style(box)}"><div class="label" style="font-size:{figure_label(box)}px">'
                             f'{label}</div><div class="value" style="font-size:{box.size}px">{value}</div>'
                             f'<div class="note" style="font-size:{figure_note(box)}px">{note}</div></div>')
            elif box.kind in ("lines", "plain"):
                items = "".join(f"<li>{html.escape(line)}</li>" for line in box.items)
                parts.append(f'<ul class="{box.kind}" style="{style(box)}">{items}</ul>')
            elif box.kind == "sources":
                items = "".join(
                    f'<p class="{"heading" if bold else "line"}" style="font-size:{size}px;margin-top:{above * size:g}px">'
                    f"{html.escape(text)}</p>" for text, size, above, bold in box.items)
                parts.append(f'<div class="sources" style="{style(box)}">{items}</div>')
            else:
                parts.append(f'<div class="{box.kind}" style="{style(box)}">{html.escape(box.text)}</div>')
        sections.append("<section>" + "".join(parts) + "</section>")
    return f"""<!doctype html><html lang="{LANGUAGE_TAGS.get(lang, lang)}"><head><meta charset="utf-8">
<title>{html.escape(title)}</title><style>
@page {{ size: {WIDTH}px {HEIGHT}px; margin: 0 }}
html, body {{ margin: 0; background: white; font-family: {FONT}, "Liberation Sans", sans-serif; line-height: 1.2 }}
section {{ position: relative; width: {WIDTH}px; height: {HEIGHT}px; overflow: hidden; break-after: page }}
section > * {{ position: absolute; margin: 0; box-sizing: border-box; overflow: hidden }}
ul {{ padding-left: 1.1em }} li {{ margin-bottom: .35em }} ul.plain {{ list-style: none; padding-left: 0 }}
.figure {{ border-left: 8px solid #{ACCENT}; padding-left: 24px }}
.figure .label {{ font-size: 28px; color: #{MUTED} }}
.figure .value {{ font-size: 72px; font-weight: 700; color: #{ACCENT}; margin: 6px 0 }}
.figure .note {{ font-size: 24px; color: #{MUTED} }}
.sources {{ padding: {TEXT_INSET}px 0; line-height: {LINE_HEIGHT} }} .sources p {{ margin: 0 }}
.sources .heading {{ font-weight: 700; color: #{INK} }} .sources .line {{ color: #{MUTED} }}
</style></head><body>{"".join(sections)}</body></html>"""


# --- Writing files -------------------------------------------------------------------------------


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file in the same directory, then a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a committee pack is meant to be shared
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
