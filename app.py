"""Atlas des relations internationales: routing only (page config, language, navigation)."""

from pathlib import Path

import streamlit as st

from atlas import writes
from atlas.web import ui
from atlas.words.i18n import t

st.set_page_config(page_title="Atlas des relations internationales", page_icon=str(Path(__file__).parent / "atlas" / "assets" / "favicon.png"), layout="wide")
lang = ui.language()
writes.ensure_database(building=lambda: st.spinner("Première ouverture : construction de la base d'exemple…"))
st.sidebar.caption(t("app.tagline", lang))
page = st.navigation(
    [st.Page("pages/vue-d-ensemble.py", title=t("home.nav", lang), icon=":material/public:", url_path="vue-d-ensemble", default=True),
     st.Page("pages/carte.py", title=t("map.nav", lang), icon=":material/map:", url_path="carte"),
     st.Page("pages/fiche-pays.py", title=t("country.nav", lang), icon=":material/flag:", url_path="fiche-pays"),
     st.Page("pages/comparer.py", title=t("compare.nav", lang), icon=":material/compare_arrows:", url_path="comparer"),
     st.Page("pages/aide-au-developpement.py", title=t("oda.nav", lang), icon=":material/volunteer_activism:", url_path="aide-au-developpement"),
     st.Page("pages/accords.py", title=t("agreements.nav", lang), icon=":material/handshake:", url_path="accords"),
     st.Page("pages/missions-economiques.py", title=t("missions.nav", lang), icon=":material/flight_takeoff:", url_path="missions-economiques"),
     st.Page("pages/presentation.py", title=t("presentation.nav", lang), icon=":material/slideshow:", url_path="presentation"),
     st.Page("pages/donnees.py", title=t("data.nav", lang), icon=":material/database:", url_path="donnees")]
)
page.run()
