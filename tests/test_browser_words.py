"""Streamlit's own words (issue 17), end to end in headless Chromium: on French and Dutch screens the
file uploader writes Atlas's words and the limit Atlas enforces (ATLAS_MAX_UPLOAD_MB, not
Streamlit's server.maxUploadSize), a chosen file's size in the reader's format, and a mistyped
address opens the home page with a sentence in the reader's language, never Streamlit's English
« Page not found ». Also the other words Streamlit writes inside the widgets of the data page and
the country search.

What a person sees is computed in the browser: text that is drawn (visible, of a size above 0, not
a 1-px screen-reader text, not an icon's ligature) and the text of `::before`/`::after`, which is
how Atlas writes its words in place of Streamlit's (atlas/web/uploads.py, atlas/web/own_words.py).
Screenshots at 1280 px go to tests/artifacts/words-*.png.
"""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import pytest

from atlas.imports import ingest
from atlas.web import addresses, own_words, uploads
from atlas.words import fmt
from atlas.words.i18n import t

from browser import ANALYST_PASSWORD, analyst_server, app_server, open_page, screenshot, wait_idle

PASSWORD = ANALYST_PASSWORD
# Streamlit's own English, as its 1.67 frontend writes it in these widgets (its sizes: « 11.5KB », « 210MB »).
ENGLISH = re.compile(
    r"Drag and drop|Browse files|\bUpload\b|per file|\d+(\.\d)?[KMG]B\b|\b210\b|Limit|Page not found|Press Enter|"
    r"Choose an option|No options|No results|Add:|Skip to main content|File must be|Upload failed|Error:"
)
# A small CSV of 11 517 bytes: Streamlit writes « 11.5KB » (units of 1000, on Linux), Atlas
# « 11,2 ko » (units of 1024, the units of ATLAS_MAX_UPLOAD_MB and of Windows).
SMALL_CSV = b"mission_id,title\n" + b"M1,x\n" * 2300

SHOWN = r"""(root) => {
  const out = [];
  const drawn = (style) => style.visibility === "visible" && parseFloat(style.fontSize) > 0;
  const generated = (el, pseudo) => {
    const style = getComputedStyle(el, pseudo);
    const content = style.content;
    if (drawn(style) && content && content.startsWith('"')) out.push(JSON.parse(content));
  };
  const walk = (el) => {
    const style = getComputedStyle(el);
    if (style.display === "none" || el.getAttribute("aria-hidden") === "true") return;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1 && style.position === "absolute") return;  // screen readers only
    generated(el, "::before");
    for (const child of el.childNodes) {
      if (child.nodeType === Node.TEXT_NODE && child.data.trim() && drawn(style)) out.push(child.data.trim());
      else if (child.nodeType === Node.ELEMENT_NODE) walk(child);
    }
    generated(el, "::after");
  };
  walk(root);
  return out.join(" ");
}"""


def shown(locator) -> str:
    """The text a person sees in the element, Atlas's generated words included."""
    return " ".join(locator.evaluate(SHOWN).replace("\u202f", " ").replace("\xa0", " ").split())


def plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


# --- Without a browser: the pieces ---------------------------------------------------------------


def test_file_sizes_in_the_readers_format():
    assert [fmt.file_size(n, "fr") for n in (512, 11_517, 200 * 1024 * 1024)] == ["512\u202fo", "11,2\u202fko", "200\u202fMo"]
    assert [fmt.file_size(n, "nl") for n in (512, 11_517, 200 * 1024 * 1024)] == ["512 byte", "11,2 kB", "200 MB"]
    assert fmt.file_size(512, "en") == "512 bytes" and fmt.file_size(1024 * 1024 - 1, "en") == "1 MB"


def test_the_uploader_states_the_enforced_limit_and_escapes_a_file_name():
    css = uploads.stylesheet("data_upload_0", "nl", "CSV, XLSX", chosen=11_517)
    assert own_words.css_string(t("upload.limit", "nl", size=fmt.file_size(ingest.MAX_BYTES, "nl"), kinds="CSV, XLSX")) in css
    assert "210" not in css and own_words.css_string(fmt.file_size(11_517, "nl")) in css
    hostile = own_words.css_string('a"; } body { display: none } </style><script>')
    assert '"' not in hostile[1:-1] and "<" not in hostile and "}" not in hostile
    with pytest.raises(ValueError):
        uploads.stylesheet('x"] body {', "fr", "CSV")


def test_every_uploader_goes_through_atlas_words():
    """A page that called st.file_uploader itself would show Streamlit's English and its 210 MB."""
    from atlas.store import ROOT

    own = re.compile(r"(?<!uploads)\.file_uploader\(")
    direct = [str(path.relative_to(ROOT)) for folder in ("pages", "atlas") for path in (ROOT / folder).rglob("*.py")
              if path.name != "uploads.py" and own.search(path.read_text(encoding="utf-8"))]
    assert direct == []
    assert own.search("st.file_uploader(") and not own.search("uploads.file_uploader(")


class FakePages:
    """Streamlit's pages manager as addresses.land reads it (streamlit/runtime/pages_manager.py)."""

    def __init__(self, name: str, page_hash: str = ""):
        self.intended_page_name, self.intended_page_script_hash = name, page_hash

    def set_script_intent(self, page_hash, name):
        self.intended_page_script_hash, self.intended_page_name = page_hash, name


@pytest.mark.parametrize(("asked", "lost", "opens"), [
    ("", None, ""),  # the home page, asked for by its address /
    ("carte", None, "carte"),
    ("Carte", None, "carte"),  # case and accents aside
    ("donn\u00e9es", None, "donnees"),
    ("vue-d-ensemble", None, ""),  # the home page's own name: the home page, nothing to say
    ("nimportequoi", "nimportequoi", ""),  # the home page, and the reader is told
])
def test_an_address_lands_on_a_page_that_exists(monkeypatch, asked, lost, opens):
    manager = FakePages(asked)
    monkeypatch.setattr(addresses, "get_script_run_ctx", lambda: SimpleNamespace(pages_manager=manager))
    pages = [SimpleNamespace(url_path=p) for p in ("", "carte", "donnees", "fiche-pays")]
    assert addresses.land(pages, home_aliases=("vue-d-ensemble",)) == lost
    assert manager.intended_page_name == opens


def test_a_later_run_names_its_page_by_hash_and_is_left_alone(monkeypatch):
    manager = FakePages("nimportequoi", page_hash="abc")
    monkeypatch.setattr(addresses, "get_script_run_ctx", lambda: SimpleNamespace(pages_manager=manager))
    assert addresses.land([SimpleNamespace(url_path="carte")]) is None
    assert (manager.intended_page_script_hash, manager.intended_page_name) == ("abc", "nimportequoi")


# --- In the browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def words_server(sample_db, tmp_path_factory):
    with analyst_server(sample_db, tmp_path_factory.mktemp("browser-words")) as url:
        yield url


# Records every « Page not found » dialog the page shows, and when it goes.
DIALOG_WATCH = """
window.__notFound = [];
new MutationObserver(() => {
  const open = [...document.querySelectorAll('[role=dialog]')].some(d => d.innerText.includes('Page not found'));
  const last = window.__notFound[window.__notFound.length - 1];
  if (open !== (last ? last[0] : false)) window.__notFound.push([open, Math.round(performance.now())]);
}).observe(document, {subtree: true, childList: true});
"""


def land_on(browser, url: str, lang: str):
    page, outside = open_page(browser, url, width=1280, height=800)
    page.wait_for_timeout(1500)  # the dialog, if any, comes with the first run's messages
    wait_idle(page)
    assert outside == []
    return page


def assert_no_dialog(page):
    dialogs = page.locator("[role=dialog]")
    assert dialogs.count() == 0, [dialogs.nth(i).inner_text() for i in range(dialogs.count())]
    assert "Page not found" not in page.locator("body").inner_text()


def test_first_address_after_start_that_names_no_page(sample_db, tmp_path, browser):
    """A server's first session is routed by Streamlit's legacy multipage mode, which sends its
    dialog before app.py runs: app.py closes it at once, and the reader reads Atlas's notice."""
    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(sample_db, db)
    with app_server(db) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-BE")
        context.add_init_script(DIALOG_WATCH)
        page = context.new_page()
        page.goto(url + "/nimportequoi?lang=nl")
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_timeout(1500)
        wait_idle(page)
        assert_no_dialog(page)
        seen = page.evaluate("window.__notFound")
        if seen:  # shown by Streamlit before app.py ran, then closed by it: how long it stayed
            assert [open_ for open_, _ in seen] == [True, False], seen
            print(f"legacy « Page not found » open for {seen[1][1] - seen[0][1]} ms")
        assert plain(page.locator("h1").first.inner_text()) == plain(t("home.title", "nl"))
        notice = shown(page.locator("[data-testid='stAlert']").first)
        assert notice == plain(t("app.page_unknown", "nl", page="/nimportequoi")), notice
        context.close()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_mistyped_address_opens_the_home_page_with_a_notice(words_server, browser, lang):
    page = land_on(browser, f"{words_server}/nimportequoi?lang={lang}", lang)
    assert_no_dialog(page)
    assert page.url.split("?")[0].rstrip("/") == words_server
    assert plain(page.locator("h1").first.inner_text()) == plain(t("home.title", lang))
    notice = shown(page.locator("[data-testid='stAlert']").first)
    assert notice == plain(t("app.page_unknown", lang, page="/nimportequoi")), notice
    if lang != "en":
        screenshot(page, f"words-not-found-{lang}")
    page.context.close()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_home_pages_own_name_opens_it(words_server, browser, lang):
    """/vue-d-ensemble is the home page's file and its name in the README: it opens the home page,
    which exists, so nothing is said about a missing page."""
    page = land_on(browser, f"{words_server}/vue-d-ensemble?lang={lang}", lang)
    assert_no_dialog(page)
    assert plain(page.locator("h1").first.inner_text()) == plain(t("home.title", lang))
    alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
    assert not [a for a in alerts if "vue-d-ensemble" in a], alerts
    page.context.close()


def test_a_page_name_typed_with_capitals_opens_that_page(words_server, browser):
    page = land_on(browser, f"{words_server}/Carte?lang=en", "en")
    assert_no_dialog(page)
    assert page.url.split("?")[0] == f"{words_server}/carte"
    page.context.close()


def log_in(page):
    page.locator("[data-testid='stForm'] input").first.fill("Marie Dupont")
    page.locator("[data-testid='stForm'] input[type='password']").fill(PASSWORD)
    page.locator("[data-testid='stForm'] [data-testid='stBaseButton-secondaryFormSubmit']").click()
    page.wait_for_selector("[data-testid='stFileUploader']", timeout=60_000)
    wait_idle(page)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_uploader_speaks_the_readers_language_and_states_the_enforced_limit(words_server, browser, lang):
    page, outside = open_page(browser, f"{words_server}/donnees?lang={lang}", width=1280, height=900)
    log_in(page)
    uploader = page.locator("[data-testid='stFileUploader']")
    uploader.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    words = shown(uploader)
    most = plain(fmt.file_size(ingest.MAX_BYTES, lang))
    assert ENGLISH.search(words) is None, words
    assert plain(t("upload.limit", lang, size=most, kinds=t("upload.kinds", lang))) in words, words
    assert t("upload.button", lang) in words and most.startswith("200 "), words
    screenshot(page, f"words-upload-{lang}")

    # A file dragged over the page: Streamlit's « Drag and drop a file here ».
    drag = page.evaluate_handle("() => { const d = new DataTransfer(); d.items.add(new File(['a'], 'a.csv')); return d; }")
    page.dispatch_event("[data-testid='stFileUploaderDropzone']", "dragenter", {"dataTransfer": drag})
    page.wait_for_timeout(300)
    dragged = shown(uploader)
    assert t("upload.drop", lang) in dragged and ENGLISH.search(dragged) is None, dragged
    page.dispatch_event("[data-testid='stFileUploaderDropzone']", "dragleave", {"dataTransfer": drag})

    # A small file chosen: its size as the reader writes it.
    uploader.locator("input[type='file']").set_input_files(
        files=[{"name": "missions.csv", "mimeType": "text/csv", "buffer": SMALL_CSV}]
    )
    page.wait_for_selector("[data-testid='stFileChip']", timeout=60_000)
    page.wait_for_timeout(500)
    wait_idle(page)
    chip = shown(page.locator("[data-testid='stFileChip']"))
    assert chip == f"missions.csv {plain(fmt.file_size(len(SMALL_CSV), lang))}", chip
    assert ENGLISH.search(shown(uploader)) is None, shown(uploader)
    screenshot(page, f"words-upload-file-{lang}")
    assert outside == []
    page.context.close()


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_data_pages_other_widgets_speak_the_readers_language(words_server, browser, lang):
    """The skip link (first Tab), the login form's instruction, a cleared selectbox and its filter."""
    page, outside = open_page(browser, f"{words_server}/donnees?lang={lang}", width=1280, height=900)
    page.keyboard.press("Tab")
    assert shown(page.locator("[data-testid='stSkipToContent']")) == t("widgets.skip", lang)
    page.locator("[data-testid='stForm'] input").first.click()
    page.keyboard.type("Ma")
    instruction = page.locator("[data-testid='stForm'] [data-testid='InputInstructions']").first
    assert shown(instruction) == t("widgets.enter_submit", lang)
    language = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input")
    assert language.get_attribute("placeholder") == t("widgets.choose", lang)
    language.click()
    page.keyboard.type("zzz")
    assert shown(page.locator("[data-testid='stSelectboxVirtualDropdown']")) == t("widgets.no_results", lang)
    page.keyboard.press("Escape")
    page.locator("[data-testid='stForm'] input").first.fill("")
    log_in(page)
    dataset = page.locator("[data-testid='stSelectbox']", has_text=t("data.dataset", lang)).locator("input")
    assert dataset.get_attribute("placeholder") == t("widgets.choose", lang)
    assert outside == []
    page.context.close()


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_country_search_speaks_the_readers_language(words_server, browser, lang):
    page, outside = open_page(browser, f"{words_server}/fiche-pays?lang={lang}", width=1280, height=900)
    box = page.locator("input#acs-input")
    box.click()
    box.type("RDC")
    page.wait_for_selector("#acs-list li", timeout=30_000)
    found = shown(page.locator(".acs"))
    assert ENGLISH.search(found) is None and "Add" not in found, found
    box.fill("")
    box.type("zzzq")
    page.wait_for_selector(".acs-empty:not([hidden])", timeout=30_000)
    empty = shown(page.locator(".acs"))
    assert plain(t("search.none", lang, text="zzzq")) in empty and ENGLISH.search(empty) is None, empty
    assert outside == []
    page.context.close()
