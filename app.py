"""Atlas des relations internationales: routing only (page config, language, navigation)."""

from pathlib import Path

import streamlit as st

from atlas.web import addresses

# First, before the imports that take seconds on a server's first run: see atlas/web/addresses.py.
addresses.close_legacy_dialog(Path(__file__).parent / "pages")

from atlas import writes  # noqa: E402
from atlas.web import own_words, ui  # noqa: E402
from atlas.words.i18n import t  # noqa: E402

# An SVG icon goes into the page as a data URI: a PNG file was registered as a media file on every
# run and fetched again by every view (6 KB, one more request).
st.set_page_config(page_title="Atlas des relations internationales", page_icon=str(Path(__file__).parent / "atlas" / "assets" / "favicon.svg"), layout="wide")
lang = ui.language()
own_words.write(lang)  # Streamlit's own English inside widgets, in the reader's words
writes.ensure_database(building=lambda: st.spinner("Première ouverture : construction de la base d'exemple…"))
st.sidebar.caption(t("app.tagline", lang))
pages = [
    st.Page("pages/vue-d-ensemble.py", title=t("home.nav", lang), icon=":material/public:", url_path="vue-d-ensemble", default=True),
    st.Page("pages/carte.py", title=t("map.nav", lang), icon=":material/map:", url_path="carte"),
    st.Page("pages/fiche-pays.py", title=t("country.nav", lang), icon=":material/flag:", url_path="fiche-pays"),
    st.Page("pages/comparer.py", title=t("compare.nav", lang), icon=":material/compare_arrows:", url_path="comparer"),
    st.Page("pages/aide-au-developpement.py", title=t("oda.nav", lang), icon=":material/volunteer_activism:", url_path="aide-au-developpement"),
    st.Page("pages/accords.py", title=t("agreements.nav", lang), icon=":material/handshake:", url_path="accords"),
    st.Page("pages/missions-economiques.py", title=t("missions.nav", lang), icon=":material/flight_takeoff:", url_path="missions-economiques"),
    st.Page("pages/presentation.py", title=t("presentation.nav", lang), icon=":material/slideshow:", url_path="presentation"),
    st.Page("pages/donnees.py", title=t("data.nav", lang), icon=":material/database:", url_path="donnees"),
]
# A mistyped address opens the home page with a sentence, not Streamlit's English « Page not found »;
# /vue-d-ensemble (the home page's file) opens it as well.
lost = addresses.land(pages, home_aliases=("vue-d-ensemble",))
page = st.navigation(pages)
if lost:
    st.warning(t("app.page_unknown", lang, page=ui.escape_markdown("/" + lost[:60])), icon=":material/link_off:")
page.run()
