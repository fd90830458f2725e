"""Tables leave Atlas as CSV or Excel: country names beside codes, numbers as numbers, and no
cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import io

import pandas as pd

from atlas.geography import countries as geo

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would read as a formula with a quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def prepare(df: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A copy ready to export: a country-name column after each *_iso3 column, text neutralised."""
    out = df.copy()
    for column in [c for c in out.columns if str(c).endswith("iso3")]:
        names = out[column].map(lambda code: geo.country_name(code, lang) if isinstance(code, str) else None)
        out.insert(out.columns.get_loc(column) + 1, column[: -len("iso3")] + "name", names)  # country_name
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_csv(df: pd.DataFrame, lang: str = "fr") -> bytes:
    """UTF-8 with BOM and « ; » so that Excel in Belgium opens it as columns with accents intact."""
    return prepare(df, lang).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_excel(df: pd.DataFrame, lang: str = "fr", sheet: str = "données") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        prepare(df, lang).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
