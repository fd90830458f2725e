"""« Données »: templates, upload and validation, preview of the change, import as a version,
history with comparison and restore. Viewing is open; changing data needs the analyst role."""

from functools import partial

import pandas as pd
import streamlit as st

from atlas import writes
from atlas.contract import DATASETS
from atlas.errors import AtlasError
from atlas.imports import ingest
from atlas.imports import upload_templates as templates
from atlas.reading import queries
from atlas.web import login as auth
from atlas.web import ui, uploads
from atlas.words import fmt
from atlas.words.i18n import t

lang = ui.lang()
st.title(t("data.title", lang))
ui.sample_notice(lang)



def shown(value) -> str:
    """A stored value as a reader expects it: Belgian numbers and dates, « (vide) » for nothing."""
    if value is None or value != value:
        return t("data.empty", lang)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return fmt.number(value, lang, 0 if value.is_integer() else 2)
    if hasattr(value, "isoformat"):
        return fmt.date(value, lang)  # « 5 mars 2027 »: babel's short style writes « 05/03/27 »
    return str(value)


def dataset_name(name: str) -> str:
    """A dataset as the reader calls it; the contract's name (`oda`…) stays in files and the CLI."""
    return t(f"data.dataset_name.{name}", lang)


def changes_table(cells: list[dict]) -> pd.DataFrame:
    """Changed cells as key | column | « old → new »."""
    return pd.DataFrame(
        [{"key": c["key"], "column": c["column"], "change": f"{shown(c['old'])} → {shown(c['new'])}"} for c in cells]
    )


def show_restore(restore: writes.RestorePreview) -> None:
    """What restoring a version would change, dataset by dataset, and its confirmation."""
    st.markdown("**" + t("data.restore_preview_title", lang, version=restore.version) + "**")
    st.caption(t("data.restore_preview_caption", lang, version=restore.version, base=restore.base_version,
                 new=restore.base_version + 1))
    totals = [sum(getattr(d.change, kind) for d in restore.diffs.values()) for kind in ("added", "changed", "removed")]
    tiles = st.columns(3)
    for tile, label, value in zip(tiles, ("data.added", "data.changed", "data.removed"), totals):
        tile.metric(t(label, lang), fmt.number(value, lang))
    if not restore.total:
        st.info(t("data.restore_nothing", lang, version=restore.version))
        return
    touched = {n: d for n, d in restore.diffs.items() if d.change.total}
    ui.table(
        pd.DataFrame([{"dataset": dataset_name(n), "added": d.change.added, "changed": d.change.changed, "removed": d.change.removed}
                      for n, d in touched.items()]),
        f"restauration-v{restore.version}", lang, "data_restore_dl", hide_index=True, width="stretch",
        column_config={"dataset": t("data.col_dataset", lang), "added": t("data.col_added", lang),
                       "changed": t("data.col_changed", lang), "removed": t("data.col_removed", lang)},
    )
    for n, d in touched.items():
        for label, rows, count in (("data.compare_cells", changes_table(d.cells), d.change.changed),
                                   ("data.restore_rows", d.added, d.change.added),
                                   ("data.restore_removed_rows", d.removed, d.change.removed)):
            if count:
                with st.expander(t(label, lang, dataset=dataset_name(n), n=count)):
                    ui.table(rows, f"restauration-v{restore.version}-{n}", lang, f"data_restore_{n}_{label}_dl",
                             hide_index=True, width="stretch", room=ui.EXPANDER_ROOM,
                             caption=t("data.sample_note", lang, shown=len(rows), n=count) if count > len(rows) else None)
    with st.container(horizontal=True):
        confirm = st.button(t("data.restore_confirm", lang, version=restore.version), type="primary",
                            key="data_restore_confirm", icon=":material/history:")
        if st.button(t("data.restore_cancel", lang), key="data_restore_cancel"):
            st.session_state.pop("data_restore_preview", None)
            st.rerun()
    if confirm:
        try:
            new, changes = writes.rollback(restore.version, user=user, base_version=restore.base_version)
        except AtlasError as err:
            st.error(err.message)
        else:
            st.session_state.pop("data_restore_preview", None)
            total = sum(c.total for c in changes.values())
            st.session_state["data_flash"] = t("data.restored", lang, version=restore.version, new=new, rows=total)
            st.rerun()


if "data_flash" in st.session_state:
    st.success(st.session_state.pop("data_flash"), icon=":material/check_circle:")


# --- Who is here -------------------------------------------------------------------------------

try:
    accounts = auth.configured_analysts()
except AtlasError as err:
    accounts = {}
    st.error(err.message)
user = auth.current_user()
if user:
    left, right = st.columns([5, 1])
    left.caption(t("data.logged_in_as", lang, user=user))
    if right.button(t("data.logout", lang), key="data_logout", width="stretch"):
        auth.log_out()
        st.rerun()
else:
    st.info(t("data.readonly" if accounts else "data.readonly_no_accounts", lang), icon=":material/lock:")
    if accounts:
        with st.columns([2, 3])[0].form("data_login"):
            name = st.text_input(t("data.login_name", lang), key="data_login_name")
            password = st.text_input(t("data.login_password", lang), type="password", key="data_login_password")
            if st.form_submit_button(t("data.login_submit", lang)):
                if auth.log_in(name, password):
                    st.rerun()
                st.error(t("data.login_failed", lang))

import_tab, history_tab = st.tabs([t("data.tab_import", lang), t("data.tab_history", lang)])


# --- Import: template, upload, problems or preview, confirm ------------------------------------

with import_tab:
    name = st.selectbox(
        t("data.dataset", lang), list(DATASETS), key="data_dataset", placeholder=t("widgets.choose", lang),
        format_func=dataset_name,
    )
    ds = DATASETS[name]
    with st.expander(t("data.columns", lang, name=dataset_name(name))):
        ui.table(pd.DataFrame(templates.describe(ds)), f"colonnes-{name}", lang, "data_columns_dl",
                 hide_index=True, width="stretch", title=t("data.columns", lang, name=dataset_name(name)),
                 row_height=ui.WRAPPED_ROWS, room=ui.EXPANDER_ROOM)
    left, right, _ = st.columns([2, 3, 4])
    # Built only when clicked (a callable): the Excel workbook took most of this page's run.
    left.download_button(
        t("data.template_csv", lang), partial(templates.to_csv, ds), file_name=f"modele-{name}.csv",
        mime="text/csv", key="data_template_csv", width="stretch",
    )
    right.download_button(
        t("data.template_xlsx", lang), partial(templates.to_excel, ds), file_name=f"modele-{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="data_template_xlsx", width="stretch",
    )
    ui.dataset_downloads(ds, lang)  # the data themselves, under the contract's headers: to edit and upload again

    if not user:
        st.caption(t("data.upload_needs_login", lang))
    else:
        modes = [m for m in writes.MODES if m == "replace" or (m == "upsert" and ds.key) or (m == "years" and ds.year_column)]
        mode = st.radio(
            t("data.mode", lang), modes, key=f"data_mode_{name}", horizontal=True,
            format_func=lambda m: t(f"data.mode_{m}", lang),
        )
        st.caption(t(f"data.mode_{mode}_help" + ("_oda" if mode == "years" and len(ds.years_scope) > 1 else ""), lang))
        round_ = st.session_state.setdefault("data_upload_round", 0)
        uploaded = uploads.file_uploader(  # Streamlit's own words and limit replaced by Atlas's
            t("data.upload", lang), lang, key=f"data_upload_{round_}",
            kinds=t("upload.kinds_oda" if name == "oda" else "upload.kinds", lang),
            help=t("data.upload_help", lang, mb=ingest.MAX_BYTES // (1024 * 1024)),
        )
        if uploaded is not None:
            too_big = ingest.size_refusal(uploaded.size)  # before the bytes are read
            if too_big:
                st.error(too_big)
                st.stop()
            wanted = (uploaded.file_id, uploaded.size, name, mode, queries.stamp())
            if st.session_state.get("data_preview_key") != wanted:
                with st.spinner(t("data.checking", lang)):
                    try:
                        st.session_state["data_preview"] = writes.preview_upload(
                            name, uploaded.getvalue(), uploaded.name, mode
                        )
                    except AtlasError as err:
                        st.error(err.message)
                        st.stop()
                st.session_state["data_preview_key"] = wanted
            preview = st.session_state["data_preview"]
            report = preview.report

            if report.notices:
                st.info(
                    t("data.notices", lang) + "\n" + "\n".join(f"- {ui.escape_markdown(n)}" for n in report.notices),
                    icon=":material/autorenew:",
                )
            if not report.ok:
                st.error(t("data.problems", lang, n=report.problem_count, file=uploaded.name), icon=":material/block:")
                problems = pd.DataFrame(ingest.problems_table(report)).astype({"ligne": "Int64"})
                ui.table(
                    problems, f"problemes-{name}", lang, "data_problems", hide_index=True, width="stretch",
                    title=f"{uploaded.name} — {t('data.col_problem', lang)}",
                    caption=t("data.problems_omitted", lang, kept=fmt.number(len(report.problems), lang),
                              n=fmt.number(report.omitted, lang)) if report.omitted else None,
                    column_config={
                        "ligne": st.column_config.NumberColumn(t("data.col_line", lang), format="%d"),
                        "colonne": t("data.col_column", lang),
                        "valeur": t("data.col_value", lang),
                        "problème": st.column_config.TextColumn(t("data.col_problem", lang), width="large"),
                    },
                )
            else:
                change = preview.change
                st.subheader(t("data.preview_title", lang, file=uploaded.name))
                st.caption(t("data.preview_caption", lang, rows=report.rows, mode=t(f"data.mode_{mode}", lang),
                             version=preview.base_version))
                tiles = st.columns(4)
                tiles[0].metric(t("data.added", lang), fmt.number(change.added, lang))
                tiles[1].metric(t("data.changed", lang), fmt.number(change.changed, lang))
                tiles[2].metric(t("data.removed", lang), fmt.number(change.removed, lang))
                tiles[3].metric(
                    t("data.rows_after", lang), fmt.number(preview.rows_after, lang),
                    delta=t("data.rows_before", lang, n=fmt.number(preview.rows_before, lang)), delta_color="off",
                    delta_arrow=ui.arrow(preview.rows_after, preview.rows_before),
                )
                if not change.total:
                    st.info(t("data.no_change", lang))
                if preview.replaced:
                    st.markdown("**" + t("data.replaced_title", lang) + "**")
                    st.caption(t("data.replaced_caption", lang))
                    ui.table(
                        pd.DataFrame(preview.replaced), f"annees-remplacees-{name}", lang, "data_replaced_dl",
                        hide_index=True, title=t("data.replaced_title", lang),
                        column_config={
                            "entity": t("data.col_entity", lang),
                            "year": st.column_config.NumberColumn(t("data.col_year", lang), format="%d"),
                            "rows_in_file": st.column_config.NumberColumn(t("data.col_rows_in_file", lang), format="%d"),
                            "rows_before": st.column_config.NumberColumn(t("data.col_rows_before", lang), format="%d"),
                            "rows_removed": st.column_config.NumberColumn(t("data.col_rows_removed", lang), format="%d"),
                        },
                    )
                if preview.diff.cells:
                    st.markdown("**" + t("data.cells_title", lang, n=change.changed) + "**")
                    ui.table(
                        changes_table(preview.diff.cells), f"changements-{name}", lang, "data_cells_dl",
                        hide_index=True, width="stretch", title=t("data.cells_title", lang, n=change.changed),
                        column_config={
                            "key": t("data.col_key", lang), "column": t("data.col_column", lang),
                            "change": st.column_config.TextColumn(t("data.col_change", lang), width="large"),
                        },
                    )
                for label, rows, count in (("data.added_rows", preview.diff.added, change.added),
                                           ("data.removed_rows", preview.diff.removed, change.removed)):
                    if count:
                        with st.expander(t(label, lang, n=count)):
                            file = "lignes-ajoutees" if label == "data.added_rows" else "lignes-retirees"
                            ui.table(rows, f"{file}-{name}", lang, f"{label.replace('.', '_')}_dl",
                                     hide_index=True, width="stretch", title=t(label, lang, n=count), room=ui.EXPANDER_ROOM,
                                     caption=t("data.sample_note", lang, shown=len(rows), n=count)
                                     if count > len(rows) else None)

                force = False
                if preview.refusal:  # the page's own confirmation, not the command line's --force
                    st.warning(t("data.guard", lang, n=fmt.number(change.removed, lang),
                                 before=fmt.number(preview.rows_before, lang), dataset=dataset_name(name),
                                 upsert=t("data.mode_upsert", lang), years=t("data.mode_years", lang)),
                               icon=":material/warning:")
                    force = st.checkbox(
                        t("data.confirm_force", lang, n=change.removed, before=preview.rows_before),
                        key="data_force",
                    )
                if st.button(t("data.confirm", lang), type="primary", key="data_confirm",
                             disabled=bool(preview.refusal) and not force):
                    try:
                        result = writes.load_upload(name, uploaded.getvalue(), uploaded.name, preview, user, force=force)
                    except AtlasError as err:
                        st.error(err.message)
                    else:
                        if result.version is None:  # cannot happen for a previewed valid file; say it anyway
                            st.error(t("data.problems", lang, n=result.report.problem_count, file=uploaded.name))
                        else:
                            done = result.changes[name]
                            st.session_state["data_flash"] = t(
                                "data.imported", lang, version=result.version, file=uploaded.name,
                                added=done.added, changed=done.changed, removed=done.removed,
                            )
                            st.session_state["data_upload_round"] = round_ + 1
                            st.session_state.pop("data_preview_key", None)
                            st.rerun()


# --- History: every version, compare two, restore one -------------------------------------------

with history_tab:
    history = queries.frame("versions_history")
    numbers = sorted(history["version"].unique().tolist(), reverse=True)
    last = numbers[0] if numbers else 0
    log = history.assign(action=history["action"].map(lambda a: t(f"data.action_{a}", lang)),
                         dataset=history["dataset"].map(lambda n: dataset_name(n) if n in DATASETS else n),
                         mode=history["mode"].map(lambda m: t(f"data.mode_{m}", lang) if m in writes.MODES else m))
    # Widths add up to ui.TABLE_ROOM (818 px at 1280): no sideways scrolling from 1280 px on, wider
    # screens stretch them; long actions and file names wrap, the date and time (117 px of text)
    # stay whole. The file's SHA-256 (64 characters, unreadable in any width that fits) is hidden:
    # a click away in the table's « Show/hide columns » menu, and in the downloads.
    sized, number = ui.sized_column, st.column_config.NumberColumn
    ui.table(
        log, "historique-versions", lang, "data_history", download=history, title=t("data.tab_history", lang),
        hide_index=True, width="stretch", row_height=ui.WRAPPED_ROWS,
        column_order=["version", "created_at", "action", "dataset", "mode", "file_name", "user_name",
                      "rows_added", "rows_changed", "rows_removed", "sha256"],
        column_config={
            "version": sized(t("data.col_version", lang), 58, number, format="%d"),
            "created_at": sized(t("data.col_date", lang), 136, st.column_config.DatetimeColumn,
                                format="DD/MM/YYYY HH:mm:ss"),
            "action": sized(t("data.col_action", lang), 94),
            "dataset": sized(t("data.col_dataset", lang), 122),
            "mode": sized(t("data.col_mode", lang), 62),
            "file_name": sized(t("data.col_file", lang), 112),
            "sha256": sized(t("data.col_sha", lang), 200, st.column_config.TextColumn, hidden=True),
            "user_name": sized(t("data.col_user", lang), 66),
            "rows_added": sized(t("data.col_added", lang), 50, number, format="%d"),
            "rows_changed": sized(t("data.col_changed", lang), 50, number, format="%d"),
            "rows_removed": sized(t("data.col_removed", lang), 50, number, format="%d"),
        },
    )

    if len(numbers) > 1:
        st.subheader(t("data.compare_title", lang))
        left, right = st.columns(2)
        older = left.selectbox(t("data.compare_from", lang), numbers, index=1, key="data_compare_from",
                               placeholder=t("widgets.choose", lang))
        newer = right.selectbox(t("data.compare_to", lang), numbers, index=0, key="data_compare_to",
                                placeholder=t("widgets.choose", lang))
        # Comparing reads every row of both versions: only on request, kept for this data stamp.
        asked = (queries.stamp(), int(older), int(newer))
        if st.button(t("data.compare_button", lang), key="data_compare"):
            try:
                st.session_state["data_compare_result"] = (asked, writes.compare(int(older), int(newer)))
            except AtlasError as err:
                st.error(err.message)
        kept = st.session_state.get("data_compare_result")
        diffs = kept[1] if kept and kept[0] == asked else {}
        summary = pd.DataFrame(
            [{"dataset": dataset_name(n), "added": d.change.added, "changed": d.change.changed, "removed": d.change.removed}
             for n, d in diffs.items()]
        )
        if diffs and not summary[["added", "changed", "removed"]].to_numpy().any():
            st.info(t("data.compare_none", lang, a=older, b=newer))
        elif diffs:
            ui.table(
                summary, f"comparaison-v{older}-v{newer}", lang, "data_compare_dl", hide_index=True, width="stretch",
                title=t("data.compare_title", lang),
                column_config={"dataset": t("data.col_dataset", lang), "added": t("data.col_added", lang),
                               "changed": t("data.col_changed", lang), "removed": t("data.col_removed", lang)},
            )
            for n, d in diffs.items():
                if d.cells:
                    with st.expander(t("data.compare_cells", lang, dataset=dataset_name(n), n=d.change.changed)):
                        ui.table(changes_table(d.cells), f"changements-{n}-v{older}-v{newer}", lang,
                                 f"data_compare_cells_{n}_dl", hide_index=True, width="stretch", room=ui.EXPANDER_ROOM,
                                 title=t("data.compare_cells", lang, dataset=dataset_name(n), n=d.change.changed),
                                 column_config={"key": t("data.col_key", lang), "column": t("data.col_column", lang),
                                                "change": t("data.col_change", lang)})

        st.subheader(t("data.restore_title", lang))
        if not user:
            st.caption(t("data.restore_needs_login", lang))
        else:
            target = st.selectbox(t("data.restore_version", lang), numbers[1:], key="data_restore_version",
                                  placeholder=t("widgets.choose", lang))
            st.caption(t("data.restore_help", lang, version=target, last=last))
            # Like an import: first what would change (computed, nothing written), then a confirmation
            # that restores exactly that, or nothing if someone imported in between (Stale).
            asked = (queries.stamp(), int(target))
            if st.button(t("data.restore_preview_button", lang, version=target), key="data_restore",
                         icon=":material/preview:"):
                try:
                    st.session_state["data_restore_preview"] = (asked, writes.preview_rollback(int(target)))
                except AtlasError as err:
                    st.error(err.message)
            kept = st.session_state.get("data_restore_preview")
            restore = kept[1] if kept and kept[0] == asked else None
            if restore is not None:
                show_restore(restore)

ui.footer(lang)
