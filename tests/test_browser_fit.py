"""Screens that fit (issue 17), in headless Chromium at 1280×800, in French, Dutch and English: on
every page nothing scrolls sideways, every key figure (st.metric) is whole, the map's layer buttons
and the choices shown in select boxes are whole, and every table's headers and words are whole;
in presentation mode at 1280×720 every text of a chart is 14 px or more and the key figures fill
the slide. Screenshots of every page at 1280 and 1920 px go to tests/artifacts/fit-*.png, to be
looked at.

st.dataframe draws on a canvas (glide-data-grid): its headers are not in the page's layout. The
columns' edges are read from the canvas's pixels (the grid lines of the header row), the texts
from the grid's accessible table, and their widths measured with the canvas's own font
(measureText): a header wider than its column is cut, a word wider than its column is broken in
the middle (the grid wraps at spaces only, and counts the space it wrapped at on the next line:
« agreements.csv » broke in a column 2 px wider than itself)."""

from __future__ import annotations

import pytest

from atlas.words.i18n import t

from browser import ARTIFACTS, errors_on, open_page, wait_idle

PAGES = {  # name of the screenshots: the page's address
    "home": "/", "map": "/carte", "map-costs": "/carte?indicateur=cout_missions", "agreements": "/accords", "oda": "/aide-au-developpement",
    "missions": "/missions-economiques", "country": "/fiche-pays?pays=COD", "compare": "/comparer?pays=COD~RWA~BDI",
    "presentation": "/presentation", "data": "/donnees",
}
TABLES = {"agreements": 1, "oda": 1, "missions": 2, "country": 8, "compare": 3, "data": 1}  # on the sample
METRICS = {"home": 6, "missions": 5}
PILLS = {"map": 1, "map-costs": 1}
LANGS = ("fr", "nl", "en")

MEASURE = """async () => {
  await document.fonts.ready;
  const cut = el => [el, ...el.querySelectorAll('*')].filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1);
  const main = document.querySelector('[data-testid=stMain]');
  const metrics = [...document.querySelectorAll('[data-testid=stMetricValue]')];
  const pills = [...document.querySelectorAll('[data-testid=stButtonGroup]')].map(group => {
    const bar = group.querySelector('[role=toolbar]'), right = bar.getBoundingClientRect().right;
    return [...group.querySelectorAll('button')].filter(b => cut(b).length || b.getBoundingClientRect().right > right + 1)
      .map(b => b.innerText + (bar.scrollWidth > bar.clientWidth + 1 ? ' (the row scrolls)' : ''));
  });
  const fields = [...document.querySelectorAll('[data-testid=stSelectbox], [data-testid=stMultiSelect], [data-testid=stTextInput]')]
    .filter(field => field.offsetParent && cut(field).length).map(field => field.innerText.replace(/\\n/g, ' | '));
  const ruler = document.createElement('canvas').getContext('2d');
  const tables = [...document.querySelectorAll('[data-testid=stDataFrame]')].filter(f => f.offsetParent).map(frame => {
    const grid = frame.querySelector('canvas[data-testid=data-grid-canvas]');
    if (!grid) return {drawn: false};
    const scroller = frame.querySelector('.dvn-scroller');
    const theme = getComputedStyle(frame.querySelector('.stDataFrameGlideDataEditor'));
    const family = theme.getPropertyValue('--gdg-font-family');
    const pad = parseFloat(theme.getPropertyValue('--gdg-cell-horizontal-padding')) || 8;
    // The header row's vertical grid lines, 3 px under its top edge (above its text).
    const ratio = grid.width / grid.getBoundingClientRect().width;
    const row = grid.getContext('2d').getImageData(0, Math.round(3 * ratio), grid.width, 1).data;
    const edges = [];
    for (let x = 0; x < grid.width; x++) {
      const ink = Math.abs(row[4 * x] - row[20]) + Math.abs(row[4 * x + 1] - row[21]) + Math.abs(row[4 * x + 2] - row[22]);
      if (ink > 12 && (!edges.length || x / ratio - edges[edges.length - 1] > 4)) edges.push(x / ratio);
    }
    const bounds = [0, ...edges.filter(x => x > 4 && x < grid.width / ratio - 4), grid.width / ratio];
    const heads = [...frame.querySelectorAll('th[role=columnheader]')];
    // A table whose rows can be picked starts with a column of check boxes, without a header.
    const widths = bounds.slice(1).map((x, i) => x - bounds[i]).slice(-heads.length);
    const first = heads.length ? +heads[0].getAttribute('aria-colindex') : 1;
    ruler.font = theme.getPropertyValue('--gdg-header-font-style') + ' ' + family;
    const headers = heads.map((th, i) => [th.innerText, ruler.measureText(th.innerText).width + 2 * pad, widths[i]])
      .filter(([, need, width]) => !(need <= width + 1)).map(([text, need, width]) => `${text}: ${Math.ceil(need)} px in ${Math.round(width)}`);
    ruler.font = theme.getPropertyValue('--gdg-base-font-style') + ' ' + family;
    // A word on a line after a wrap is measured with the space the grid wrapped at (it counts it).
    const space = ruler.measureText(' ').width;
    const words = new Set();
    for (const cell of frame.querySelectorAll('td[role=gridcell]')) {
      const i = +cell.getAttribute('aria-colindex') - first, text = cell.innerText;
      if (/^(true|false)$/.test(text) || /^\\d{4}-\\d\\d-\\d\\d/.test(text)) continue;  // check boxes; dates, not wrapped
      for (const word of text.split(/[ \\n]/)) {
        const need = ruler.measureText(word).width + space + 2 * pad;
        if (word && !(need <= widths[i] + 0.5)) words.add(`${heads[i].innerText}: « ${word} » ${Math.ceil(need)} px in ${Math.round(widths[i])}`);
      }
    }
    return {drawn: true, columns: heads.length, edges: widths.length, headers, words: [...words],
            sideways: scroller.scrollWidth > scroller.clientWidth + 1};
  });
  return {
    page: document.scrollingElement.scrollWidth - innerWidth, main: main.scrollWidth - main.clientWidth,
    metrics: metrics.length, cut_metrics: metrics.filter(m => cut(m).length).map(m => m.innerText),
    pills: pills.length, cut_pills: pills.flat(), cut_fields: fields, tables,
  };
}"""

TALL = """() => Math.max(innerHeight, ...[...document.querySelectorAll('*')]
  .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).map(e => e.scrollHeight))"""


def url(server: str, path: str, lang: str) -> str:
    return server + path + ("" if lang == "fr" else ("&" if "?" in path else "?") + f"lang={lang}")


def settle(page) -> None:
    """Every expander open, every visible table drawn (a grid far below may wait for its turn)."""
    for summary in page.locator("[data-testid=stExpander] summary").all():
        if summary.is_visible():
            summary.click()
    wait_idle(page)
    frames = page.locator("[data-testid=stDataFrame]")
    for i in range(frames.count()):
        if frames.nth(i).is_visible():
            frames.nth(i).scroll_into_view_if_needed()
            frames.nth(i).locator("canvas[data-testid=data-grid-canvas]").wait_for(timeout=30_000)
    page.wait_for_timeout(800)  # the grids lay out after the script has run
    wait_idle(page)


def measure(page, tables: int, metrics: int = 0, pills: int = 0) -> dict:
    """MEASURE once the page holds `tables` tables, each drawn with its column lines, its `metrics`
    and `pills` (under load a rerun may redraw a grid while it is read: again, as a person would
    look twice)."""
    for _ in range(8):
        settle(page)
        got = page.evaluate(MEASURE)
        if (len(got["tables"]) >= tables and got["metrics"] >= metrics and got["pills"] >= pills
                and all(table["drawn"] and table["edges"] == table["columns"] for table in got["tables"])):
            break
        page.wait_for_timeout(1500)
    return got


def whole(got: dict) -> dict:
    """What is not whole: empty lists when everything fits."""
    return {
        "page scrolls sideways": got["page"] > 0 or got["main"] > 0,
        "cut key figures": got["cut_metrics"],
        "cut layer buttons": got["cut_pills"],
        "cut choices": got["cut_fields"],  # the map's metric read « Ontvangen ODA (uitbetali… »
        "tables not drawn": [i for i, table in enumerate(got["tables"]) if not table["drawn"]],
        "tables not measured": [i for i, table in enumerate(got["tables"])
                                if table["drawn"] and table["edges"] != table["columns"]],
        "tables scrolling sideways": [i for i, table in enumerate(got["tables"]) if table.get("sideways")],
        "cut headers": [h for table in got["tables"] for h in table.get("headers", [])],
        "broken words": [w for table in got["tables"] for w in table.get("words", [])],
    }


def shoot(page, name: str) -> None:
    """Whole-page screenshots at 1280 and 1920 px (Streamlit scrolls inside the page: the window is
    made as tall as what it holds)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(300)
        page.set_viewport_size({"width": width, "height": min(page.evaluate(TALL) + 40, 9000)})
        page.wait_for_timeout(1200)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_figure_label_and_header_is_whole_at_1280(server, browser, name, lang):
    page, outside = open_page(browser, url(server, PAGES[name], lang), 1280, 800)
    got = measure(page, TABLES.get(name, 0), METRICS.get(name, 0), PILLS.get(name, 0))
    # « 3 721 500 € » was cut to « 3 721 50… » in a missions tile; the map's third layer read
    # « Burea » / « K », scrolled out of its row.
    assert (got["metrics"], got["pills"]) == (METRICS.get(name, got["metrics"]), PILLS.get(name, got["pills"]))
    if name == "agreements":
        assert len(got["tables"]) == 1 and got["tables"][0]["columns"] == 10
    measured = [got]
    if name == "data":  # the history, in its own tab
        page.get_by_role("tab", name=t("data.tab_history", lang)).click()
        wait_idle(page)
        history = measure(page, 1)
        assert [table["columns"] for table in history["tables"]] == [10]  # « rempla cer (replac e) » before
        measured.append(history)
    for found in measured:
        assert not any(whole(found).values()), whole(found)
    assert errors_on(page) == [] and outside == []
    shoot(page, f"fit-{name}-{lang}")
    page.context.close()


# Every text of the charts, in px on screen (the small type of plotly's <sub> counts too).
CHART_TEXT = """() => [...document.querySelectorAll('.js-plotly-plot svg text, .js-plotly-plot svg tspan')]
  .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
  .map(e => [e.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(e).fontSize)])"""
FOOTER_TEXT = "() => parseFloat(getComputedStyle(document.querySelector('.st-key-slide_footer p')).fontSize)"
CHART_SLIDES = "titre~chiffres-cles~carte~apd~pays-prioritaires~accords~missions~depuis-derniere-reunion"


@pytest.mark.parametrize("lang", LANGS)
def test_presentation_charts_read_from_the_back_of_the_room_at_1280x720(server, browser, lang):
    # Axis labels were 12 px and the footer 12 px on a 1280×720 projector (Streamlit's theme sets
    # the ticks to 12 px on screen): 14 px at least now.
    small = {}
    for number, slide in ((3, "carte"), (4, "apd"), (5, "pays-prioritaires"), (7, "missions")):
        page, outside = open_page(browser, url(server, f"/presentation?projeter=1&diapos={CHART_SLIDES}&diapo={number}", lang),
                                  1280, 720)
        page.wait_for_selector(".js-plotly-plot svg text", timeout=60_000)
        page.wait_for_timeout(800)
        texts = page.evaluate(CHART_TEXT)
        assert len(texts) >= 5, (slide, texts)
        small[slide] = [text for text in texts if text[1] < 14]
        small[f"{slide} footer"] = page.evaluate(FOOTER_TEXT) < 14
        if slide == "apd":
            page.screenshot(path=str(ARTIFACTS / f"fit-presentation-apd-{lang}-1280x720.png"))
        assert errors_on(page) == [] and outside == []
        page.context.close()
    assert not any(small.values()), small


def test_key_figures_slide_fills_the_screen_at_1280x720(server, browser):
    # The five figures sat in one row in the top third, the rest of the slide empty: now two rows
    # of larger figures, down to the footer.
    page, outside = open_page(browser, f"{server}/presentation?projeter=1&diapos={CHART_SLIDES}&diapo=2", 1280, 720)
    page.wait_for_function("document.querySelectorAll('[data-testid=stMetric]').length === 5", timeout=30_000)
    page.wait_for_timeout(500)
    tiles = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stMetric]')].map(m => {
      const box = m.closest('[data-testid=stColumn]').getBoundingClientRect(), value = m.querySelector('[data-testid=stMetricValue]');
      return {bottom: box.bottom, size: parseFloat(getComputedStyle(value).fontSize), cut: value.scrollWidth > value.clientWidth + 1}; })""")
    assert max(tile["bottom"] for tile in tiles) > 720 * 0.6, tiles  # the lower half holds figures
    assert min(tile["size"] for tile in tiles) >= 60 and not any(tile["cut"] for tile in tiles), tiles
    page.screenshot(path=str(ARTIFACTS / "fit-presentation-key-figures-1280x720.png"))
    assert errors_on(page) == [] and outside == []
    page.context.close()
