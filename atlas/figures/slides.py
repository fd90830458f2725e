"""The slides of a committee deck: which exist, and what each shows under the deck's filters.

A deck is a choice and order of slides plus filters (years, entities, countries, the reference
of « depuis la dernière réunion »). `build_deck` turns it into `Slide`s: a title stating the
finding, key figures, a plotly figure or a few lines of text, and the datasets behind it. The
« Présentation » page shows them one at a time; atlas/figures/deck_files.py writes them to PowerPoint and PDF.
No Streamlit here: queries run through `run(name, **params) -> DataFrame` (atlas/reading's
`queries.frame` in the app, the store's `runner(db)` on the command line). Decks are saved by the
write door (atlas/writes: `save_deck`) in a file beside the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from atlas.errors import AtlasError
from atlas.exports.sources import Cited
from atlas.figures import charts, maps
from atlas.figures import since_last_meeting as changes
from atlas.geography import countries as geo
from atlas.words import fmt
from atlas.words.i18n import plural, t

Runner = Callable[..., pd.DataFrame]

# Slide ids, in the default order; they appear in links (?diapos=carte~apd) and saved decks.
SLIDES = ("titre", "chiffres-cles", "carte", "apd", "pays-prioritaires", "accords", "missions", "depuis-derniere-reunion")
MAX_LINES = 8  # lines of text a slide holds readably from the back of a room
NAME_LENGTH = 60


@dataclass(frozen=True)
class DeckSpec:
    """What a presenter chose: slides in order, filters, and the « last time » reference."""

    slides: tuple[str, ...] = SLIDES
    year_from: int | None = None  # None: the default span (see `resolve`)
    year_to: int | None = None
    entities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    reference: str | None = None  # « v3 » or « 2026-10-01 » (changes.Reference); None: the default
    name: str | None = None

    def filters(self) -> dict:
        return {"year_from": self.year_from, "year_to": self.year_to, "entities": list(self.entities),
                "countries": list(self.countries), "reference": self.reference}

    @staticmethod
    def from_saved(name: str, slides: str, filters: str) -> DeckSpec:
        """A deck as saved (JSON written by atlas.writes.save_deck), unknown slide ids dropped."""
        f = json.loads(filters)
        ids = tuple(s for s in json.loads(slides) if s in SLIDES)
        return DeckSpec(
            ids, _int_or_none(f.get("year_from")), _int_or_none(f.get("year_to")),
            tuple(map(str, f.get("entities") or ())), tuple(map(str, f.get("countries") or ())),
            f.get("reference") if changes.Reference.parse(f.get("reference")) else None, name,
        )


def _int_or_none(value) -> int | None:
    return int(value) if isinstance(value, int | float) and value == value else None


@dataclass
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass
class Slide:
    id: str
    title: str
    subtitle: str = ""
    figures: list[KeyFigure] = field(default_factory=list)
    chart: go.Figure | None = None
    lines: list[str] = field(default_factory=list)
    message: str = ""  # shown instead of a chart when the filters leave nothing to show
    datasets: tuple[str, ...] = ()  # where the figures come from, named in the footer


@dataclass
class Deck:
    spec: DeckSpec
    slides: list[Slide]
    footer: str  # the data version, on every slide and page
    sources: list[str]  # every distinct source behind the deck
    sample: bool  # some rows are illustrative (« exemple »)
    lang: str
    cited: list[Cited] = field(default_factory=list)  # the sources by dataset, said on the files' last page


# --- Saved decks --------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())[:NAME_LENGTH]
    if not name:
        raise AtlasError("donnez un nom au jeu de diapositives.")
    return name


def load_deck(decks: pd.DataFrame, name: str) -> DeckSpec:
    """The deck saved as `name`, from the saved decks (atlas/reading/queries.py `saved_decks`,
    or the store's Decks(db).frame() on the command line)."""
    row = decks[decks.name == name]
    if row.empty:
        raise AtlasError(f"aucun jeu de diapositives ne s'appelle « {name} ».")
    r = row.iloc[0]
    return DeckSpec.from_saved(r["name"], r["slides"], r["filters"])


# --- Filters -----------------------------------------------------------------------------------


def options(run: Runner) -> dict[str, list[str]]:
    """The values the filters offer: entity, country (ISO3) and year (text)."""
    df = run("slides_options")
    return {kind: list(part.value) for kind, part in df.groupby("kind")}


def year_bounds(run: Runner) -> tuple[int, int] | None:
    years = [int(y) for y in options(run).get("year", [])]
    return (min(years), max(years)) if years else None


def default_years(bounds: tuple[int, int], today: dt.date) -> tuple[int, int]:
    """The five years up to this one (within the data): what a committee usually reviews."""
    end = min(max(today.year, bounds[0]), bounds[1])
    return max(bounds[0], end - 5), end


def resolve(spec: DeckSpec, run: Runner, today: dt.date) -> DeckSpec:
    """The spec with its years and reference filled in (defaults) and kept within the data."""
    bounds = year_bounds(run) or (today.year, today.year)
    start, end = default_years(bounds, today)
    year_from = spec.year_from if spec.year_from is not None else start
    year_to = spec.year_to if spec.year_to is not None else end
    year_from, year_to = max(bounds[0], min(year_from, bounds[1])), max(bounds[0], min(year_to, bounds[1]))
    if year_from > year_to:
        year_from, year_to = year_to, year_from
    reference = spec.reference if changes.Reference.parse(spec.reference) else changes.default_reference(run).encode()
    return replace(spec, year_from=year_from, year_to=year_to, reference=reference)


# The deck in a link: every choice of the page is a query parameter, so a link (or a browser
# reload, or the switch to projection) reopens exactly the same deck.
PARAMS = {"slides": "diapos", "years": "annees", "entities": "entites", "countries": "pays", "reference": "reference"}


# --- Slides --------------------------------------------------------------------------------------


def label(slide_id: str, lang: str) -> str:
    """The slide's name in the chooser."""
    return t(f"presentation.slide.{slide_id}", lang)


# px of every text of a projected chart. The presentation mode draws it at this size on screen; the
# deck's files draw it on a 1920-px slide, 14.7 px once shown on a 1280×720 projector. Streamlit's
# theme sets the axes' ticks to 12 px on screen unless the figure says otherwise.
PROJECTED_TYPE = 22


def presentation_style(fig: go.Figure, lang: str) -> go.Figure:
    """Large type for a projector: the figure's finding moves to the slide's title."""
    fig.update_layout(
        title_text=None, font={"size": PROJECTED_TYPE}, hoverlabel={"font_size": 20},
        legend={"font": {"size": PROJECTED_TYPE}}, margin={"l": 10, "r": 30, "t": 50, "b": 10},
    )
    # Room for every tick label: Streamlit's theme gives it on screen, kaleido (the deck's PNG and
    # PDF) draws the bare figure, which cut the years and the y labels down to « % ».
    for axes in (fig.update_xaxes, fig.update_yaxes):
        axes(automargin=True, tickfont={"size": PROJECTED_TYPE}, title_font={"size": PROJECTED_TYPE})
    return fig


def _finding(fig: go.Figure) -> str:
    return fig.layout.title.text or ""


def _scope(spec: DeckSpec, lang: str) -> str:
    entities = ", ".join(spec.entities) if spec.entities else t("presentation.all_entities", lang)
    countries = (", ".join(geo.country_name(c, lang) for c in spec.countries) if spec.countries
                 else t("presentation.all_countries", lang))
    return t("presentation.scope", lang, start=spec.year_from, end=spec.year_to, entities=entities, countries=countries)


def _params(spec: DeckSpec, *names: str, **extra) -> dict:
    values = dict(year_from=spec.year_from, year_to=spec.year_to, entities=list(spec.entities),
                  countries=list(spec.countries))
    return {**{n: values[n] for n in names}, **extra}


FILTERS = ("year_from", "year_to", "entities", "countries")


def _kpis(run: Runner, spec: DeckSpec, today: dt.date) -> pd.Series:
    return run("slides_kpis", **_params(spec, *FILTERS, today=today)).iloc[0]


def title_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    version = run("data_version")
    lines = [_scope(spec, lang), t("presentation.presented_on", lang, date=fmt.date(today, lang))]
    if not version.empty:
        lines.append(t("presentation.data_version", lang, version=int(version.version.iloc[0]),
                       date=fmt.date(version.created_at.iloc[0], lang)))
    return Slide("titre", t("presentation.title_slide.title", lang),
                 t("presentation.title_slide.subtitle", lang, start=spec.year_from, end=spec.year_to), lines=lines)


def key_figures_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    k = _kpis(run, spec, today)
    ratio = k.national_oda_eur / k.national_gni_eur if k.national_gni_eur == k.national_gni_eur and k.national_gni_eur else None
    has_oda = k.oda_year == k.oda_year and k.oda_year is not None
    figures = [
        KeyFigure(t("presentation.kpi.agreements_in_force", lang), fmt.number(k.agreements_in_force, lang),
                  t("presentation.kpi.agreements_signed", lang, count=fmt.number(k.agreements_signed, lang),
                    start=spec.year_from, end=spec.year_to)),
        KeyFigure(t("presentation.kpi.priority_countries", lang), fmt.number(k.priority_countries, lang),
                  t("presentation.kpi.priority_countries_note", lang, year=today.year)),
        KeyFigure(t("presentation.kpi.oda", lang, year=int(k.oda_year)) if has_oda else t("presentation.kpi.oda_none", lang),
                  fmt.money_short(k.oda_eur, lang),
                  t("presentation.kpi.oda_priority_share", lang,
                    share=fmt.percent(k.oda_priority_eur / k.oda_eur if has_oda and k.oda_eur else None, lang, 0))),
        KeyFigure(t("presentation.kpi.oda_gni", lang, year=int(k.national_year)) if ratio is not None
                  else t("presentation.kpi.oda_gni_none", lang),
                  fmt.percent(ratio, lang),
                  (f"{t('oda.preliminary', lang)} · " if k.national_preliminary else "") + t("presentation.kpi.oda_gni_note", lang)),
        KeyFigure(t("presentation.kpi.missions", lang, start=spec.year_from, end=spec.year_to), fmt.number(k.missions, lang),
                  t("presentation.kpi.missions_note", lang, net=fmt.money_short(k.missions_net_cost_eur, lang))),
    ]
    return Slide("chiffres-cles", t("presentation.key_figures.title", lang, start=spec.year_from, end=spec.year_to),
                 _scope(spec, lang), figures=figures,
                 datasets=("agreements", "priority_countries", "oda", "oda_national", "missions"))


def map_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    values = run("slides_map_oda", **_params(spec, *FILTERS))
    priorities = run("slides_priorities", **_params(spec, *FILTERS, today=today))
    partners = run("slides_partners", **_params(spec, "entities", "countries"))
    if values.empty:
        title = t("presentation.map.title_none", lang, start=spec.year_from, end=spec.year_to)
    else:
        first = charts.leaders([geo.country_name(c, lang) for c in values.country_iso3], values.value)
        title = t("presentation.map.title" if len(first) == 1 else "finding.deck_map_tie", lang, count=len(values),
                  start=spec.year_from, end=spec.year_to, country=charts.name_list(first, lang),
                  amount=fmt.money_short(values.value.max(), lang))
    fig = maps.choropleth_map(values, lang, legend=t("map.oda_legend", lang), hover=t("map.oda_hover", lang), money=True,
                              priorities=priorities[["country_iso3", "entities"]], partners=partners)
    fig.update_layout(font={"size": PROJECTED_TYPE}, legend={"font": {"size": PROJECTED_TYPE}},
                      margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return Slide("carte", title, t("presentation.map.subtitle", lang), chart=fig,
                 datasets=("oda", "priority_countries", "agreements"))


def oda_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    gni = run("oda_gni", **_params(spec, "year_from", "year_to"))
    if gni.empty:
        return Slide("apd", t("presentation.oda.title_none", lang), message=t("app.no_data", lang), datasets=("oda_national",))
    fig = charts.oda_gni(gni, lang)
    last = gni.iloc[-1]
    figures = [
        KeyFigure(t("oda.kpi_ratio", lang, year=int(last.year)), fmt.percent(last.oda_gni, lang),
                  t("oda.preliminary", lang) if last.preliminary else ""),
        KeyFigure(t("oda.kpi_oda", lang, year=int(last.year)), fmt.money_short(last.oda_eur, lang)),
        KeyFigure(t("oda.kpi_gap", lang, year=int(last.year)), fmt.money_short(max(float(last.gap_eur), 0), lang)),
    ]
    return Slide("apd", _finding(fig), t("presentation.oda.subtitle", lang), figures=figures,
                 chart=presentation_style(fig, lang), datasets=("oda_national",))


def priorities_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    share = run("oda_priority_share", **_params(spec, *FILTERS, sectors=[]))
    countries = run("slides_priorities", **_params(spec, *FILTERS, today=today))
    lines = [f"{geo.country_name(r.country_iso3, lang)} — {fmt.money_short(r.oda_eur, lang)}" for r in countries.itertuples()]
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES - 1] + [t("presentation.more", lang, count=len(lines) - MAX_LINES + 1)]
    figures = [KeyFigure(t("presentation.kpi.priority_countries", lang), fmt.number(len(countries), lang),
                         t("presentation.kpi.priority_countries_note", lang, year=today.year))]
    slide = Slide("pays-prioritaires", t("presentation.priorities.title_none", lang), t("presentation.priorities.subtitle", lang,
                  start=spec.year_from, end=spec.year_to), figures=figures, lines=lines,
                  datasets=("priority_countries", "oda"))
    if share.empty:
        slide.message = t("app.no_data", lang)
        return slide
    fig = charts.oda_priority_share(share, lang)
    slide.title, slide.chart = _finding(fig), presentation_style(fig, lang)
    return slide


def agreements_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    df = run("slides_agreements", **_params(spec, *FILTERS, today=today))
    new, in_force, expiring = int(df.is_new.sum()), int(df.in_force.sum()), int(df.expiring.sum())
    figures = [
        KeyFigure(t("presentation.agreements.new", lang, start=spec.year_from, end=spec.year_to), fmt.number(new, lang)),
        KeyFigure(t("presentation.agreements.in_force", lang), fmt.number(in_force, lang)),
        KeyFigure(t("presentation.agreements.expiring", lang), fmt.number(expiring, lang),
                  t("presentation.agreements.expiring_note", lang)),
    ]
    lines = []
    for r in df[df.expiring].itertuples():
        lines.append(t("presentation.agreements.expiring_line", lang, partner=r.partner,
                       country=geo.country_name(r.country_iso3, lang), date=fmt.date(r.ends_on, lang)))
    for r in df[df.is_new].sort_values("signed_on", ascending=False).itertuples():
        # An agreement under negotiation is not signed yet: its date is when the talks opened.
        key = "presentation.agreements.negotiating_line" if r.status == "negotiating" else "presentation.agreements.new_line"
        lines.append(t(key, lang, partner=r.partner, country=geo.country_name(r.country_iso3, lang),
                       date=fmt.date(r.signed_on, lang), status=t(f"status.{r.status}", lang)))
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES - 1] + [t("presentation.more", lang, count=len(lines) - MAX_LINES + 1)]
    title = t("presentation.agreements.title", lang,
              in_force=plural("agreements.in_force", in_force, lang, n=in_force),
              new=plural("presentation.agreements.new", new, lang, n=new),
              expiring=plural("presentation.agreements.expiring", expiring, lang, n=expiring))
    return Slide("accords", title, _scope(spec, lang), figures=figures, lines=lines,
                 message="" if lines else t("presentation.agreements.nothing", lang), datasets=("agreements",))


def missions_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    df = run("slides_missions", **_params(spec, *FILTERS))
    if df.empty:
        return Slide("missions", t("presentation.missions.title_none", lang, start=spec.year_from, end=spec.year_to),
                     message=t("app.no_data", lang), datasets=("missions",))
    fig = charts.mission_costs(df, "year", lang)
    figures = [
        KeyFigure(t("missions.kpi_missions", lang), fmt.number(df.missions.sum(), lang)),
        KeyFigure(t("missions.kpi_cost", lang), fmt.money_short(df.cost_eur.sum(), lang)),
        KeyFigure(t("missions.kpi_fees", lang), fmt.money_short(df.fees_eur.sum(), lang)),
        KeyFigure(t("missions.kpi_net", lang), fmt.money_short(df.net_cost_eur.sum(), lang)),
    ]
    return Slide("missions", _finding(fig), t("presentation.missions.subtitle", lang), figures=figures,
                 chart=presentation_style(fig, lang), datasets=("missions",))


def changes_slide(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    found = changes.compute(run, changes.Reference.parse(spec.reference), list(spec.entities), list(spec.countries))
    since = found.describe_reference(lang)
    figures = [
        KeyFigure(t("presentation.changes.kpi_agreements", lang), fmt.number(found.new_agreements, lang)),
        KeyFigure(t("presentation.changes.kpi_statuses", lang), fmt.number(found.status_changes, lang)),
        KeyFigure(t("presentation.changes.kpi_oda", lang), fmt.number(found.oda_revisions, lang),
                  _signed(found.oda_delta_eur, lang) if found.oda_revisions else ""),
        KeyFigure(t("presentation.changes.kpi_missions", lang), fmt.number(found.new_missions, lang)),
    ]
    lines = found.lines(lang)
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES - 1] + [t("presentation.changes.more", lang, count=len(lines) - MAX_LINES + 1)]
    title = t("presentation.changes.title", lang, since=since)
    return Slide("depuis-derniere-reunion", title, _scope(spec, lang), figures=figures, lines=lines,
                 message="" if lines else t("presentation.changes.none", lang),
                 datasets=("agreements", "oda", "missions"))


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + fmt.money_short(value, lang)


BUILDERS = {
    "titre": title_slide,
    "chiffres-cles": key_figures_slide,
    "carte": map_slide,
    "apd": oda_slide,
    "pays-prioritaires": priorities_slide,
    "accords": agreements_slide,
    "missions": missions_slide,
    "depuis-derniere-reunion": changes_slide,
}


def build_slide(slide_id: str, run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Slide:
    """One slide of a resolved spec (see `resolve`)."""
    return BUILDERS[slide_id](run, spec, lang, today)


def footer(run: Runner, lang: str) -> str:
    version = run("data_version")
    if version.empty:
        return t("presentation.footer_no_version", lang)
    return t("presentation.footer", lang, version=int(version.version.iloc[0]),
             date=version.created_at.iloc[0].strftime("%d/%m/%Y %H:%M"))


def slide_sources(slide: Slide, lang: str) -> str:
    """« Sources : accords de coopération, APD… (détail en fin de document) » for a footer."""
    if not slide.datasets:
        return ""
    return t("presentation.sources_short", lang, datasets=", ".join(t(f"presentation.dataset.{d}", lang) for d in slide.datasets))


def build_deck(run: Runner, spec: DeckSpec, lang: str, today: dt.date) -> Deck:
    """Every slide of `spec`, resolved, with the footer and the sources of the take-away files."""
    spec = resolve(spec, run, today)
    found = run("slides_sources", **_params(spec, *FILTERS))
    cited = [Cited(r.source, r.dataset, int(r.rows), *(int(y) if pd.notna(y) else None for y in (r.year_from, r.year_to)),
                   r.entity if isinstance(r.entity, str) else None) for r in found.itertuples()]
    sample = bool(run("sample_rows").sample_rows.iloc[0])
    slides = [build_slide(s, run, spec, lang, today) for s in spec.slides]
    return Deck(spec, slides, footer(run, lang), sorted(set(found.source)), sample, lang, cited)
