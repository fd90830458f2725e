"""The usual Streamlit app's way with data, for benchmarks/run.py: the ODA table held in a pandas
DataFrame, filtered and grouped again on every rerun. Pure pandas: the aggregates of Atlas's
ODA pages, each a function of the frames and one filter. `pandas_app.py` is the Streamlit
script that shows them as such an app would.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Frames:
    oda: pd.DataFrame
    sectors: pd.DataFrame
    priorities: pd.DataFrame
    year_to: int


def load(db: str) -> Frames:
    from atlas.store import Database

    con = Database(db).reader()
    oda = con.execute("SELECT entity, year, country_iso3, sector_code, channel, flow, amount_eur FROM oda").df()
    sectors = con.execute("SELECT CAST(code AS VARCHAR) AS sector_code, category_code, name_fr FROM dac_sectors").df()
    priorities = con.execute(
        "SELECT country_iso3, since_year, coalesce(until_year, 9999) AS until_year FROM priority_countries"
    ).df()
    year_to = int(oda.year.max()) if len(oda) else 2026
    return Frames(oda, sectors, priorities, year_to)


def _disbursed(df: pd.DataFrame) -> pd.DataFrame:
    return df[df.flow == "disbursement"]


def home(f: Frames, entity: str | None = None):
    d = _disbursed(f.oda)
    by_country = d[d.country_iso3.notna()].groupby("country_iso3").amount_eur.sum()
    latest = d[d.year == d.year.max()]
    p = f.priorities
    prio = p[(p.since_year <= f.year_to) & (p.until_year >= f.year_to)].country_iso3
    return by_country, latest.amount_eur.sum(), latest[latest.country_iso3.isin(prio)].amount_eur.sum()


def map_page(f: Frames, entity: str | None = None):
    d = _disbursed(f.oda)
    d = d[d.country_iso3.notna()]
    if entity:
        d = d[d.entity == entity]
    return (d.groupby("country_iso3").amount_eur.sum().sort_values(ascending=False),)


def oda_page(f: Frames, entity: str | None = None):
    d = f.oda if not entity else f.oda[f.oda.entity == entity]
    by_year = d.groupby(["year", "flow"]).amount_eur.sum()
    disb = _disbursed(d)
    by_sector = disb.merge(f.sectors, on="sector_code", how="left").groupby("sector_code", dropna=False).amount_eur.sum()
    by_channel = disb.groupby("channel", dropna=False).amount_eur.sum()
    top = disb[disb.country_iso3.notna()].groupby("country_iso3").amount_eur.sum().nlargest(15)
    pairs = disb[["country_iso3", "year"]].reset_index().merge(f.priorities, on="country_iso3", how="left")
    pairs["priority"] = (pairs.since_year <= pairs.year) & (pairs.until_year >= pairs.year)
    flagged = disb.assign(priority=pairs.groupby("index").priority.any().reindex(disb.index, fill_value=False))
    flagged["priority_eur"] = flagged.amount_eur.where(flagged.priority, 0.0)
    share = flagged.groupby("year")[["amount_eur", "priority_eur"]].sum()
    return by_year, by_sector, by_channel, top, share.priority_eur / share.amount_eur


def country(f: Frames, iso3: str = "COD"):
    d = f.oda[f.oda.country_iso3 == iso3]
    kpis = (_disbursed(d).amount_eur.sum(), d[d.flow == "commitment"].amount_eur.sum(), d.year.min(), d.year.max())
    return (*kpis, d.groupby(["year", "flow"]).amount_eur.sum(), _disbursed(d).groupby("sector_code").amount_eur.sum())


# page -> (aggregates, default filter, the changed filter): the same change as Atlas's pages get.
CASES = {
    "home": (home, {}, {}),
    "map": (map_page, {}, {"entity": "Wallonie"}),
    "oda": (oda_page, {}, {"entity": "Wallonie"}),
    "country": (country, {"iso3": "COD"}, {"iso3": "SEN"}),
}
