"""Accessibility (issue 17, WCAG 2.1 AA): axe-core finds no WCAG 2.1 A/AA violation on any page,
in French, Dutch or English, at 1280 px; and the map's country choice works from the keyboard alone.

axe-core (4.12) comes offline from the PyPI package axe-playwright-python (requirements-test.txt),
which bundles axe.min.js; it is injected into the page and run with the WCAG 2.0/2.1 A and AA rules
only. axe judges the contrast of text on screen only, so each page is measured in a window as tall
as the page; and since it leaves text it cannot judge aside (the sidebar's caption), every caption's
contrast is also worked out here. Screenshots go to tests/artifacts/ (a11y-PAGE-LANG,
a11y-keyboard-*).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import axe_playwright_python  # pinned in requirements-test.txt: a missing axe must fail, not skip
import pytest
from playwright.sync_api import expect

from browser import errors_on, map_shapes, open_page, screenshot, wait_idle

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"

# Every page of app.py, as a link opens it (the country profile and the comparison with countries
# chosen, so that their tables and charts are there), and what is behind a tab: (link, tab to open).
PAGES = {
    "vue-d-ensemble": ("/", None),
    "carte": ("/carte", None),
    "accords": ("/accords", None),
    "aide-au-developpement": ("/aide-au-developpement", None),
    "missions-economiques": ("/missions-economiques", None),
    "fiche-pays": ("/fiche-pays?pays=COD", None),
    "comparer": ("/comparer?pays=COD~SEN~MAR", None),
    "presentation": ("/presentation", None),
    "donnees": ("/donnees", None),
    "donnees-historique": ("/donnees", 1),  # its second tab, « Historique »
}
LANGUAGES = ("fr", "nl", "en")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# What axe must not judge: parts of Streamlit's own markup that Atlas cannot change, each with why
# (CSS selectors, as axe's `exclude`). None today: every violation found had its fix in Atlas.
EXCLUDE: list[list[str]] = []

RUN_AXE = """([exclude, tags]) => axe.run({exclude: exclude}, {runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations']}).then(r => r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200)})),
    })))"""


# Captions whose text reads under 4.5:1 on what is behind them, worked out as a browser paints them
# (the text's colour and every opacity down to the first opaque background). axe leaves out the
# sidebar's caption (« overlapped by another element »): this one does not.
FAINT_CAPTIONS = """() => {
  const rgba = s => { const v = s.match(/[\\d.]+/g).map(Number); return v.length === 3 ? [...v, 1] : v; };
  const lum = c => c.slice(0, 3).map(v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                   .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  return [...document.querySelectorAll('[data-testid=stCaptionContainer]')].filter(c => c.getClientRects().length && c.innerText.trim())
    .map(caption => {
      const text = caption.querySelector('p, span') || caption, fg = rgba(getComputedStyle(text).color);
      let alpha = fg[3], bg = [255, 255, 255, 1];
      for (let e = text; e; e = e.parentElement) {
        const style = getComputedStyle(e), back = rgba(style.backgroundColor);
        if (back[3] === 1) { bg = back; break; }
        alpha *= Number(style.opacity);
      }
      const seen = fg.slice(0, 3).map((v, i) => alpha * v + (1 - alpha) * bg[i]);
      const [hi, lo] = [lum(seen), lum(bg)].sort((a, b) => b - a);
      return {text: caption.innerText.slice(0, 80), ratio: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100};
    }).filter(c => c.ratio < 4.5);
}"""


def with_lang(path: str, lang: str) -> str:
    if lang == "fr":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def drawn(page) -> None:
    """Wait until the page has drawn: the script has run, the charts and the tables are in place
    (a table's grid is drawn once it has been scrolled into view)."""
    wait_idle(page)
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('.main-svg'))",
        timeout=60_000,
    )
    frames = page.locator("[data-testid=stDataFrame]")
    for i in range(frames.count()):
        if frames.nth(i).is_visible():
            frames.nth(i).scroll_into_view_if_needed()
            frames.nth(i).locator(".dvn-scroller").wait_for(timeout=30_000)
    # The country search (atlas/web/country_box.py) mounts after the script has run, up to seconds
    # later, then writes its label: judged before that, its input has no label yet.
    boxes = page.locator("[class*='st-key-'][class*='country_box']")
    for i in range(boxes.count()):
        expect(boxes.nth(i).locator(".acs label")).to_have_text(re.compile(r"\S"), timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")
    # axe judges the contrast of text on screen only, and Streamlit scrolls its main block inside
    # the window: a window as tall as the page puts every caption, down to the footer, on screen.
    height = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebarContent]')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": min(max(height + 100, 900), 12_000)})
    wait_idle(page)
    page.wait_for_timeout(800)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE, [EXCLUDE, WCAG_AA])


def described(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)")
        lines += [f"    {n['target']}\n        {n['summary']}\n        {n['html']}" for n in v["nodes"][:8]]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_wcag_violation_on_any_page(server, browser, lang):
    found = {}
    for name, (path, tab) in PAGES.items():
        page, outside = open_page(browser, server + with_lang(path, lang), 1280, 900)
        if tab is not None:
            page.get_by_role("tab").nth(tab).click()
        drawn(page)
        violations = axe_violations(page)
        screenshot(page, f"a11y-{name}-{lang}")
        faint = page.evaluate(FAINT_CAPTIONS)
        if faint:
            violations.append({"id": "caption-contrast (Atlas's own check)", "impact": "serious",
                               "help": "Captions must read at 4.5:1 at least",
                               "nodes": [{"target": c["text"], "summary": f"{c['ratio']}:1", "html": ""} for c in faint]})
        if violations:
            found[name] = violations
        assert errors_on(page) == [], name
        assert outside == [], name
        page.context.close()
    report = "\n\n".join(f"== {name} ({lang})\n{described(v)}" for name, v in found.items())
    print(report)
    summary = {name: {v["id"]: len(v["nodes"]) for v in vs} for name, vs in found.items()}
    assert not found, f"{summary}\n\n{report}"


def test_map_country_choice_from_the_keyboard(server, browser):
    """On « Carte », Tab reaches the country search next to the map; typing a name and Enter open
    that country's profile, as a click on the map does."""
    page, _ = open_page(browser, f"{server}/carte", 1280, 900)
    map_shapes(page)  # the map is drawn; nothing has the focus yet: Tab starts at the top of the page
    search = page.locator(".st-key-map_country_box input[role=combobox]")
    presses = 0
    while not search.evaluate("input => input.matches(':focus')"):  # :focus sees into the component
        if presses == 80:
            screenshot(page, "a11y-keyboard-failure")
            pytest.fail("80 Tab presses never reached the country search on « Carte »")
        page.keyboard.press("Tab")
        presses += 1
    print(f"the country search is reached with {presses} Tab presses")
    page.keyboard.type("Congo (RDC)", delay=30)
    page.locator(".st-key-map_country_box [role=option]").first.wait_for(timeout=30_000)  # the suggestions
    screenshot(page, "a11y-keyboard-map-search")
    open_list = axe_violations(page)  # the box with its suggestions open, as a person sees it
    assert open_list == [], described(open_list)
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('h1')?.innerText === 'République démocratique du Congo'", timeout=60_000)
    deadline = time.monotonic() + 30
    while "pays=COD" not in page.url and time.monotonic() < deadline:
        time.sleep(0.25)
    assert "pays=COD" in page.url
    wait_idle(page)
    screenshot(page, "a11y-keyboard-profile")
    page.context.close()
