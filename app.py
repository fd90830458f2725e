"""Atlas des relations internationales: routing only (page config, language, navigation)."""

import streamlit as st

from atlas import data, ui
from atlas.i18n import t

st.set_page_config(page_title="Atlas des relations internationales", page_icon="🌍", layout="wide")
lang = ui.language()
data.ensure_database()
st.sidebar.caption(t("app.tagline", lang))
page = st.navigation(
    [st.Page("pages/home.py", title=t("home.nav", lang), icon="🌍", url_path="vue-d-ensemble", default=True)]
)
page.run()
