"""« Présentation »: a committee deck built from the filters, projected one slide at a time
(?projeter=1, no Streamlit chrome, arrows to move), saved by name, and taken away as PowerPoint
and PDF; below, « depuis la dernière réunion » in full."""

import datetime as dt

import streamlit as st

from atlas import writes
from atlas.errors import AtlasError
from atlas.figures import deck_files as deck
from atlas.figures import since_last_meeting as changes
from atlas.figures import slides
from atlas.geography import countries as geo
from atlas.reading import queries
from atlas.web import login as auth
from atlas.web import ui, url_state
from atlas.words import fmt
from atlas.words.i18n import t

lang = ui.lang()
today = ui.today()
run = queries.frame
opts = slides.options(run)
bounds = slides.year_bounds(run)
if bounds is None:
    st.title(t("presentation.page_title", lang))
    ui.no_data(lang)
    ui.footer(lang)
    st.stop()

# A saved deck named in the link (?jeu=NAME) fills the link's other parameters once per visit.
deck_name = url_state.get("jeu")
if deck_name and st.session_state.get("pres_opened_deck") != deck_name:
    st.session_state["pres_opened_deck"] = deck_name
    try:
        saved = slides.load_deck(queries.saved_decks(), deck_name)
        url_state.drop(*slides.PARAMS.values())
        url_state.update(url_state.spec_to_query(saved))
    except AtlasError:
        st.warning(t("presentation.deck_unknown", lang, name=deck_name[:60]), icon=":material/link:")
        url_state.drop("jeu")
    for key in ("pres_slides", "pres_years", "pres_entities", "pres_countries", "pres_ref_kind", "pres_ref_version", "pres_ref_date"):
        st.session_state.pop(key, None)  # the widgets re-seed from the link

spec, notices = url_state.spec_from_query(url_state.as_dict(), opts, lang)
spec = slides.resolve(spec, run, today)


def go_to(index: int) -> None:
    url_state.put("diapo", str(index + 1))


def start() -> None:
    url_state.put_flag("projeter", True)
    url_state.put("diapo", "1")


def leave() -> None:
    url_state.drop("projeter", "diapo")


if url_state.flag("projeter"):
    # --- Projection: one slide, full screen, large type -------------------------------------
    st.html(
        """<style>
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
        [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
        .stMainBlockContainer, [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 2.2vh 4vw 1vh !important; }
        .stApp h1 { font-size: clamp(28px, 4.6vh, 64px) !important; line-height: 1.15; padding: 0 0 .5vh 0 !important; }
        .st-key-slide p, .st-key-slide li { font-size: clamp(18px, 2.9vh, 40px) !important; color: #1a1a1a; }
        .st-key-slide .subtitle p { font-size: clamp(16px, 2.3vh, 32px) !important; color: #4d4d4d; }
        .st-key-slide [data-testid="stMetricValue"], .st-key-slide [data-testid="stMetricValue"] * {
            font-size: clamp(34px, 7vh, 96px) !important; color: #08519c; font-weight: 700; line-height: 1.1; }
        .st-key-slide [data-testid="stMetricLabel"], .st-key-slide [data-testid="stMetricLabel"] * {
            font-size: clamp(16px, 2.4vh, 32px) !important; color: #333; white-space: normal !important;
            overflow: visible !important; text-overflow: clip !important; height: auto !important; }
        .st-key-slide [data-testid="stCaptionContainer"] p { font-size: clamp(14px, 2vh, 28px) !important; color: #4d4d4d; }
        .st-key-slide_footer p { font-size: clamp(14px, 2vh, 22px) !important; color: #4d4d4d; }
        .st-key-slide_figures_alone [data-testid="stMetricValue"], .st-key-slide_figures_alone [data-testid="stMetricValue"] * {
            font-size: clamp(48px, 11vh, 150px) !important; }
        .st-key-slide_figures_alone [data-testid="stMetricLabel"], .st-key-slide_figures_alone [data-testid="stMetricLabel"] * {
            font-size: clamp(18px, 3.4vh, 46px) !important; }
        .st-key-slide_figures_alone [data-testid="stCaptionContainer"] p { font-size: clamp(16px, 2.8vh, 38px) !important; }
        .st-key-slide_figures_alone [data-testid="stColumn"] { min-height: 27vh; padding: 1.5vh 1.2vw; }
        .st-key-slide_nav button p { font-size: clamp(16px, 2.2vh, 28px) !important; }
        </style>"""
    )
    total = len(spec.slides)
    index = url_state.number("diapo", 1, 1, total) - 1
    slide = slides.build_slide(spec.slides[index], run, spec, lang, today)
    with st.container(key="slide"):
        st.title(slide.title, anchor=False)
        if slide.subtitle:
            st.markdown(f'<div class="subtitle">\n\n{ui.escape_markdown(slide.subtitle)}\n\n</div>', unsafe_allow_html=True)
        if slide.figures and slide.chart is None and not slide.lines and not slide.message:
            # Figures alone (« Chiffres clés »): rows of three at most, in larger type, fill the screen.
            with st.container(key="slide_figures_alone"):
                for start in range(0, len(slide.figures), 3):
                    row = slide.figures[start:start + 3]
                    for column, figure in zip(st.columns(len(row), border=True), row):
                        column.metric(figure.label, figure.value)
                        if figure.note:
                            column.caption(figure.note)
        elif slide.figures:
            for column, figure in zip(st.columns(len(slide.figures), border=True), slide.figures):
                column.metric(figure.label, figure.value)
                if figure.note:
                    column.caption(figure.note)
        if slide.id == "titre":
            # The opening slide sits lower and larger: it stays up while the room settles.
            st.html("""<style>.st-key-slide { padding-top: 14vh; }
                .stApp h1 { font-size: clamp(36px, 6.6vh, 88px) !important; }
                .st-key-slide .subtitle p { font-size: clamp(22px, 3.6vh, 48px) !important; color: #08519c; }</style>""")
            st.markdown("\n\n".join(ui.escape_markdown(line) for line in slide.lines))
            ui.sample_notice(lang)
        else:
            chart_column, lines_column = (st.columns([5, 3], gap="large") if slide.chart is not None and slide.lines
                                          else (st.container(), st.container()))
            if slide.chart is not None:
                # Sized so that title, figures, chart and buttons fit a 1280×720 projector (plotly
                # draws at a fixed height: a chart stretched by CSS would not redraw).
                slide.chart.update_layout(height=300 if slide.figures else 440)
                with chart_column:
                    ui.plotly(slide.chart, key=f"slide_chart_{slide.id}")
            if slide.lines:
                lines_column.markdown("\n".join(f"- {ui.escape_markdown(line)}" for line in slide.lines))
            elif slide.message and slide.chart is None:
                st.markdown(ui.escape_markdown(slide.message))
    with st.container(key="slide_footer"):
        st.caption(" · ".join(p for p in (slides.footer(run, lang), slides.slide_sources(slide, lang)) if p))
    with st.container(horizontal=True, key="slide_nav", vertical_alignment="center"):
        st.button(t("presentation.previous", lang), key="slide_previous", icon=":material/arrow_back:", shortcut="Left",
                  disabled=index == 0, on_click=go_to, args=(index - 1,))
        st.markdown(t("presentation.counter", lang, n=index + 1, total=total))
        st.button(t("presentation.next", lang), key="slide_next", icon=":material/arrow_forward:", shortcut="Right",
                  disabled=index == total - 1, on_click=go_to, args=(index + 1,), type="primary")
        st.button(t("presentation.exit", lang), key="slide_exit", icon=":material/close:", shortcut="Esc", on_click=leave)
    st.stop()

# --- Preparation: filters, slides, saved decks, files ----------------------------------------
st.title(t("presentation.page_title", lang))
ui.sample_notice(lang)
st.caption(t("presentation.intro", lang))
for notice in notices:
    st.warning(notice, icon=":material/link:")

state = url_state.query_state(lang)
top = st.columns([3, 4, 4])
st.session_state.setdefault("pres_years", (spec.year_from, spec.year_to))
year_from, year_to = url_state.year_filter(state, slides.PARAMS["years"], t("presentation.filter_years", lang), bounds,
                                    key="pres_years", container=top[0])
url_state.put(slides.PARAMS["years"], url_state.encode_year_range((year_from, year_to)))  # kept even when it spans everything
entities = url_state.many_filter(state, slides.PARAMS["entities"], t("presentation.filter_entities", lang), opts.get("entity", []),
                          lang, key="pres_entities", container=top[1])
countries = url_state.many_filter(state, slides.PARAMS["countries"], t("presentation.filter_countries", lang),
                           sorted(opts.get("country", []), key=lambda c: geo.fold(geo.country_name(c, lang))), lang,
                           key="pres_countries", container=top[2], format_func=lambda c: geo.country_name(c, lang))
chosen = url_state.many_filter(state, slides.PARAMS["slides"], t("presentation.slides_label", lang), slides.SLIDES, lang,
                        key="pres_slides", format_func=lambda s: slides.label(s, lang))
st.caption(t("presentation.slides_help", lang))

# The reference of « depuis la dernière réunion »: a version, or a date.
versions = run("changes_versions")
reference = changes.Reference.parse(spec.reference)
left, right = st.columns([3, 5])
kinds = ["version", "date"]
st.session_state.setdefault("pres_ref_kind", "date" if reference.on else "version")
kind = left.radio(t("presentation.reference_kind", lang), kinds, key="pres_ref_kind",
                  format_func=lambda k: t(f"presentation.reference_kind_{k}", lang))
if kind == "version":
    numbers = versions.version.astype(int).tolist()
    described = {int(r.version): t("presentation.reference_version_option", lang, version=int(r.version),
                                   date=fmt.date(r.created_at, lang), action=t(f"presentation.action.{r.action}", lang),
                                   datasets=r.datasets if r.action == "load" else "")
                 for r in versions.itertuples()}
    if st.session_state.get("pres_ref_version") not in numbers:
        st.session_state["pres_ref_version"] = reference.version if reference.version in numbers else numbers[0]
    chosen_ref = changes.Reference(version=right.selectbox(t("presentation.reference_version", lang), numbers,
                                                           key="pres_ref_version", format_func=described.get))
else:
    st.session_state.setdefault("pres_ref_date", reference.on or today - dt.timedelta(days=30))
    chosen_ref = changes.Reference(on=right.date_input(t("presentation.reference_date", lang), key="pres_ref_date",
                                                       max_value=today, format="DD/MM/YYYY"))
url_state.put(slides.PARAMS["reference"], chosen_ref.encode())

spec = slides.DeckSpec(tuple(chosen) or slides.SLIDES, year_from, year_to, tuple(entities), tuple(countries),
                       chosen_ref.encode(), deck_name)
ui.share_link(lang)
st.button(t("presentation.start", lang), icon=":material/slideshow:", type="primary", key="pres_start",
          help=t("presentation.start_help", lang), on_click=start)

st.header(t("presentation.exports_header", lang), divider="gray")
st.caption(t("presentation.exports_help", lang))
files_key = repr((spec, lang, today))
if st.button(t("presentation.build_files", lang), icon=":material/description:", key="pres_build"):
    with st.spinner(t("presentation.building", lang)):
        st.session_state["pres_files"] = (files_key, deck.build_files(slides.build_deck(run, spec, lang, today)))
built = st.session_state.get("pres_files")
if built and built[0] == files_key:
    files = built[1]
    st.caption(t("presentation.built", lang, seconds=fmt.number(files.seconds, lang, 1)))
    row = st.container(horizontal=True)
    stem = f"atlas-comite-{today.isoformat()}"
    row.download_button(t("presentation.download_pptx", lang), files.pptx, file_name=f"{stem}.pptx", key="pres_pptx",
                        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                        icon=":material/download:")
    row.download_button(t("presentation.download_pdf", lang), files.pdf, file_name=f"{stem}.pdf", key="pres_pdf",
                        mime="application/pdf", icon=":material/download:")

st.header(t("presentation.decks_header", lang), divider="gray")
saved = queries.saved_decks()
left, right = st.columns(2)
names = [""] + saved.name.tolist()
authors = {r.name: (r.user_name, r.created_at) for r in saved.itertuples()}


def deck_label(name: str) -> str:
    """« Comité de décembre — Marie Dupont, 06/12/2026 »: who saved a deck, and when."""
    if not name:
        return t("presentation.deck_none", lang)
    author, saved_at = authors[name]
    return t("presentation.deck_option", lang, name=name, date=fmt.date(saved_at, lang, "medium"),
             user=author if isinstance(author, str) and author else t("presentation.deck_no_author", lang))


opened = left.selectbox(t("presentation.deck_open", lang), names, index=names.index(deck_name) if deck_name in names else 0,
                        format_func=deck_label, key="pres_open")
if opened and opened != deck_name:
    url_state.put("jeu", opened)
    st.rerun()
analyst = auth.current_user()


def save_deck(deck: slides.DeckSpec, name: str, replace: bool) -> None:
    """Save as the analyst (its author); an existing name is replaced only once they said so."""
    try:
        saved_name = writes.save_deck(deck, name, user=analyst, replace=replace)
    except writes.DeckExists as exists:
        st.session_state["pres_replace"] = (deck, exists.name, exists.user_name, exists.created_at)
        return
    except AtlasError as err:
        st.session_state["pres_save_error"] = err.message
        return
    st.session_state.pop("pres_replace", None)
    st.session_state["pres_opened_deck"] = st.session_state["pres_deck_name_of"] = saved_name  # the field shows it already
    url_state.put("jeu", saved_name)
    st.session_state["pres_save_flash"] = t("presentation.deck_saved_by", lang, name=saved_name, user=analyst)


with right:
    if not analyst:  # viewing needs no login; saving a deck others will open needs the analyst role
        st.info(t("presentation.deck_save_needs_login", lang), icon=":material/lock:")
        st.page_link("pages/donnees.py", label=t("presentation.deck_login_link", lang), icon=":material/login:")
    else:
        # The name field follows the deck opened; a key keeps what is typed when the link changes.
        if st.session_state.get("pres_deck_name_of") != deck_name:
            st.session_state["pres_deck_name_of"] = deck_name
            st.session_state["pres_deck_name"] = deck_name or ""
        with st.form("pres_save_form", border=False):
            name = st.text_input(t("presentation.deck_name", lang), max_chars=slides.NAME_LENGTH, key="pres_deck_name")
            if st.form_submit_button(t("presentation.deck_save", lang), icon=":material/save:"):
                save_deck(spec, name, replace=False)
        if "pres_save_flash" in st.session_state:
            st.success(st.session_state.pop("pres_save_flash"), icon=":material/check:")
        if "pres_save_error" in st.session_state:
            st.error(st.session_state.pop("pres_save_error"))
        pending = st.session_state.get("pres_replace")
        if pending:
            pending_spec, pending_name, author, saved_at = pending
            st.warning(t("presentation.deck_exists", lang, name=pending_name,
                         user=author or t("presentation.deck_no_author", lang),
                         date=fmt.date(saved_at, lang, "medium") if saved_at else "?"), icon=":material/warning:")
            with st.container(horizontal=True):
                st.button(t("presentation.deck_replace", lang, name=pending_name), type="primary", key="pres_replace_yes",
                          on_click=save_deck, args=(pending_spec, pending_name, True))
                st.button(t("presentation.deck_keep", lang), key="pres_replace_no",
                          on_click=lambda: st.session_state.pop("pres_replace", None))

st.header(t("presentation.changes_header", lang), divider="gray")
found = changes.compute(run, chosen_ref, list(entities), list(countries))
st.subheader(t("presentation.changes.title", lang, since=found.describe_reference(lang)), anchor=False)
for title_key, frame, lines, name in (
    ("presentation.changes_agreements", found.agreements, changes.agreement_lines, "accords"),
    ("presentation.changes_oda", found.oda, changes.oda_lines, "apd"),
    ("presentation.changes_missions", found.missions, changes.mission_lines, "missions"),
):
    st.markdown(f"**{t(title_key, lang)}**")
    if frame.empty:
        st.caption(t("presentation.changes_nothing", lang))
        continue
    st.markdown("\n".join(f"- {ui.escape_markdown(line)}" for line in lines(frame, lang)))
    ui.downloads(frame, f"changements-{name}", lang, key=f"pres_changes_{name}", title=t(title_key, lang))

ui.sources(run("slides_sources", year_from=year_from, year_to=year_to, entities=entities, countries=countries).source, lang)
ui.footer(lang)
