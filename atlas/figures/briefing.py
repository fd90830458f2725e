"""The country briefing note (« fiche pays »): what the profile page shows, assembled once for the
Word, PDF and Excel files (atlas/figures/briefing_files.py) and for the page's own tables.

Everything here is data in, words and figures out, in the reader's language: no Streamlit, no
file format. `build_briefing` reads through a runner `run(name, base=None, **params)` (the page's
cached `queries.frame`, or `atlas.store.execute` on a connection for the command line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from atlas.figures import charts
from atlas.geography import countries as geo
from atlas.words import fmt
from atlas.words.i18n import localize, plural, t, term

Runner = Callable[..., pd.DataFrame]  # run(name, base=None, **params) -> the named query's result

TEXT_WIDTH_MM = 170  # A4 (210 mm) less 20 mm margins either side: every table's columns add up to this or less
TOP_PROJECTS = 10  # projects listed in the note; the Excel file holds them all
TOP_ROWS = 12  # rows of the other tables of the note
SOURCES_SHOWN = 40
EVERY_YEAR = {"year_from": 1960, "year_to": 2100}
COUNTRY_CUBE = "country_oda_cube"  # the stored stand-in of the ODA page's aggregate for one country


@dataclass
class Column:
    label: str
    width_mm: float
    numeric: bool = False  # right-aligned


@dataclass
class Table:
    """A table of the note: its shown rows (text), the count of rows left out, and the full data
    (numbers as numbers) for the Excel sheet `sheet`."""

    sheet: str
    columns: list[Column]
    rows: list[list[str]]
    more: str | None = None
    data: pd.DataFrame | None = None


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    chart: go.Figure | None = None
    chart_title: str = ""
    table: Table | None = None


@dataclass
class Briefing:
    iso3: str
    lang: str
    country: str
    title: str
    subtitle: str
    sample: bool
    key_figures: list[tuple[str, str]]
    status: str
    context: str
    sections: list[Section]
    sources: list[str]
    version_line: str
    extra_sheets: list[Table] = field(default_factory=list)  # in the Excel file only

    @property
    def tables(self) -> list[Table]:
        """Every table, in the order of the Excel sheets."""
        return [*(s.table for s in self.sections if s.table is not None), *self.extra_sheets]

    @property
    def charts(self) -> list[Section]:
        return [s for s in self.sections if s.chart is not None]


# --- Pieces the page shows too ---------------------------------------------------------------------


def project_rows(projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """queries/pages/country_projects.sql with what a reader reads: the title (or « sans titre »),
    the largest sector and channel in `lang`, marked « (plusieurs) » when a project has several."""
    df = localize(projects, lang, "sector_name")
    unknown = t("country.sector_unknown", lang)

    def several(name, count) -> str:
        return t("country.largest_of", lang, name=name) if count > 1 else name

    return pd.DataFrame({
        "project_key": df.project_key,
        "title": [x if isinstance(x, str) else t("country.no_project_title", lang) for x in df.title],
        "entity": df.entity,
        "sector": [several(n if isinstance(n, str) else (f"{unknown} ({c})" if isinstance(c, str) else unknown), k)
                   for n, c, k in zip(df.sector_name, df.sector_code, df.sectors)],
        "channel": [several(term("channel", c, lang) if isinstance(c, str) else "–", k)
                    for c, k in zip(df.channel, df.channels)],
        "first_year": df.first_year.astype(int), "last_year": df.last_year.astype(int),
        "committed_eur": df.committed_eur.astype(float), "disbursed_eur": df.disbursed_eur.astype(float),
        "source": df.source, "activity_id": df.activity_id,
    })


def years_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def entity_years_chart(df: pd.DataFrame, lang: str) -> go.Figure:
    """Disbursements by home entity and year, stacked (queries/pages/country_oda_by_entity.sql)."""
    totals = df.groupby("entity").disbursed_eur.sum().sort_values(ascending=False)
    whole = totals.sum()
    finding = (t("country.who_finding", lang, entity=totals.index[0], share=fmt.percent(totals.iloc[0] / whole, lang, 0))
               if len(totals) > 1 and whole > 0 else t("country.who_finding_none", lang))
    traces = []
    for i, entity in enumerate(totals.index):
        part = df[df.entity == entity]
        traces.append({"type": "bar", "x": part.year, "y": part.disbursed_eur, "name": entity,
                       "marker": {"color": charts.GROUP_COLOURS[i % len(charts.GROUP_COLOURS)]},
                       "hovertext": [fmt.money(v, lang) for v in part.disbursed_eur],
                       "hovertemplate": "%{x} · %{hovertext}<extra>%{fullData.name}</extra>"})
    return charts._figure(traces, finding, lang, height=360, legend=True, barmode="relative",
                          xaxis={"dtick": 1, "tickformat": "d"}, yaxis=charts._money_axis(lang))


def upcoming_rows(df: pd.DataFrame, lang: str, today: dt.date) -> list[dict]:
    """queries/pages/country_upcoming.sql as lines: date, what, title, entity, partner or place."""
    rows = []
    for e in df.itertuples():
        what = t(f"country.upcoming_kind.{e.kind}", lang)
        if e.kind == "commission_due" and pd.Timestamp(e.due_on).date() <= today:
            what += " — " + (t("country.upcoming_kind.overdue", lang, date=fmt.date(e.last_commission_on, lang, "medium"))
                             if pd.notna(e.last_commission_on) else t("country.upcoming_kind.never", lang))
        rows.append({"date": fmt.date(e.due_on, lang, "medium"), "what": what, "title": e.title, "entity": e.entity,
                     "place": e.place if isinstance(e.place, str) else ""})
    return rows


def _date(value, lang: str) -> str:
    return fmt.date(value, lang, "medium") if pd.notna(value) else ""


def _more(key: str, count: int, lang: str, **values) -> str | None:
    return plural(key, count, lang, n=fmt.number(count, lang), **values) if count > 0 else None


# --- The note ---------------------------------------------------------------------------------------


def build_briefing(run: Runner, iso3: str, lang: str, today: dt.date) -> Briefing:
    """Everything the note says about the country `iso3`, in `lang`, as of `today`."""
    name = geo.country_name(iso3, lang)
    k = run("country_kpis", iso3=iso3, today=today).iloc[0]
    version = run("data_version")
    version_no = int(version.version.iloc[0]) if len(version) else 0
    version_date = fmt.date(version.created_at.iloc[0], lang, "medium") if len(version) else "–"
    has_oda = bool(k.has_oda)
    sample = bool(run("sample_rows").sample_rows.iloc[0])

    figures = [
        (t("country.kpi_agreements", lang), f"{fmt.number(k.agreements_in_force, lang)} / {fmt.number(k.agreements, lang)}"),
        (t("briefing.oda_period", lang, start=int(k.oda_year_from), end=int(k.oda_year_to)) if has_oda
         else t("country.kpi_oda_none", lang), fmt.money(k.oda_disbursed_eur, lang)),
        (t("country.kpi_committed", lang), fmt.money(k.oda_committed_eur, lang)),
        (t("country.kpi_missions", lang), fmt.number(k.missions, lang)),
        (t("country.kpi_participants", lang), fmt.number(k.participants, lang)),
        (t("country.kpi_offices", lang), fmt.number(k.offices, lang)),
    ]
    priorities = run("country_priorities", iso3=iso3, today=today)
    if isinstance(k.priority_entities_now, str):
        status = t("briefing.priority_now", lang, year=today.year, entities=k.priority_entities_now)
    elif len(priorities):
        status = t("briefing.priority_past", lang, year=today.year)
    else:
        status = t("briefing.priority_never", lang)

    sections = [
        _upcoming(run, iso3, lang, today),
        _agreements(run, iso3, lang, today),
        *_oda(run, iso3, lang, k, has_oda, _who(run, iso3, lang, has_oda)),
        _missions(run, iso3, lang, today),
        _offices(run, iso3, lang),
    ]
    context, context_source = country_context(iso3, lang)
    sources = run("country_sources", iso3=iso3)
    source_lines = [f"{t('briefing.dataset.' + s.dataset, lang)} : {s.source}" if lang == "fr"
                    else f"{t('briefing.dataset.' + s.dataset, lang)}: {s.source}"
                    for s in sources.itertuples() if isinstance(s.source, str) and s.source.strip()]
    if context_source:
        source_lines.append(context_source)
    key_sheet = Table("key_figures", [Column(t("briefing.label", lang), 100), Column(t("briefing.value", lang), 70)],
                      [list(f) for f in figures], data=pd.DataFrame(figures, columns=[t("briefing.label", lang),
                                                                                     t("briefing.value", lang)]))
    return Briefing(
        iso3=iso3, lang=lang, country=name, title=t("briefing.title", lang, country=name),
        subtitle=t("briefing.as_of", lang, date=fmt.date(today, lang), version=version_no, version_date=version_date),
        sample=sample, key_figures=figures, status=status, context=context, sections=sections, sources=source_lines,
        version_line=t("briefing.version", lang, version=version_no, date=version_date, today=fmt.date(today, lang)),
        extra_sheets=[key_sheet, *_data_sheets(run, iso3, has_oda),
                      Table("sources", [Column(t("country.col.source", lang), 170)], [[s] for s in source_lines], data=sources)],
    )


def _data_sheets(run: Runner, iso3: str, has_oda: bool) -> list[Table]:
    """Tables of the page that the note sums up but the Excel file gives whole."""
    if not has_oda:
        return []
    return [Table(sheet, [], [], data=run(query, iso3=iso3, **params)) for sheet, query, params in (
        ("oda_entities", "country_oda_by_entity", {}), ("sectors", "country_oda_by_sector", {}),
        ("project_years", "country_project_years", {"project_key": None}))]


def _upcoming(run: Runner, iso3: str, lang: str, today: dt.date) -> Section:
    df = run("country_upcoming", iso3=iso3, today=today)
    section = Section(t("country.upcoming", lang))
    if df.empty:
        section.paragraphs.append(t("country.no_upcoming", lang))
        return section
    rows = upcoming_rows(df, lang, today)
    columns = [Column(t("country.col.date", lang), 24), Column(t("country.col.what", lang), 38),
               Column(t("country.col.title", lang), 50), Column(t("country.col.entity", lang), 30),
               Column(t("country.col.place", lang), 28)]
    shown = [[r["date"], r["what"], r["title"], r["entity"], r["place"]] for r in rows[:TOP_ROWS]]
    section.table = Table("upcoming", columns, shown, _more("briefing.rows_more", len(rows) - TOP_ROWS, lang), df)
    return section


def _agreements(run: Runner, iso3: str, lang: str, today: dt.date) -> Section:
    df = run("agreements_list", year_from=None, year_to=None, entities=[], countries=[iso3], levels=[], statuses=[],
             search="", follow_up_only=False, today=today)
    section = Section(t("country.agreements", lang))
    if df.empty:
        section.paragraphs.append(t("country.no_agreements", lang))
        return section
    # In force first, then by signature, latest first: what binds us today leads.
    df = df.assign(_order=(df.status != "in_force")).sort_values(["_order", "signed_on"], ascending=[True, False])
    columns = [Column(t("country.col.title", lang), 60), Column(t("country.col.entity", lang), 36),
               Column(t("country.col.status", lang), 22), Column(t("country.col.signed_on", lang), 26),
               Column(t("country.col.ends_on", lang), 26)]
    shown = [[a.title, a.entity, t(f"status.{a.status}", lang), _date(a.signed_on, lang), _date(a.ends_on, lang)]
             for a in df.head(TOP_ROWS).itertuples()]
    section.table = Table("agreements", columns, shown, _more("briefing.rows_more", len(df) - TOP_ROWS, lang),
                          df.drop(columns=["gantt_end", "_order"]))
    return section


def _who(run: Runner, iso3: str, lang: str, has_oda: bool) -> Section:
    """ODA, agreements and missions by home entity; the entities' disbursements by year as a chart."""
    who = run("country_who_does_what", iso3=iso3)
    section = Section(t("country.who", lang))
    if who.empty:
        section.paragraphs.append(t("briefing.nothing", lang))
        return section
    if has_oda:
        section.chart = entity_years_chart(run("country_oda_by_entity", iso3=iso3), lang)
        section.chart_title = section.chart.layout.title.text
    section.table = Table(
        "who",
        [Column(t("country.col.entity", lang), 50), Column(t("country.col.oda_disbursed", lang), 30, True),
         Column(t("country.col.oda_committed", lang), 30, True), Column(t("country.col.agreements", lang), 32, True),
         Column(t("country.col.missions", lang), 28, True)],
        [[w.entity, fmt.money(w.oda_disbursed_eur, lang), fmt.money(w.oda_committed_eur, lang),
          f"{fmt.number(w.agreements, lang)} ({fmt.number(w.agreements_in_force, lang)})", fmt.number(w.missions, lang)]
         for w in who.head(TOP_ROWS).itertuples()],
        _more("briefing.rows_more", len(who) - TOP_ROWS, lang), who,
    )
    return section


def _oda(run: Runner, iso3: str, lang: str, k, has_oda: bool, who: Section) -> list[Section]:
    """Commitments and disbursements by year, who does what (`who`), then the projects."""
    if not has_oda:
        return [Section(t("country.oda", lang), [t("country.no_oda", lang)]), who]
    by_year = run("oda_by_year", base=COUNTRY_CUBE, iso3=iso3)
    flows = charts.oda_flows(by_year, lang)
    commitments = Section(
        t("briefing.commitments", lang),
        [t("briefing.commitments_text", lang, start=int(k.oda_year_from), end=int(k.oda_year_to),
           disbursed=fmt.money(k.oda_disbursed_eur, lang), committed=fmt.money(k.oda_committed_eur, lang))],
        chart=flows, chart_title=flows.layout.title.text,
    )
    years = by_year.pivot_table(index="year", columns="flow", values="amount_eur", aggfunc="sum", fill_value=0)
    years = years.reindex(columns=["commitment", "disbursement"], fill_value=0).reset_index()
    commitments.table = Table(
        "oda_years",
        [Column(t("country.col.year", lang), 30), Column(t("country.col.committed", lang), 70, True),
         Column(t("country.col.disbursed", lang), 70, True)],
        [[str(int(y.year)), fmt.money(y.commitment, lang), fmt.money(y.disbursement, lang)] for y in years.itertuples()][-TOP_ROWS:],
        _more("briefing.rows_more", len(years) - TOP_ROWS, lang),
        years.rename(columns={"commitment": "committed_eur", "disbursement": "disbursed_eur"}),
    )

    projects = project_rows(run("country_projects", iso3=iso3, search="", entities=[], limit=None), lang)
    rest = projects.iloc[TOP_PROJECTS:]
    project_section = Section(t("country.projects", lang))
    project_section.table = Table(
        "projects",
        [Column(t("country.col.project", lang), 44), Column(t("country.col.entity", lang), 28),
         Column(t("country.col.project_sector", lang), 30), Column(t("country.col.years", lang), 18),
         Column(t("country.col.committed", lang), 25, True), Column(t("country.col.disbursed", lang), 25, True)],
        [[p.title, p.entity, p.sector, years_text(p.first_year, p.last_year), fmt.money(p.committed_eur, lang),
          fmt.money(p.disbursed_eur, lang)] for p in projects.head(TOP_PROJECTS).itertuples()],
        _more("briefing.projects_more", len(rest), lang, amount=fmt.money(rest.disbursed_eur.sum(), lang)),
        projects.drop(columns=["project_key"]),
    )
    return [commitments, who, project_section]


def _missions(run: Runner, iso3: str, lang: str, today: dt.date) -> Section:
    df = run("missions_list", **EVERY_YEAR, organisers=[], countries=[iso3], kinds=[], upcoming_only=False, today=today)
    section = Section(t("country.missions", lang))
    if df.empty:
        section.paragraphs.append(t("country.no_missions", lang))
        return section
    df = df.sort_values("starts_on", ascending=False)
    columns = [Column(t("country.col.starts_on", lang), 24), Column(t("country.col.title", lang), 52),
               Column(t("country.col.organiser", lang), 26), Column(t("country.col.city", lang), 24),
               Column(t("country.col.participants", lang), 22, True), Column(t("country.col.cost", lang), 22, True)]
    shown = [[_date(m.starts_on, lang), m.title, m.organiser, m.city if isinstance(m.city, str) else "",
              fmt.number(m.participants, lang), fmt.money(m.cost_eur, lang)] for m in df.head(TOP_ROWS).itertuples()]
    section.table = Table("missions", columns, shown, _more("briefing.rows_more", len(df) - TOP_ROWS, lang), df)
    return section


def _offices(run: Runner, iso3: str, lang: str) -> Section:
    df = run("country_offices", iso3=iso3)
    section = Section(t("country.offices", lang))
    if df.empty:
        section.paragraphs.append(t("country.no_offices", lang))
        return section
    columns = [Column(t("country.col.city", lang), 50), Column(t("country.col.agency", lang), 50),
               Column(t("country.col.kind", lang), 40), Column(t("country.col.shared", lang), 30)]
    shown = [[o.city, o.agency, t(f"map.office_kind.{o.kind}", lang) if isinstance(o.kind, str) else "",
              t("country.yes", lang) if o.shared else ""] for o in df.head(TOP_ROWS).itertuples()]
    section.table = Table("offices", columns, shown, _more("briefing.rows_more", len(df) - TOP_ROWS, lang), df)
    return section


# --- Country context (data/geo/countries.csv, from Natural Earth) ----------------------------------


def country_context(iso3: str, lang: str) -> tuple[str, str | None]:
    """(the line of context, its source) of the country; « non disponible » and no source for the small
    states that Natural Earth's 1:110m file lacks (their shapes come from 1:50m, without attributes)."""
    row = geo.countries().get(iso3) or {}
    if not row.get("pop_est"):
        return t("country.context_missing", lang), None
    income = row["income_grp"].split(".", 1)[0]
    region = row["region_un"]
    line = t("country.context_line", lang, pop_year=row["pop_year"], population=fmt.number(int(row["pop_est"]), lang),
             gdp_year=row["gdp_year"],
             gdp=t("country.context_gdp", lang, amount=fmt.number(float(row["gdp_md_est"]), lang)),
             income=t(f"country.income.{income}", lang) if income in "12345" else row["income_grp"],
             region=t(f"country.region_un.{region}", lang) if region in UN_REGIONS else region)
    return line, t("country.context_source", lang, pop_year=row["pop_year"], gdp_year=row["gdp_year"])


UN_REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania", "Antarctica")  # Natural Earth's REGION_UN
