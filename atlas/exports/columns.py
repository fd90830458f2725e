"""What each column of a page's download is to its reader: a header in their language, and how its
values are shown (codes named, amounts rounded, yes/no), as on screen.

The queries name their columns in English code (`oda_gni`, `priority_share`, `in_force`); a page's
CSV and Excel speak the reader's language instead. `COLUMNS` says, for every column name a page
downloads, which catalogue key heads it and what kind of value it holds; headers reuse the
screen's own labels where they exist (agreements.col_*, missions.col_*, data.col_*), the others
are in atlas/words/locales/exports.toml. tests/test_downloads_language.py fails when a page
downloads a column this table does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of value, and how each is shown:
#   text     as is                        money    whole euros (a number; Excel: « 1 234 € »)
#   term     a term of the data, named    percent  a ratio shown ×100 with `decimals` (Excel: a % cell)
#   terms    a list of terms (« a|b »)    count    a whole number (Excel: « 1 234 »)
#   code     a code named by catalogue    year     a whole number without separator
#            key `codes` + value          number   a decimal number, `decimals` kept
#   country  an ISO3 code, named          date, datetime, bool (oui/non), drop (not exported)


@dataclass(frozen=True)
class Column:
    label: str  # catalogue key of the header
    kind: str = "text"
    codes: tuple[str, ...] = ()  # code: catalogue key prefixes, tried in order; term(s): the term kind
    decimals: int = 0


def _c(label: str, kind: str = "text", *codes: str, decimals: int = 0) -> Column:
    return Column(label, kind, codes, decimals)


COLUMNS: dict[str, Column] = {
    # Identifiers and names
    "agreement_id": _c("export.col.agreement_id"),
    "mission_id": _c("export.col.mission_id"),
    "office_id": _c("export.col.office_id"),
    "activity_id": _c("export.col.activity_id"),
    "title": _c("agreements.col_title"),
    "partner": _c("agreements.col_partner"),
    "place": _c("country.col.place"),
    "entity": _c("agreements.col_entity"),
    "organiser": _c("missions.col_organiser"),
    "city": _c("missions.col_city"),
    "agency": _c("country.col.agency"),
    "programme": _c("country.col.programme"),
    "priority_entities_now": _c("export.col.priority_entities_now"),
    "project": _c("export.col.project"),
    "region": _c("export.col.region"),
    "subdivision_code": _c("export.col.subdivision_code"),
    "currency": _c("export.col.currency"),
    "currencies": _c("oda.col_currencies"),
    "source": _c("oda.col_source"),
    "file_name": _c("data.col_file"),
    "user_name": _c("data.col_user"),
    "sha256": _c("data.col_sha"),
    # DAC sectors (names already in the reader's language: charts.sector_names, localize)
    "group_code": _c("export.col.group_code", "year"),
    "group_name": _c("export.col.group_name"),
    "category_code": _c("export.col.category_code"),
    "category_name": _c("export.col.category_name"),
    "sector_code": _c("export.col.sector_code"),
    "sector_name": _c("export.col.sector_name"),
    # Terms and codes, named
    "channel": _c("export.col.channel", "term", "channel"),
    "sectors": _c("agreements.col_sectors", "terms", "sector"),
    "sector": _c("missions.col_sector", "term", "sector"),
    "partner_level": _c("agreements.col_level", "code", "agreements.level."),
    "status": _c("agreements.col_status", "code", "status."),
    "kind": _c("missions.col_kind", "code", "missions.kind.", "map.office_kind.", "country.upcoming_kind."),
    "flow": _c("export.col.flow", "code", "export.flow."),
    "action": _c("data.col_action", "code", "data.action_"),
    "mode": _c("data.col_mode", "code", "data.mode_"),
    "dataset": _c("data.col_dataset", "code", "export.dataset."),
    "country_iso3": _c("agreements.col_country", "country"),
    # Yes or no
    "expires_soon": _c("agreements.col_expires_soon", "bool"),
    "commission_overdue": _c("agreements.col_commission_overdue", "bool"),
    "follow_up": _c("country.col.follow_up", "bool"),
    "preliminary": _c("export.col.preliminary", "bool"),
    "priority": _c("oda.recipient_priority", "bool"),
    "upcoming": _c("export.col.upcoming", "bool"),
    "shared": _c("country.col.shared", "bool"),
    "open_ended": _c("export.col.open_ended", "bool"),
    "current": _c("country.col.current", "bool"),
    # Years and dates
    "year": _c("data.col_year", "year"),
    "since_year": _c("export.col.since_year", "year"),
    "until_year": _c("export.col.until_year", "year"),
    "first_year": _c("country.col.first_year", "year"),
    "last_year": _c("country.col.last_year", "year"),
    "oda_year_from": _c("export.col.oda_year_from", "year"),
    "oda_year_to": _c("export.col.oda_year_to", "year"),
    "signed_on": _c("agreements.col_signed", "date"),
    "starts_on": _c("missions.col_starts", "date"),
    "ends_on": _c("missions.col_ends", "date"),
    "last_commission_on": _c("agreements.col_commission", "date"),
    "due_on": _c("country.col.date", "date"),
    "imported_at": _c("data.col_date", "datetime"),
    "created_at": _c("data.col_date", "datetime"),
    # Amounts in euros, as the screen shows them: whole euros
    "amount_eur": _c("oda.col_amount", "money"),
    "budget_eur": _c("agreements.col_budget", "money"),
    "cost_eur": _c("missions.col_cost", "money"),
    "fees_eur": _c("missions.col_fees", "money"),
    "net_cost_eur": _c("missions.col_net", "money"),
    "cost_per_participant": _c("missions.col_per_participant", "money"),
    "fee_sme_eur": _c("export.col.fee_sme_eur", "money"),
    "fee_large_eur": _c("export.col.fee_large_eur", "money"),
    "oda_eur": _c("export.col.oda_eur", "money"),
    "gni_eur": _c("export.col.gni_eur", "money"),
    "target_eur": _c("export.col.target_eur", "money"),
    "gap_eur": _c("export.col.gap_eur", "money"),
    "committed_eur": _c("export.col.committed_eur", "money"),
    "disbursed_eur": _c("export.col.disbursed_eur", "money"),
    "priority_eur": _c("export.col.priority_eur", "money"),
    "oda_disbursed_eur": _c("export.col.disbursed_eur", "money"),
    "oda_committed_eur": _c("export.col.committed_eur", "money"),
    # Shares (ratios), shown as percentages
    "share": _c("export.col.share", "percent", decimals=1),
    "priority_share": _c("export.col.priority_share", "percent", decimals=1),
    "oda_gni": _c("export.col.oda_gni", "percent", decimals=2),
    # Other numbers
    "amount_original": _c("export.col.amount_original", "number", decimals=2),
    "exchange_rate": _c("export.col.exchange_rate", "number", decimals=4),
    "latitude": _c("export.col.latitude", "number", decimals=3),
    "longitude": _c("export.col.longitude", "number", decimals=3),
    # Counts
    "projects": _c("agreements.col_projects", "count"),
    "participants_sme": _c("missions.col_sme", "count"),
    "participants_large": _c("missions.col_large", "count"),
    "participants": _c("country.col.participants", "count"),
    "missions": _c("country.col.missions", "count"),
    "agreements": _c("export.col.agreements", "count"),
    "agreements_in_force": _c("export.col.agreements_in_force", "count"),
    "offices": _c("export.col.offices", "count"),
    "version": _c("data.col_version", "year"),
    "rows": _c("oda.col_rows", "count"),
    "rows_added": _c("data.col_added", "count"),
    "rows_changed": _c("data.col_changed", "count"),
    "rows_removed": _c("data.col_removed", "count"),
    "added": _c("data.col_added", "count"),
    "changed": _c("data.col_changed", "count"),
    "removed": _c("data.col_removed", "count"),
    "rows_in_file": _c("data.col_rows_in_file", "count"),
    "rows_before": _c("data.col_rows_before", "count"),
    # The « Données » page's own tables (their columns are named in French by atlas/imports)
    "key": _c("data.col_key"),
    "column": _c("data.col_column"),
    "change": _c("data.col_change"),
    "ligne": _c("data.col_line", "year"),
    "colonne": _c("data.col_column"),
    "valeur": _c("data.col_value"),
    "problème": _c("data.col_problem"),
    "obligatoire": _c("export.col.required"),
    "clé": _c("data.col_key"),
    "type": _c("export.col.type"),
    "valeurs permises, limites": _c("export.col.allowed"),
    "exemple": _c("export.col.example"),
    "explication": _c("export.col.explanation"),
    # Not for the reader: a drawing aid, the dimension a « value » column holds (see DIMENSIONS)
    "gantt_end": _c("", "drop"),
    "dimension": _c("", "drop"),
}

# Counts by dimension (queries/pages/agreements_counts.sql, missions_by.sql): one « value »
# column whose meaning is the `dimension` column's; it takes that dimension's header and kind.
DIMENSIONS: dict[str, Column] = {
    "country": COLUMNS["country_iso3"],
    "level": COLUMNS["partner_level"],
    "sector": _c("missions.col_sector", "term", "sector"),
    "entity": COLUMNS["entity"],
    "organiser": COLUMNS["organiser"],
    "kind": COLUMNS["kind"],
    "year": COLUMNS["year"],
}
