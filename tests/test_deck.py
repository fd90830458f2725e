"""Take-away files: the PowerPoint has the chosen slides with their titles and figures, the PDF
renders to PNG pages (saved in tests/artifacts/ to be looked at), the command line writes both
whole or not at all."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys

import pytest
from pptx import Presentation

from atlas import writes
from atlas.figures import deck_files as deck
from atlas.figures import slides
from atlas.store import ROOT, runner

from browser import ARTIFACTS

TODAY = dt.date(2026, 11, 23)


def texts(pptx_slide) -> list[str]:
    return [shape.text_frame.text.replace("\u202f", " ").replace("\xa0", " ")
            for shape in pptx_slide.shapes if shape.has_text_frame]


@pytest.fixture
def files(fixture_db):
    run = runner(fixture_db)
    built = slides.build_deck(run, slides.DeckSpec(("titre", "apd", "carte", "accords"), 2022, 2026), "fr", TODAY)
    return built, deck.build_files(built)


def test_powerpoint_has_the_chosen_slides_titles_figures_and_footer(files):
    built, made = files
    prs = Presentation(io.BytesIO(made.pptx))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    assert len(prs.slides) == 5  # the four chosen, then the sources
    titles = [page.shapes.title.text for page in prs.slides]  # each in its title placeholder (tests/test_deck_files.py)
    assert titles[0] == "L'action internationale de la Wallonie, de Bruxelles et de la Fédération Wallonie-Bruxelles"
    assert titles[1].replace("\xa0", " ") == "L'APD de la Belgique atteint 0,44 % du RNB en 2023 (provisoire), à 1,6 Md € de l'objectif de 0,7 %"
    assert titles[3] == "2 accords en vigueur, 1 signé sur la période, 1 arrive à échéance d'ici un an"
    assert titles[4] == "Sources des données présentées"
    oda = texts(prs.slides[1])
    assert "APD/RNB en 2023\n0,44 %\nprovisoire" in oda
    pictures = [[s for s in page.shapes if s.shape_type == 13] for page in prs.slides]  # 13: picture
    assert [len(p) for p in pictures] == [0, 1, 1, 0, 0]  # the ODA chart and the map
    for page in prs.slides:
        footer = texts(page)[1]  # after the title: the reading order of a screen reader
        assert "données : version 1 du" in footer and "Données d'exemple" in footer
    assert "Sources : accords de coopération" in texts(prs.slides[3])[1]
    # The sources, grouped by dataset and kind (atlas/exports/sources.py), then a note.
    assert texts(prs.slides[4])[2:] == [
        "APD/RNB de la Belgique (OCDE CAD)\n• Documents : fixture\nAPD des entités\n• Documents : fixture\n"
        "• Exemple illustratif, chiffres fictifs : 1 ligne d'APD, 2024\nPays prioritaires\n• Documents : fixture\n"
        "Accords de coopération\n• Documents : fixture\n• Exemple illustratif, chiffres fictifs : 1 accord, 2024",
        "Chaque chiffre garde sa source détaillée dans l'Atlas : tableaux et téléchargements de ses pages."]


def test_pdf_pages_render_to_png(files, tmp_path):
    built, made = files
    assert made.pdf.startswith(b"%PDF")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (Debian's poppler-utils, installed by scripts/test) is missing")
    (tmp_path / "deck.pdf").write_bytes(made.pdf)
    subprocess.run([pdftoppm, "-r", "48", "-png", str(tmp_path / "deck.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 5
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    for i, page in enumerate(pages, 1):
        image = Image.open(page)
        assert image.size == (960, 540)  # 1920×1080 CSS pixels at 48 dpi
        assert image.convert("L").getextrema()[0] < 60  # dark text was drawn
        shutil.copy(page, ARTIFACTS / f"deck-page-{i}.png")
    text = subprocess.run(["pdftotext", str(tmp_path / "deck.pdf"), "-"], capture_output=True, text=True).stdout
    assert "2 accords en vigueur" in text  # text stays text: searchable, sharp when printed


def test_figure_png_is_at_presentation_resolution(fixture_db):
    from PIL import Image

    run = runner(fixture_db)
    spec = slides.resolve(slides.DeckSpec(year_from=2022, year_to=2026), run, TODAY)
    chart = slides.build_slide("apd", run, spec, "fr", TODAY).chart
    png = deck.figure_png(chart)
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)
    # kaleido draws the bare figure: without automargin the deck cut the years and the « 0,4 % »
    assert chart.layout.xaxis.automargin and chart.layout.yaxis.automargin


def test_a_page_chart_exported_as_png_keeps_its_tick_labels_whole(fixture_db):
    # The « Image PNG » button of a page's chart (ui.png_figure, then kaleido): Streamlit's theme
    # grows the margins for tick labels on screen, kaleido does not; with the figure's own margins
    # (0 at the bottom and left) the years and the percentages were cut at the image's edges.
    import plotly.graph_objects as go
    from PIL import Image, ImageOps

    from atlas.figures import charts
    from atlas.reading.queries import frame
    from atlas.web import ui

    fig = charts.oda_gni(frame("oda_gni", year_from=2000, year_to=2030), "fr")
    finding = fig.layout.title.text
    fig.layout.title.text = None  # as ui.chart shows it: the finding above, as a heading
    exported = ui.png_figure(go.Figure(fig), finding)
    assert exported.layout.xaxis.automargin and exported.layout.yaxis.automargin
    assert exported.layout.title.text == finding
    assert exported.layout.legend.yref == "container"  # under the title, not over it
    png = deck.figure_png(exported)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "png-export-oda-gni.png").write_bytes(png)
    image = ImageOps.invert(Image.open(io.BytesIO(png)).convert("L"))  # ink as light on black: getbbox finds it
    width, height = image.size
    assert image.crop((0, height - 8, width, height)).getbbox() is None  # nothing drawn on the bottom edge
    assert image.crop((0, 0, 8, height)).getbbox() is None  # nor on the left edge
    assert image.crop((0, height - 60, width, height)).getbbox() is not None  # the years are there


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "pack.pptx"
    target.write_bytes(b"old")
    monkeypatch.setattr(deck.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        deck.write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["pack.pptx"]


def test_command_line_writes_a_saved_deck(fixture_db, tmp_path):
    writes.save_deck(slides.DeckSpec(("chiffres-cles", "missions"), 2023, 2026), "Comité", user="analyste", at=fixture_db)
    out, pdf = tmp_path / "pack.pptx", tmp_path / "pack.pdf"
    done = subprocess.run([sys.executable, "-m", "atlas", "deck", str(out), "--pdf", str(pdf), "--deck", "Comité",
                           "--db", str(fixture_db.path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "2 diapositives écrites" in done.stderr
    prs = Presentation(str(out))
    assert len(prs.slides) == 3 and pdf.read_bytes().startswith(b"%PDF")
    missing = subprocess.run([sys.executable, "-m", "atlas", "deck", str(tmp_path / "x.pptx"), "--deck", "inconnu",
                              "--db", str(fixture_db.path)], cwd=ROOT, capture_output=True, text=True)
    assert missing.returncode == 1 and "aucun jeu de diapositives ne s'appelle « inconnu »" in missing.stderr
    assert not (tmp_path / "x.pptx").exists()
