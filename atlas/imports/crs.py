"""OECD CRS files (bulk text or CSV, as the OECD publishes them) as ODA rows in euros.

Rows are kept for the donor/agency pairs of data/reference/crs_agencies.csv (Belgium is donor 2;
Walloon agency 80, Brussels 91...), recipients are mapped from the numeric DAC codes to ISO3 with
data/reference/crs_recipients.csv (regional and unallocated codes keep their region and no
country), and USD millions are converted with the yearly rates of exchange_rates.csv. DuckDB
reads the file, so a file of hundreds of MB streams through without pandas.
"""

from __future__ import annotations

from pathlib import Path

from atlas.store import ROOT, q

REFERENCE = ROOT / "data" / "reference"
REQUIRED = ("year", "donorcode", "agencycode", "recipientcode", "purposecode", "usd_commitment", "usd_disbursement")
ODA_FLOW_CODES = ("11", "12", "13", "19")  # grants, grant-like, loans, equity: the CRS's ODA flows
HEADER = [
    "entity", "year", "country_iso3", "sector_code", "channel", "project", "flow", "amount_eur",
    "source", "region", "currency", "amount_original", "exchange_rate",
]


def delimiter_of(header_line: str) -> str:
    return max("|,;\t", key=header_line.count)


def looks_like_crs(header_line: str) -> bool:
    names = {n.strip().strip('"').lower() for n in header_line.split(delimiter_of(header_line))}
    return {"donorcode", "recipientcode", "purposecode"} <= names


def read(con, path: Path, report, file_name: str, header_line: str) -> list[str] | None:
    """Convert the CRS file into the `_raw` table; returns the header, or None on failure."""
    delim = delimiter_of(header_line)
    names = [n.strip().strip('"') for n in header_line.split(delim)]
    lower = {n.lower(): n for n in names}
    missing = [c for c in REQUIRED if c not in lower]
    if missing:
        report.fail(f"fichier SNPC incomplet : colonnes absentes {', '.join(missing)}.", line=1)
        return None
    for table, csv_name in (("_crs_agencies", "crs_agencies"), ("_crs_recipients", "crs_recipients"), ("_rates", "exchange_rates")):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_csv($p, header=true, all_varchar=true)",
            {"p": str(REFERENCE / f"{csv_name}.csv")},
        )
    # The OECD's capitalisation varies between releases (Year, USD_Commitment...): lower-case it.
    wanted = [c for c in (*REQUIRED, "flowcode", "projecttitle", "channelname") if c in lower]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _crs AS
        SELECT row_number() OVER () + 1 AS _line, {", ".join(f"{q(lower[c])} AS {c}" for c in wanted)}
        FROM read_csv($path, delim=$delim, header=true, all_varchar=true, quote='"', escape='"',
                      strict_mode=false)""",
        {"path": str(path), "delim": delim},
    )
    flow_filter = "AND trim(c.flowcode) IN (SELECT unnest($flows))" if "flowcode" in lower else ""
    params = {"flows": list(ODA_FLOW_CODES)} if flow_filter else {}
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _crs_kept AS
        SELECT c.*, a.entity
        FROM _crs c JOIN _crs_agencies a
          ON trim(c.donorcode) = a.donor_code AND trim(c.agencycode) = a.agency_code
        WHERE true {flow_filter}""",
        params,
    )
    total, kept = con.execute("SELECT (SELECT count(*) FROM _crs), (SELECT count(*) FROM _crs_kept)").fetchone()
    report.notices.append(
        f"fichier SNPC de l'OCDE : {kept} des {total} lignes retenues (donneurs et agences de "
        "data/reference/crs_agencies.csv, flux d'APD)."
    )
    unknown = con.execute(
        """SELECT _line, recipientcode FROM _crs_kept k
        WHERE NOT EXISTS (SELECT 1 FROM _crs_recipients r WHERE r.code = trim(k.recipientcode)) ORDER BY _line"""
    ).fetchall()
    for line, code in unknown:
        report.fail(
            f"« {code} » n'est pas un code de bénéficiaire du CAD connu : complétez data/reference/crs_recipients.csv.",
            line=line, column="RecipientCode", value=code,
        )
    no_rate = con.execute(
        """SELECT min(_line), year FROM _crs_kept k
        WHERE NOT EXISTS (SELECT 1 FROM _rates x WHERE x.currency = 'USD' AND x.year = trim(k.year))
        GROUP BY year ORDER BY year"""
    ).fetchall()
    for line, year in no_rate:
        report.fail(
            f"pas de taux de change USD pour {year} : ajoutez la moyenne annuelle de la BCE à data/reference/exchange_rates.csv.",
            line=line, column="Year", value=year,
        )
    if report.problems:
        return None
    title = "k.projecttitle" if "projecttitle" in lower else "NULL"
    channel = "k.channelname" if "channelname" in lower else "NULL"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _raw AS
        WITH flows AS (
            SELECT k.*, f.flow, TRY_CAST(CASE f.flow WHEN 'commitment' THEN k.usd_commitment
                                                    ELSE k.usd_disbursement END AS DOUBLE) * 1e6 AS usd
            FROM _crs_kept k, (VALUES ('commitment'), ('disbursement')) f(flow)
        )
        SELECT k._line,
               k.entity AS c0, trim(k.year) AS c1, nullif(r.iso3, '') AS c2, trim(k.purposecode) AS c3,
               {channel} AS c4, {title} AS c5, k.flow AS c6,
               printf('%.2f', k.usd / CAST(x.per_eur AS DOUBLE)) AS c7,
               'OCDE SNPC ' || trim(k.year) || ', donneur ' || trim(k.donorcode) || ', agence ' || trim(k.agencycode)
                   || ' (' || $file || ')' AS c8,
               nullif(r.region, '') AS c9, 'USD' AS c10, printf('%.2f', k.usd) AS c11, x.per_eur AS c12
        FROM flows k
        JOIN _crs_recipients r ON r.code = trim(k.recipientcode)
        JOIN _rates x ON x.currency = 'USD' AND x.year = trim(k.year)
        WHERE k.usd IS NOT NULL AND k.usd <> 0
        ORDER BY k._line, k.flow""",
        {"file": file_name},
    )
    return list(HEADER)
