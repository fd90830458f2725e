"""« Comparer des pays »: two to four countries side by side (key figures, ODA by year, agreements,
missions), the countries kept in the link (?pays=COD~SEN~MAR) so that it can be shared."""

import pandas as pd
import streamlit as st

from atlas.figures import compare
from atlas.geography import countries as geo
from atlas.reading import queries
from atlas.web import ui, url_state
from atlas.words import fmt
from atlas.words.i18n import t

MOST = 4

lang = ui.lang()
today = ui.today()
state = url_state.query_state(lang)
st.title(t("compare.title", lang))
ui.sample_notice(lang)

everyone = sorted(geo.countries(), key=lambda c: geo.fold(geo.country_name(c, lang)))
left, right = st.columns([3, 1], vertical_alignment="bottom")
chosen = url_state.many_filter(state, "pays", t("compare.pick", lang), everyone, lang, "compare_countries",
                               format_func=lambda c: geo.country_name(c, lang), container=left)
url_state.show_notices(state)
with right:
    ui.share_link(lang, path="comparer")
if len(chosen) > MOST:
    st.warning(t("compare.too_many", lang), icon=":material/filter_4:")
    chosen = chosen[:MOST]
if len(chosen) < 2:
    st.info(t("compare.choose", lang), icon=":material/compare_arrows:")
    ui.footer(lang)
    st.stop()

names = {c: geo.country_name(c, lang) for c in chosen}
st.markdown(" · ".join(f"[{names[c]}](fiche-pays?pays={c}{'' if lang == 'fr' else '&lang=' + lang})" for c in chosen))

st.header(t("compare.key_figures", lang), divider="gray")
kpis = queries.frame("compare_kpis", countries=chosen, today=today)
# Every table wraps its long texts (« Coopération belge (fédéral), Wallonie », titles) and fits the
# page with every header and word whole (ui.table).
ui.table(compare.key_figures(kpis, lang), "comparaison-" + "-".join(chosen), lang, "compare_kpis_dl", download=kpis,
         hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS)

st.header(t("compare.oda_years", lang), divider="gray")
oda = queries.frame("compare_oda_by_year", countries=chosen)
if oda.empty or not oda.disbursed_eur.any():
    st.info(t("compare.no_oda", lang), icon=":material/inbox:")
else:
    ui.chart(oda, compare.oda_by_year, lang, "apd-comparaison", key="compare_oda", order=chosen)

st.header(t("compare.agreements", lang), divider="gray")
agreements = queries.frame("agreements_list", year_from=None, year_to=None, entities=[], countries=chosen, levels=[],
                           statuses=[], search="", follow_up_only=False, today=today)
if agreements.empty:
    st.info(t("country.no_agreements", lang), icon=":material/inbox:")
else:
    ui.table(
        [{t("compare.col.country", lang): names[a.country_iso3], t("country.col.title", lang): a.title,
          t("country.col.entity", lang): a.entity, t("country.col.status", lang): t(f"status.{a.status}", lang),
          t("country.col.signed_on", lang): fmt.date(a.signed_on, lang, "medium"),
          t("country.col.ends_on", lang): fmt.date(a.ends_on, lang, "medium") if pd.notna(a.ends_on) else ""}
         for a in agreements.sort_values(["country_iso3", "signed_on"]).itertuples()],
        "accords-comparaison", lang, "compare_agreements_dl", download=agreements.drop(columns=["gantt_end"]),
        hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS,
    )

st.header(t("compare.missions", lang), divider="gray")
missions = queries.frame("missions_list", year_from=1960, year_to=2100, organisers=[], countries=chosen, kinds=[],
                         upcoming_only=False, today=today)
if missions.empty:
    st.info(t("country.no_missions", lang), icon=":material/inbox:")
else:
    ui.table(
        [{t("compare.col.country", lang): names[m.country_iso3], t("country.col.starts_on", lang): fmt.date(m.starts_on, lang, "medium"),
          t("country.col.title", lang): m.title, t("country.col.organiser", lang): m.organiser,
          t("country.col.participants", lang): fmt.number(m.participants, lang),
          t("country.col.cost", lang): fmt.money(m.cost_eur, lang)}
         for m in missions.sort_values(["country_iso3", "starts_on"]).itertuples()],
        "missions-comparaison", lang, "compare_missions_dl", download=missions, hide_index=True, width="stretch",
        row_height=ui.WRAPPED_ROWS,
    )
ui.footer(lang)
