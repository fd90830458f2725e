"""Validation of uploaded files: every bad input of DATA_CONTRACT.md, and messy Belgian files."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from atlas.contract import dataset
from atlas.imports.ingest import check_file, stage
from atlas.store import scratch

ODA_HEADER = "entity;year;country_iso3;sector_code;channel;project;flow;amount_eur;source\n"


def staged(path, name="oda"):
    con = scratch()
    report = stage(con, dataset(name), path)
    assert report.ok, [str(p) for p in report.problems]
    return con, report


def messages(report):
    return [str(p) for p in report.problems]


def test_belgian_csv_cp1252_semicolon_decimal_comma_round_trips(write):
    path = write(
        "apd.csv",
        ODA_HEADER
        + "Wallonie;2024;République démocratique du Congo;12220;ONG;Santé;;1 234 567,89 €;exemple\n"
        + "Wallonie;2024;CD;12220;ONG;Santé;commitment;1.234,5;exemple\n"
        + "Wallonie;2024;Rwanda;12220;ONG;Santé;;-500;exemple\n",
        encoding="cp1252",
    )
    con, report = staged(path)
    got = con.execute("SELECT _line, country_iso3, flow, amount_eur FROM _staged ORDER BY _line").fetchall()
    assert got == [
        (2, "COD", "disbursement", 1234567.89),
        (3, "COD", "commitment", 1234.5),
        (4, "RWA", "disbursement", -500.0),
    ]
    assert any("3 noms ou codes de pays convertis" in n for n in report.notices)
    assert any("Windows-1252" in n for n in report.notices)


def test_utf8_bom_comma_and_day_first_dates(write):
    path = write(
        "missions.csv",
        "\ufeffmission_id,title,organiser,entity,country_iso3,starts_on,ends_on,cost_eur\n"
        'M9,"Mission, Dakar",AWEX,Wallonie,SEN,31/03/2024,2024-04-02,"12 500"\n',
    )
    con, _ = staged(path, "missions")
    got = con.execute("SELECT title, starts_on, ends_on, cost_eur, fee_sme_eur, fee_large_eur FROM _staged").fetchone()
    assert got == ("Mission, Dakar", dt.date(2024, 3, 31), dt.date(2024, 4, 2), 12500.0, 100.0, 300.0)


def test_excel_first_sheet_with_date_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["mission_id", "title", "organiser", "entity", "country_iso3", "starts_on", "cost_eur", "Remarque"])
    sheet.append(["M1", "Mission", "hub.brussels", "Région de Bruxelles-Capitale", "MA", dt.datetime(2023, 5, 21), 1234.5, "x"])
    sheet.append([None] * 8)  # an empty row is layout, not data
    sheet.append(["M2", "Mission 2", "AWEX", "Wallonie", "SEN", "31/12/2024", 10, None])
    book.save(tmp_path / "missions.xlsx")
    con, report = staged(tmp_path / "missions.xlsx", "missions")
    got = con.execute("SELECT _line, country_iso3, starts_on, cost_eur FROM _staged ORDER BY _line").fetchall()
    assert got == [(2, "MAR", dt.date(2023, 5, 21), 1234.5), (4, "SEN", dt.date(2024, 12, 31), 10.0)]
    assert any("Remarque" in n and "ignorées" in n for n in report.notices)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "le fichier est vide"),
        (b"   \n\n", "le fichier est vide"),
        (ODA_HEADER.encode(), "n'a que l'en-tête"),
        (b"%PDF-1.4\x00\x01\x02binary", "ni un CSV ni un classeur Excel"),
        (b"PK\x03\x04not really a workbook", "n'est pas un classeur Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "Excel 97-2003"),
    ],
)
def test_files_that_are_not_usable(write, content, expected):
    report = check_file(dataset("oda"), write("f.csv", content))
    assert not report.ok
    assert expected in messages(report)[0]


def test_undecodable_bytes_name_the_line(write):
    report = check_file(dataset("oda"), write("f.csv", ODA_HEADER.encode() + b"Wallonie;2024;COD;;;;;\x81\x8d;x\n"))
    assert messages(report) == [
        "ligne 2 : octets illisibles (0x81) : le fichier n'est ni en UTF-8 ni en Windows-1252 ; "
        "enregistrez-le en « CSV UTF-8 » depuis votre tableur."
    ]


def test_wrong_field_counts_keep_spreadsheet_line_numbers(write):
    path = write(
        "f.csv",
        ODA_HEADER
        + "Wallonie;2024;COD;;;;;10;x\n"
        + "\n"  # an empty line still counts in a spreadsheet
        + "Wallonie;2024;COD;;;;10;x\n"  # one field short: line 4
        + "Wallonie;2024;COD;;;;;10;x;extra\n"  # one too many: line 5
        + "Wallonie;2024;CGO;;;;;10;x\n",  # unknown country: line 6
    )
    report = check_file(dataset("oda"), path)
    assert messages(report) == [
        "ligne 4 : 8 champs alors que l'en-tête en compte 9 : vérifiez les séparateurs « ; » et les guillemets de cette ligne.",
        "ligne 5 : 10 champs alors que l'en-tête en compte 9 : vérifiez les séparateurs « ; » et les guillemets de cette ligne.",
        "ligne 6, colonne country_iso3 : « CGO » n'est pas un code ISO 3166-1 alpha-3 connu (voulez-vous dire COG ou COD ?)",
    ]


def test_every_problem_of_a_file_in_one_report(write):
    path = write(
        "agreements.csv",
        "agreement_id,title,partner,partner_level,country_iso3,entity,signed_on,ends_on,status,latitude\n"
        "A1,T,P,region,CAN,WBI,1999-03-15,,in_force,46.8\n"
        "A1,T,P,province,CAN,WBI,31/02/2024,,active,95\n"
        "A3,T,P,city,ARM,WBI,2018-11-19,2017-01-01,expired,abc\n"
        "A4,,P,city,ARM,WBI,2018-11-19,,expired,\n",
    )
    report = check_file(dataset("agreements"), path)
    assert set(messages(report)) == {
        "ligne 3, colonne partner_level : « province » n'est pas une valeur permise ; valeurs permises : state, region, city, organisation.",
        "ligne 3, colonne signed_on : « 31/02/2024 » n'est pas une date valide (écrivez 2024-03-31 ou 31/03/2024).",
        "ligne 3, colonne status : « active » n'est pas une valeur permise ; valeurs permises : in_force, expired, negotiating, suspended.",
        "ligne 3, colonne latitude : « 95 » est hors des limites : la valeur doit être entre -90 et 90.",
        "ligne 4, colonne latitude : « abc » n'est pas un nombre (formes acceptées : 1234,5 ou 1 234 567,89 €).",
        "ligne 5, colonne title : valeur manquante ; cette colonne est obligatoire.",
    }


def test_duplicate_key_and_end_before_start(write):
    path = write(
        "missions.csv",
        "mission_id,title,organiser,entity,country_iso3,starts_on,ends_on,cost_eur\n"
        "M1,T,AWEX,Wallonie,SEN,2024-03-01,2024-02-01,10\n"
        "M2,T,AWEX,Wallonie,SEN,2024-03-01,,10\n"
        "M1,T,AWEX,Wallonie,SEN,2024-03-01,,10\n",
    )
    report = check_file(dataset("missions"), path)
    assert messages(report) == [
        "ligne 4, colonne mission_id : « M1 » apparaît déjà ligne 2 : la clé (mission_id) doit être unique ; supprimez le doublon ou changez la clé.",
        "ligne 2, colonne ends_on : « 2024-02-01 » précède starts_on « 2024-03-01 » : la fin ne peut pas venir avant le début ; corrigez l'une des deux valeurs.",
    ]


def test_missing_required_column_and_wrong_types(write):
    path = write("n.csv", "year,oda_eur,preliminary\n2023,abc,peut-être\n2024.5,10,true\n")
    report = check_file(dataset("oda_national"), path)
    assert messages(report) == [
        "ligne 1, colonne gni_eur : colonne obligatoire absente : ajoutez une colonne « gni_eur » à l'en-tête (téléchargez le modèle pour voir toutes les colonnes).",
        "ligne 3, colonne year : « 2024.5 » n'est pas un nombre entier (écrivez par exemple 12).",
        "ligne 2, colonne oda_eur : « abc » n'est pas un nombre (formes acceptées : 1234,5 ou 1 234 567,89 €).",
        "ligne 2, colonne preliminary : « peut-être » n'est pas une valeur oui/non : écrivez true ou false.",
    ]


def test_gni_must_be_positive_and_year_in_range(write):
    report = check_file(dataset("oda_national"), write("n.csv", "year,oda_eur,gni_eur\n1950,1,0\n"))
    assert messages(report) == [
        "ligne 2, colonne year : « 1950 » est hors des limites : la valeur doit être entre 1960 et 2100.",
        "ligne 2, colonne gni_eur : « 0 » est hors des limites : la valeur doit être supérieure à 0.",
    ]


def test_file_over_the_limit_is_refused_before_reading(write, monkeypatch):
    monkeypatch.setattr("atlas.imports.ingest.MAX_BYTES", 100)
    report = check_file(dataset("oda"), write("big.csv", ODA_HEADER + "x" * 200))
    assert "au-delà de la limite" in messages(report)[0]
