"""The usual Streamlit app, for comparison (benchmarks/run.py runs it in AppTest): the ODA table
loaded once with `st.cache_data` (Streamlit's documented cache for DataFrames, which hands each
rerun its own copy), then filtered, grouped and drawn with plotly express on every rerun.

    ATLAS_DB=path/to/atlas.duckdb streamlit run benchmarks/pandas_app.py   # ?page=home|map|oda|country
"""

import os
import sys
from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]
import pandas_way  # noqa: E402


@st.cache_data
def frames(db: str) -> pandas_way.Frames:
    return pandas_way.load(db)


@st.cache_data
def choices(db: str) -> tuple[list[str], list[str]]:
    oda = frames(db).oda
    return sorted(oda.entity.unique()), sorted(oda.country_iso3.dropna().unique())


db = os.environ["ATLAS_DB"]
page = st.query_params.get("page", "home")
aggregate = pandas_way.CASES[page][0]
f = frames(db)
entities, countries = choices(db)
st.title(page)
if page == "country":
    results = aggregate(f, iso3=st.selectbox("Pays", countries, index=countries.index("COD"), key="pick"))
else:
    chosen = st.multiselect("Entités", entities, key="pick")
    results = aggregate(f, entity=chosen[0] if chosen else None)
for result in results:
    if not isinstance(result, pd.Series):
        st.metric("valeur", f"{result:,.0f}")
    elif result.index.names == ["country_iso3"] and page in ("home", "map"):
        st.plotly_chart(px.choropleth(result.reset_index(), locations="country_iso3", color="amount_eur"))
    else:
        frame = result.reset_index()
        x, y = frame.columns[0], frame.columns[-1]
        colour = frame.columns[1] if len(frame.columns) > 2 else None
        st.plotly_chart(px.bar(frame, x=x, y=y, color=colour))
