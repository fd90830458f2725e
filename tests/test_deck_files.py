"""The committee deck's files say what they are and hold together: every slide's title in the
slide's title placeholder (PowerPoint's outline, its accessibility checker and screen readers read
it there), the files' title, author, dates and language set (no « Steve Canny », no browser user
agent), and a last slide of sources grouped, deduplicated, written for a committee and inside the
slide: above its note and footer in PowerPoint's geometry and in the printed PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pypdf import PdfReader

from atlas.exports.sources import Cited, summary
from atlas.figures import deck_files as deck
from atlas.figures import slides
from atlas.store import runner

from browser import ARTIFACTS
from conftest import plain

TODAY = dt.date(2026, 11, 23)
MADE = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
EMU = 12192000 // deck.WIDTH  # per canvas pixel


@pytest.fixture
def built(fixture_db):
    run = runner(fixture_db)
    spec = slides.DeckSpec(year_from=2021, year_to=2026, name="Comité de décembre")
    made = slides.build_deck(run, spec, "fr", TODAY)
    return made, deck.build_files(made, made=MADE)


def test_every_slide_title_is_in_its_title_placeholder(built):
    made, files = built
    prs = Presentation(io.BytesIO(files.pptx))
    expected = [s.title for s in made.slides] + ["Sources des données présentées"]
    assert len(prs.slides) == len(expected) == 9
    for page, title in zip(prs.slides, expected):
        assert page.shapes.title is not None  # what the outline shows
        assert page.shapes.title.placeholder_format.type == PP_PLACEHOLDER.TITLE
        assert page.shapes.title.text == title
        assert [s for s in page.shapes if s.is_placeholder] == [page.shapes.title]  # no empty placeholder left
    first = prs.slides[0].shapes.title
    assert (first.left, first.top, first.width) == (deck.MARGIN * EMU, 230 * EMU, (deck.WIDTH - 2 * deck.MARGIN) * EMU)
    run = first.text_frame.paragraphs[0].runs[0]
    assert (run.font.name, run.font.bold, run.font.size.pt) == ("Arial", True, 36)


def test_powerpoint_properties_say_what_it_is(built):
    made, files = built
    core = Presentation(io.BytesIO(files.pptx)).core_properties
    assert core.title == "Comité de décembre — Point pour le comité, 2021–2026"
    assert core.subject == "L'action internationale de la Wallonie, de Bruxelles et de la Fédération Wallonie-Bruxelles"
    assert (core.author, core.last_modified_by, core.language) == ("Atlas des relations internationales",) * 2 + ("fr-BE",)
    assert core.created == core.modified == dt.datetime(2026, 12, 1, 9, 30)
    with zipfile.ZipFile(io.BytesIO(files.pptx)) as package:
        meta = package.read("docProps/core.xml").decode() + package.read("docProps/app.xml").decode()
        slide = package.read("ppt/slides/slide2.xml").decode()
    assert "Steve Canny" not in meta and "python-pptx" not in meta and "Macintosh" not in meta
    assert 'lang="fr-BE"' in slide  # the text's language, for the spelling checker and screen readers


def test_pdf_metadata_say_what_it_is(built):
    made, files = built
    reader = PdfReader(io.BytesIO(files.pdf))
    assert reader.metadata.title == "Comité de décembre — Point pour le comité, 2021–2026"
    assert (reader.metadata.author, reader.metadata.creator) == ("Atlas des relations internationales",) * 2
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"] == "D:20261201093000Z"
    assert reader.trailer["/Root"]["/Lang"] == "fr-BE"
    assert b"HeadlessChrome" not in files.pdf and b"Mozilla" not in files.pdf  # no user agent left anywhere
    assert len(reader.pages) == 9


def test_dutch_files_are_dutch(fixture_db):
    run = runner(fixture_db)
    made = slides.build_deck(run, slides.DeckSpec(("titre", "accords"), 2021, 2026), "nl", TODAY)
    prs = Presentation(io.BytesIO(deck.build_files(made, pdf=False, made=MADE).pptx))
    assert prs.core_properties.language == "nl-BE"
    assert prs.core_properties.title == "Stand van zaken voor het comité, 2021–2026"
    assert [p.shapes.title.text for p in prs.slides][2] == "Bronnen van de voorgestelde gegevens"


# --- The sources, for a committee --------------------------------------------------------------

# What the sample's sources look like (data/sample), one of each kind, and what a CRS or IATI
# import writes.
SAMPLE = [
    Cited("exemple illustratif (partenaire réel, dates et montants fictifs)", "agreements", 14, 2006, 2026),
    *(Cited("Région Île-de-France, « L'action régionale à l'international », 14 févr. 2019 (document source du produit ; "
            f"accord d'une région française, hors Wallonie-Bruxelles) ; signé en {y} (date précise inconnue : 1er janvier "
            "retenu) ; statut actuel : exemple", "agreements", 1, y, y) for y in (2016, 2017)),
    Cited("Accord du 26 oct. 1999", "agreements", 1, 1999, 1999),
    Cited("Accord de nov. 1998 (jour non précisé : 1er retenu) ; commission mixte, Dakar, 8–9 févr. 2016 : 23 projets 2017-2019",
          "agreements", 1, 1998, 1998),
    *(Cited(f"Mission économique belge, {d} ; répartition PME/grandes entreprises, ville et coût : exemple ; frais 100 €/300 € "
            "(Parlement bruxellois, question n° 907, 2023)", "missions", 1, y, y)
      for d, y in (("25–30 nov. 2018 (469 participants)", 2018), ("17–22 nov. 2019 (632 participants)", 2019))),
    Cited("Mission régionale : exemple illustratif (dates, participants et coût fictifs) ; frais 100 €/300 € "
          "(Parlement bruxellois, question n° 907, 2023)", "missions", 15, 2022, 2027),
    Cited("OCDE CAD : APD/RNB 0,44 % (officiel) ; RNB estimé, APD déduite = ratio × RNB (exemple)", "oda_national", 1, 2018, 2018),
    Cited("OCDE CAD : APD/RNB 0,64 % (officiel) ; RNB estimé, APD déduite = ratio × RNB (exemple)", "oda_national", 1, 2010, 2010),
    Cited("APD/RNB 0,47 % et RNB estimés (exemple, chiffres non officiels)", "oda_national", 1, 2024, 2024),
    Cited("OCDE SNPC 2022, donneur 2, agence 80 (crs.txt) ; taux USD 2022 : moyenne annuelle des taux de référence BCE",
          "oda", 40, 2022, 2022, "Wallonie"),
    Cited("OCDE SNPC 2023, donneur 2, agence 80 (crs.txt) ; taux USD 2023 : moyenne annuelle des taux de référence BCE",
          "oda", 35, 2023, 2023, "Wallonie"),
    Cited("IATI BE-BCE_KBO-0264814354-P1 (wbi.xml) ; taux USD 2021 : moyenne annuelle des taux de référence BCE",
          "oda", 3, 2021, 2021, "Wallonie-Bruxelles International"),
    Cited("IATI BE-BCE_KBO-0264814354-P2 (wbi.xml)", "oda", 2, 2023, 2023, "Wallonie-Bruxelles International"),
]


def test_sources_are_grouped_deduplicated_and_written_for_a_committee():
    groups = summary(SAMPLE, "fr")
    assert [(g.heading, [plain(line) for line in g.lines]) for g in groups] == [
        ("APD/RNB de la Belgique (OCDE CAD)", [
            "OCDE, Comité d'aide au développement (CAD) : 2010–2018 ; montants en euros en partie estimés (non officiels)",
            "Exemple illustratif, chiffres fictifs : 1 année, 2024"]),
        ("APD des entités", [
            "IATI, publié par Wallonie-Bruxelles International : 2 activités, 2021–2023",
            "OCDE, Système de notification des pays créanciers (SNPC) : 2022–2023 : Wallonie",
            "Taux de change : moyenne annuelle des taux de référence BCE"]),
        ("Accords de coopération", [
            "Documents : Région Île-de-France, « L'action régionale à l'international », 14 févr. 2019 ; "
            "Accord de nov. 1998 ; Accord du 26 oct. 1999 (certains détails : exemple illustratif)",
            "Exemple illustratif, chiffres fictifs : 14 accords, 2006–2026"]),
        ("Missions économiques", [
            "Documents : Mission économique belge (2 sources) ; frais 100 €/300 € (Parlement bruxellois, question n° 907, "
            "2023) (certains détails : exemple illustratif)",
            "Exemple illustratif, chiffres fictifs : 15 missions, 2022–2027"]),
    ]
    assert "jour non précisé" not in str(groups) and "document source du produit" not in str(groups)


def _deck_of(cited: list[Cited], lang: str = "fr") -> slides.Deck:
    spec = slides.DeckSpec((), 2018, 2026)
    return slides.Deck(spec, [], "Atlas des relations internationales · données : version 7 du 01/12/2026 09:30",
                       sorted({c.source for c in cited}), True, lang, cited)


def _boxes(made: slides.Deck):
    boxes = deck.layout(made, deck.sources_slide(made), 1, 1)
    return {b.kind: b for b in boxes}


MANY = SAMPLE + [Cited(f"Rapport annuel {y} de l'agence {a}, chapitre « coopération » (document public)", d, 3, y, y)
                 for y in range(2010, 2026) for a, d in (("AWEX", "missions"), ("WBI", "agreements"), ("DGD", "priority_countries"))]


@pytest.mark.parametrize("cited", [SAMPLE, MANY], ids=["sample", "many"])
def test_sources_fit_above_the_note_and_footer(cited):
    made = _deck_of(cited)
    boxes = _boxes(made)
    sources, note, footer = boxes["sources"], boxes["note"], boxes["footer"]
    assert sources.y + sources.h <= note.y and note.y + note.h <= footer.y <= deck.HEIGHT - footer.h
    height = deck.text_height([(t, s, a) for t, s, a, _ in sources.items], sources.w)
    assert height <= sources.h - 2 * deck.TEXT_INSET
    assert sources.size >= deck.SOURCES_MIN
    texts = [t for t, *_ in sources.items]
    assert not [t for t in texts if "autres sources" in t]
    # PowerPoint: the same boxes, in EMU.
    prs = Presentation(io.BytesIO(deck.to_pptx([deck.layout(made, deck.sources_slide(made), 1, 1)], [], made, MADE)))
    shapes = [s for s in prs.slides[0].shapes if s.has_text_frame and not s.is_placeholder]
    body = next(s for s in shapes if s.text_frame.text.startswith("APD/RNB"))
    below = [s for s in shapes if s.top > body.top]
    assert body.top + body.height <= min(s.top for s in below) and all(s.top + s.height <= prs.slide_height for s in shapes)


def test_the_printed_sources_page_stays_inside_its_box(tmp_path):
    """In the PDF chromium prints, every word of the sources lies above the note and the footer."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, installed by scripts/test) is missing")
    made = _deck_of(MANY)
    files = deck.build_files(made, made=MADE)
    (tmp_path / "sources.pdf").write_bytes(files.pdf)
    subprocess.run(["pdftoppm", "-r", "48", "-png", str(tmp_path / "sources.pdf"), str(tmp_path / "page")], check=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(sorted(tmp_path.glob("page-*.png"))[-1], ARTIFACTS / "deck-sources-many.png")
    layout = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "sources.pdf"), "-"], capture_output=True,
                            text=True, check=True).stdout
    words = [(float(y0), float(y1), html_unescape(w)) for y0, y1, w in
             re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', layout)]
    scale = 810 / deck.HEIGHT  # PDF points per canvas pixel
    boxes = _boxes(made)
    inside = [w for w in words if boxes["sources"].y * scale <= w[0] < boxes["note"].y * scale]
    assert max(y1 for _, y1, _ in inside) <= (boxes["sources"].y + boxes["sources"].h) * scale
    last = boxes["sources"].items[-1][0].split()[-1]
    assert last in [w for _, _, w in inside]  # the last line is printed, not cut
    note = [w for w in words if boxes["note"].y * scale <= w[0] < boxes["footer"].y * scale]
    assert " ".join(w for _, _, w in note).startswith("Chaque chiffre garde sa source")


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)
