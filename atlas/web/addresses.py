"""An address that names no page opens the home page with a sentence in the reader's language,
never Streamlit's English dialog « Page not found ».

Streamlit 1.67 matches the path of a session's first address against the pages' url_path
(streamlit/runtime/pages_manager.py); when none matches, st.navigation runs the default page and
sends a message on which the frontend opens « Page not found … Running the app's main page. »
(streamlit/commands/navigation.py, send_page_not_found). `land`, called just before st.navigation,
matches the path first: case and accents aside (« /Carte » opens /carte), the home page's own
names (its file is pages/vue-d-ensemble.py, while the default page is served at /) open it, and
any other path opens the home page, quietly for Streamlit, and is handed back for app.py to say.

Once per server start the dialog has a second sender: until app.py first calls st.navigation,
Streamlit routes by the files of pages/ (its legacy multipage mode, see atlas.web.ui.lang) and
sends it before app.py runs, for a path that names no file there. `close_legacy_dialog`, called
first thing in app.py, writes a script that closes it at once; it shows for a moment, that once.

This module imports nothing but Streamlit: on a server's first run app.py's other imports take
seconds, during which that dialog would stay open.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

# Streamlit's dialog, known by the title its frontend gives it (streamlit/static, 1.67), closed by
# its own close button.
_CLOSE_DIALOG = """<script>
(() => {
  const started = Date.now();
  const timer = setInterval(() => {
    for (const dialog of document.querySelectorAll('[data-testid="stDialog"] [role="dialog"]')) {
      if (dialog.querySelector("h2")?.textContent.trim() === "Page not found") {
        dialog.querySelector("button")?.click();
        clearInterval(timer);
      }
    }
    if (Date.now() - started > 10000) clearInterval(timer);
  }, 20);
})();
</script>"""


def _asked():
    """The pages manager of this run and the page name its address asked for ('' for none)."""
    manager = getattr(get_script_run_ctx(), "pages_manager", None)
    if manager is None or manager.intended_page_script_hash:  # a later run: pages are named by hash
        return manager, ""
    return manager, manager.intended_page_name or ""


def _bare(name: str) -> str:
    """A page's name as a person may type it: case and accents aside (« /Données » is /donnees)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def close_legacy_dialog(pages_dir: Path) -> None:
    """Close the « Page not found » that Streamlit's legacy routing has sent (see the module's
    docstring): this run routes by the files of `pages_dir`, and none is named after the path."""
    _, asked = _asked()
    if PagesManager.uses_pages_directory and asked and asked not in {file.stem for file in pages_dir.glob("*.py")}:
        # In a container that takes no room (not even the gap between elements): a script runs all the same.
        st.html("<style>.st-key-atlas_close_dialog, :has(> .st-key-atlas_close_dialog) { display: none; }</style>")
        with st.sidebar.container(key="atlas_close_dialog"):
            st.html(_CLOSE_DIALOG, unsafe_allow_javascript=True)


def land(pages, home_aliases: tuple[str, ...] = ()) -> str | None:
    """Route the address this session opened with to a page that exists (call it just before
    st.navigation, with its pages); the path asked for when it names none of them (the home page
    opens), else None."""
    manager, asked = _asked()
    served = {_bare(page.url_path): page.url_path for page in pages if page.url_path}
    if not asked or asked in served.values():
        return None
    found = served.get(_bare(asked))
    manager.set_script_intent("", found or "")  # no name: Streamlit's default page, without its dialog
    if found or _bare(asked) in {_bare(alias) for alias in home_aliases}:
        return None
    return asked
