"""Take-away files of a committee deck: PowerPoint (editable text, charts as pictures) and PDF.

Both files share one geometry (`layout`: boxes on a 1920×1080 canvas), so a slide looks the same
in PowerPoint, in the PDF and on the projector. Charts are rendered to PNG offline by kaleido
with Debian's chromium, all in ONE browser session (starting chromium costs seconds; one
session per figure would blow the 15 s budget); the PDF is printed by that same browser from an
HTML page of the slides, so its text stays text. Nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import base64
import html
import io
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from atlas.figures.charts import EMPTY_TOPOJSON
from atlas.figures.slides import Deck, Slide, slide_sources
from atlas.words.i18n import t

WIDTH, HEIGHT = 1920, 1080  # the canvas, in CSS pixels: a 16:9 slide
MARGIN = 80
INK, MUTED, ACCENT, WARNING = "1a1a1a", "4d4d4d", "08519c", "a63603"
FONT = "Arial"
SOURCES_SHOWN = 24
PNG_SCALE = 1  # the chart boxes are laid out at projector resolution already


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
    """The last page of the files: every source behind the deck (shortened to fit one page)."""
    lines = [s if len(s) <= 150 else s[:149] + "…" for s in deck.sources[:SOURCES_SHOWN]]
    if len(deck.sources) > SOURCES_SHOWN:
        lines.append(t("presentation.sources_more", deck.lang, count=len(deck.sources) - SOURCES_SHOWN))
    return Slide("sources", t("presentation.sources_title", deck.lang), lines=lines)


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
    boxes = [Box("footer", MARGIN, HEIGHT - 70, inner, 56, footer_text(deck, slide, number, total), 20, colour=MUTED)]
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
    if slide.figures:
        n = len(slide.figures)
        gap = 30
        w = (inner - gap * (n - 1)) // n
        for i, f in enumerate(slide.figures):
            boxes.append(Box("figure", MARGIN + i * (w + gap), y, w, 190, items=(f.label, f.value, f.note)))
        y += 220
    bottom = HEIGHT - 90
    if slide.id == "sources":
        boxes.append(Box("lines", MARGIN, y - 40, inner, bottom - y + 40, items=tuple(slide.lines), size=22))
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


# --- Rendering -------------------------------------------------------------------------------------


def _sized(fig: go.Figure, width: int, height: int) -> go.Figure:
    fig = go.Figure(fig)  # a copy: the slide's figure is also shown on screen
    fig.update_layout(width=width, height=height, paper_bgcolor="white")
    return fig


async def _session(figures: list[tuple[go.Figure, int, int]], page_of=None) -> tuple[list[bytes], bytes | None]:
    """Render the figures to PNG, then (with `page_of(images) -> html`) print that page to PDF."""
    import kaleido

    async with kaleido.Kaleido(n=1) as k:
        images = [
            await k.calc_fig(_sized(fig, w, h), opts={"format": "png", "width": w, "height": h, "scale": PNG_SCALE},
                             topojson=EMPTY_TOPOJSON)
            for fig, w, h in figures
        ]
        pdf = await _print_pdf(k, page_of(images)) if page_of is not None else None
    return images, pdf


async def _print_pdf(browser, page: str) -> bytes:
    """Print the HTML `page` to PDF in the browser kaleido already started (no second chromium)."""
    with tempfile.TemporaryDirectory(prefix="atlas-deck-") as tmp:
        path = Path(tmp) / "deck.html"
        path.write_text(page, encoding="utf-8")
        tab = await browser.create_tab("")
        try:
            await tab.send_command("Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.navigate", params={"url": path.as_uri()})
            await loaded
            answer = await tab.send_command("Page.printToPDF", params={
                "printBackground": True, "preferCSSPageSize": True,
                "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0,
            })
        finally:
            await browser.close_tab(tab)
    if "error" in answer:
        raise RuntimeError(f"chromium could not print the deck: {answer['error']}")
    return base64.b64decode(answer["result"]["data"])


def _run(coroutine):
    # Streamlit or a test may already run an event loop in this thread: use a thread of our own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def render_pngs(figures: list[tuple[go.Figure, int, int]]) -> list[bytes]:
    """PNG images of (figure, width, height), rendered in one chromium session."""
    return _run(_session(figures))[0] if figures else []


def figure_png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """One chart as a PNG at presentation resolution (1920×1080 by default)."""
    return render_pngs([(fig, width, height)])[0]


@dataclass
class Files:
    pptx: bytes
    pdf: bytes | None
    seconds: float  # time taken to render and build both


def build_files(deck: Deck, pdf: bool = True) -> Files:
    """The PowerPoint file and (with `pdf`) the PDF of a deck, built in memory."""
    started = time.perf_counter()
    slides = pages(deck)
    layouts = [layout(deck, s, i + 1, len(slides)) for i, s in enumerate(slides)]
    charts = [(s.chart, b.w, b.h) for s, boxes in zip(slides, layouts) for b in boxes if b.kind == "chart"]
    page_of = (lambda images: to_html(layouts, images, deck.lang)) if pdf else None
    images, pdf_bytes = _run(_session(charts, page_of))
    return Files(to_pptx(layouts, images), pdf_bytes, time.perf_counter() - started)


# --- PowerPoint ----------------------------------------------------------------------------------


def to_pptx(layouts: list[list[Box]], images: list[bytes]) -> bytes:
    """A 16:9 PowerPoint whose titles and texts are editable text boxes, charts pictures."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    px = 12192000 // WIDTH  # EMU per canvas pixel: 1920 px = 13.333 in, the 16:9 standard
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(WIDTH * px), Emu(HEIGHT * px)
    blank = prs.slide_layouts[6]
    pictures = iter(images)

    def text_box(shapes, box: Box, paragraphs: list[tuple[str, int, str, bool]]):
        frame = shapes.add_textbox(Emu(box.x * px), Emu(box.y * px), Emu(box.w * px), Emu(box.h * px)).text_frame
        frame.word_wrap = True
        for i, (text, size, colour, bold) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.name = Pt(size / 2), bold, FONT  # 1 canvas px = 0.5 pt
            run.font.color.rgb = RGBColor.from_string(colour)
            if size < 40:
                paragraph.space_after = Pt(size / 4)
        return frame

    for boxes in layouts:
        page = prs.slides.add_slide(blank)
        for box in boxes:
            if box.kind == "chart":
                page.shapes.add_picture(io.BytesIO(next(pictures)), Emu(box.x * px), Emu(box.y * px),
                                        Emu(box.w * px), Emu(box.h * px))
            elif box.kind == "figure":
                label, value, note = box.items
                text_box(page.shapes, box, [(label, 28, MUTED, False), (value, 72, ACCENT, True)]
                         + ([(note, 24, MUTED, False)] if note else []))
            elif box.kind in ("lines", "plain"):
                text_box(page.shapes, box, [(line, box.size, box.colour, False) for line in box.items])
            else:
                text_box(page.shapes, box, [(box.text, box.size, box.colour, box.bold)])
                if box.kind == "title":
                    page.shapes[-1].name = "Titre"  # found by the tests and by a person in the selection pane
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- PDF (HTML printed by chromium) --------------------------------------------------------------


def to_html(layouts: list[list[Box]], images: list[bytes], lang: str) -> str:
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
                parts.append(f'<div class="figure" style="{style(box)}"><div class="label">{label}</div>'
                             f'<div class="value">{value}</div><div class="note">{note}</div></div>')
            elif box.kind in ("lines", "plain"):
                items = "".join(f"<li>{html.escape(line)}</li>" for line in box.items)
                parts.append(f'<ul class="{box.kind}" style="{style(box)}">{items}</ul>')
            else:
                parts.append(f'<div class="{box.kind}" style="{style(box)}">{html.escape(box.text)}</div>')
        sections.append("<section>" + "".join(parts) + "</section>")
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Atlas</title><style>
@page {{ size: {WIDTH}px {HEIGHT}px; margin: 0 }}
html, body {{ margin: 0; background: white; font-family: {FONT}, "Liberation Sans", sans-serif; line-height: 1.2 }}
section {{ position: relative; width: {WIDTH}px; height: {HEIGHT}px; overflow: hidden; break-after: page }}
section > * {{ position: absolute; margin: 0; box-sizing: border-box; overflow: hidden }}
ul {{ padding-left: 1.1em }} li {{ margin-bottom: .35em }} ul.plain {{ list-style: none; padding-left: 0 }}
.figure {{ border-left: 8px solid #{ACCENT}; padding-left: 24px }}
.figure .label {{ font-size: 28px; color: #{MUTED} }}
.figure .value {{ font-size: 72px; font-weight: 700; color: #{ACCENT}; margin: 6px 0 }}
.figure .note {{ font-size: 24px; color: #{MUTED} }}
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
