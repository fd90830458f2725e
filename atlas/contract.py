"""The datasets of DATA_CONTRACT.md: columns, types, keys, allowed values and ranges.

This module is the single description of what an analyst may upload; validation (ingest.py),
the database schema (db.py) and the upload templates are all derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Column kinds and their DuckDB storage type.
SQL_TYPES = {
    "text": "VARCHAR",
    "code": "VARCHAR",  # stored upper-case (ISO 3166-2 subdivision, ...)
    "country": "VARCHAR",  # ISO 3166-1 alpha-3, converted from alpha-2 or a name
    "list": "VARCHAR",  # values separated by |
    "enum": "VARCHAR",
    "date": "DATE",
    "int": "BIGINT",
    "number": "DOUBLE",
    "bool": "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    default: str | None = None
    pattern: str | None = None  # regular expression the text must match
    pattern_hint: str = ""  # what the pattern means, in French
    magnitude_below: float | None = None  # the absolute value must stay under this (amounts)

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Dataset:
    name: str
    label: str  # French, for messages
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    # (start, end) pairs where end may not come before start.
    ordered: tuple[tuple[str, str], ...] = ()
    year_column: str | None = None  # enables the `years` import mode
    # What a `years` import replaces: the combinations of these columns present in the file
    # (oda: each (entity, year), so one entity's annual file never touches another's rows).
    years_scope: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# No amount of Atlas reaches 10^12 €: Belgium's whole GNI is about 6 × 10^11. A larger figure is
# a unit or a separator gone wrong (cents, a pasted identifier), refused as DATA_CONTRACT.md says.
AMOUNT_LIMIT = 1e12


def _c(name, kind, required=False, **kw) -> Column:
    if kind == "number" and name.endswith("_eur"):
        kw.setdefault("magnitude_below", AMOUNT_LIMIT)
    return Column(name, kind, required, **kw)


ENTITY = _c("entity", "text", True)
SOURCE = _c("source", "text")
LATITUDE = _c("latitude", "number", minimum=-90, maximum=90)
LONGITUDE = _c("longitude", "number", minimum=-180, maximum=180)
AGREEMENT_STATUSES = ("in_force", "expired", "negotiating", "suspended")

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "agreements",
            "accords de coopération",
            (
                _c("agreement_id", "text", True),
                _c("title", "text", True),
                _c("partner", "text", True),
                _c("partner_level", "enum", True, allowed=("state", "region", "city", "organisation")),
                _c("country_iso3", "country", True),
                ENTITY,
                _c("signed_on", "date", True),
                _c("ends_on", "date"),
                _c("status", "enum", True, allowed=AGREEMENT_STATUSES),
                _c("sectors", "list"),
                _c(
                    "subdivision_code",
                    "code",
                    pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
                    pattern_hint="un code ISO 3166-2 comme CA-QC",
                ),
                _c("budget_eur", "number", minimum=0),
                _c("projects", "int", minimum=0),
                _c("last_commission_on", "date"),
                LATITUDE,
                LONGITUDE,
                SOURCE,
            ),
            key=("agreement_id",),
            ordered=(("signed_on", "ends_on"),),
        ),
        Dataset(
            "priority_countries",
            "pays prioritaires",
            (
                ENTITY,
                _c("country_iso3", "country", True),
                _c("since_year", "int", True, minimum=1960, maximum=2100),
                _c("until_year", "int", minimum=1960, maximum=2100),
                _c("programme", "text"),
                _c("sectors", "list"),
                SOURCE,
            ),
            key=("entity", "country_iso3", "since_year"),
            ordered=(("since_year", "until_year"),),
        ),
        Dataset(
            "oda",
            "aide publique au développement",
            (
                ENTITY,
                _c("year", "int", True, minimum=1960, maximum=2100),
                _c("country_iso3", "country"),
                _c(
                    "sector_code",
                    "code",
                    pattern=r"^[0-9]{5}$",
                    pattern_hint="un code-objet CAD de l'OCDE à 5 chiffres, comme 12220",
                ),
                _c("channel", "text"),
                _c("project", "text"),
                _c("flow", "enum", allowed=("disbursement", "commitment"), default="disbursement"),
                _c("amount_eur", "number", True),
                SOURCE,
                # Provenance of converted rows (IATI, OECD CRS): beyond DATA_CONTRACT.md, optional.
                _c("region", "text"),  # a regional or unallocated recipient, e.g. « Sud du Sahara, régional »
                _c("currency", "code", pattern=r"^[A-Z]{3}$", pattern_hint="un code de devise ISO 4217 comme USD"),
                _c("amount_original", "number"),  # in `currency`
                _c("exchange_rate", "number", minimum=0, exclusive_minimum=True),  # units of `currency` per euro
                _c("activity_id", "text"),  # the IATI activity identifier: one project of the country profile
            ),
            year_column="year",
            years_scope=("entity", "year"),
        ),
        Dataset(
            "oda_national",
            "APD et RNB de la Belgique",
            (
                _c("year", "int", True, minimum=1960, maximum=2100),
                _c("oda_eur", "number", True, minimum=0),
                _c("gni_eur", "number", True, minimum=0, exclusive_minimum=True),
                _c("preliminary", "bool", default="false"),
                SOURCE,
            ),
            key=("year",),
            year_column="year",
            years_scope=("year",),
        ),
        Dataset(
            "missions",
            "missions économiques",
            (
                _c("mission_id", "text", True),
                _c("title", "text", True),
                _c("organiser", "text", True),
                ENTITY,
                _c("country_iso3", "country", True),
                _c("city", "text"),
                _c("starts_on", "date", True),
                _c("ends_on", "date"),
                _c("kind", "enum", allowed=("royal", "regional", "multi_regional")),
                _c("sector", "text"),
                _c("participants_sme", "int", minimum=0),
                _c("participants_large", "int", minimum=0),
                _c("cost_eur", "number", True, minimum=0),
                _c("fee_sme_eur", "number", minimum=0, default="100"),
                _c("fee_large_eur", "number", minimum=0, default="300"),
                SOURCE,
            ),
            key=("mission_id",),
            ordered=(("starts_on", "ends_on"),),
        ),
        Dataset(
            "offices",
            "bureaux à l'étranger",
            (
                _c("office_id", "text", True),
                _c("city", "text", True),
                _c("country_iso3", "country", True),
                _c("agency", "text", True),
                _c("kind", "enum", allowed=("economic", "delegation")),
                _c("shared", "bool"),
                LATITUDE,
                LONGITUDE,
            ),
            key=("office_id",),
        ),
    )
}


def dataset(name: str) -> Dataset:
    """The dataset called `name`, or a French error listing the valid names."""
    from atlas.errors import AtlasError

    try:
        return DATASETS[name]
    except KeyError:
        raise AtlasError(
            f"jeu de données inconnu « {name} » : choisissez parmi {', '.join(DATASETS)}."
        ) from None
