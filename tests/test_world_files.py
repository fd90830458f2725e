"""The aid data the field publishes: IATI activity files of every shape and version, OECD CRS
extracts in Windows-1252, converted with the ECB's yearly average rates; amounts checked to the
cent against hand tallies; hostile or damaged XML refused with a French message, quickly and in
bounded memory; every transaction either becomes rows or is counted with its reason."""

from __future__ import annotations

import hashlib
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from atlas.contract import dataset
from atlas.imports import crs, iati, rates
from atlas.imports.ingest import check_file, stage
from atlas.store import ROOT, scratch
from atlas.writes.versions import load

from conftest import rows

DATA = Path(__file__).parent / "data"
IATI = DATA / "iati"
CRS = DATA / "crs"
ECB = "moyenne annuelle des taux de référence BCE"

# The split fixture without its declaration: the body every recognition test wraps differently.
SPLIT = (IATI / "split_percentages.xml").read_text(encoding="utf-8")
SPLIT_BODY = SPLIT.split("?>", 1)[1].lstrip("\n")


def staged(path) -> tuple[list[tuple], object]:
    """The staged rows of a valid file (line, entity, year, country, region, sector, flow, €, currency,
    original amount, rate, project, channel, source), in file order, and the report."""
    con = scratch()
    report = stage(con, dataset("oda"), path)
    assert report.ok, [str(p) for p in report.problems]
    got = con.execute(
        """SELECT _line, entity, year, country_iso3, region, sector_code, flow, amount_eur, currency,
                  amount_original, exchange_rate, project, channel, source
        FROM _staged ORDER BY _line, flow, country_iso3 NULLS LAST, sector_code"""
    ).fetchall()
    con.close()
    return got, report


def refused(path) -> list[str]:
    report = check_file(dataset("oda"), path)
    assert not report.ok
    return [str(p) for p in sorted(report.problems, key=lambda p: p.line or 0)]


def cents(values) -> int:
    return round(sum(values) * 100)


def digest(db) -> str:
    return hashlib.sha256(db.path.read_bytes()).hexdigest()


def activity(transactions: str, head: str = "", currency: str = "EUR", version: str = "2.03") -> str:
    """A one-activity IATI file of Wallonie with the given elements."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">\n'
        f' <iati-activity default-currency="{currency}">\n'
        "  <iati-identifier>XM-DAC-2-80-T</iati-identifier>\n"
        '  <reporting-org ref="XM-DAC-2-80" type="10"><narrative>Wallonie</narrative></reporting-org>\n'
        f"{head}{transactions}"
        " </iati-activity>\n</iati-activities>\n"
    )


def tx(kind="3", date="2023-05-01", value="100.00", extra="", value_attrs="") -> str:
    return (
        f'  <transaction><transaction-type code="{kind}"/><transaction-date iso-date="{date}"/>'
        f"<value{value_attrs}>{value}</value>{extra}</transaction>\n"
    )


# --- 1. Recognised by content, whatever its start ---------------------------------------------


@pytest.mark.parametrize(
    "name, data",
    [
        ("declaration", SPLIT.encode()),
        ("no declaration", SPLIT_BODY.encode()),
        ("BOM, blank lines", b"\xef\xbb\xbf\n\n  \r\n" + SPLIT_BODY.encode()),
        ("comment", ("<!-- exporté par l'outil de publication -->\n" + SPLIT_BODY).encode()),
        ("comment longer than the first 64 KB", ("<!--" + "é" * 70_000 + "-->\n" + SPLIT_BODY).encode()),
        ("UTF-16 LE with BOM", SPLIT.replace('"UTF-8"', '"UTF-16"').encode("utf-16")),
        ("UTF-16 BE with BOM", b"\xfe\xff" + SPLIT.replace('"UTF-8"', '"UTF-16"').encode("utf-16-be")),
        ("UTF-16 LE without BOM", SPLIT_BODY.encode("utf-16-le")),
    ],
)
def test_iati_is_recognised_however_it_begins(write, name, data):
    got, _ = staged(write("a.xml", data))
    assert len(got) == 12 and cents(r[7] for r in got) == 200001, name


def test_looks_like_xml_reads_past_boms_blanks_and_comments_but_not_csv():
    assert iati.looks_like_xml(b"\n\n<!-- " + b"x" * 70_000)  # the comment does not end in the prefix
    assert iati.looks_like_xml("\n<iati-activities/>".encode("utf-16-be"))  # no BOM, big-endian
    assert iati.looks_like_xml('<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16-le"))
    assert not iati.looks_like_xml(b"entity,year,amount_eur\nWallonie,2024,1\n")
    assert not iati.looks_like_xml(b"<3 ans,2024,1\n")
    assert not iati.looks_like_xml(b"")


def test_an_organisation_file_is_told_it_is_not_an_activity_file():
    assert refused(IATI / "organisation.xml") == [
        "ligne 2 : ce fichier est un fichier d'organisation IATI (<iati-organisations> : budgets et documents d'un "
        "organisme), pas un fichier d'activités : il ne contient aucune transaction. Importez le fichier d'activités "
        "(<iati-activities>) du même éditeur."
    ]


def test_a_file_of_expenditures_only_says_so_not_header_only():
    problems = refused(IATI / "expenditure_only.xml")
    assert problems == [
        "ce fichier IATI ne contient aucun engagement (type 2) ni versement (type 3) : 12 transactions de type 4 "
        "(dépenses) ignorées. L'APD n'est tirée que des engagements et des versements ; rien à importer."
    ]
    assert "en-tête" not in problems[0]


def test_activities_without_transactions_say_so(write):
    xml = (
        '<iati-activities version="2.03">\n <iati-activity><iati-identifier>A</iati-identifier></iati-activity>\n'
        " <iati-activity><iati-identifier>B</iati-identifier></iati-activity>\n</iati-activities>\n"
    )
    problems = refused(write("a.xml", xml))
    assert problems == [
        "ce fichier IATI a 2 activités mais aucune transaction (<transaction>) : l'APD est tirée des engagements "
        "(type 2) et des versements (type 3) ; rien à importer."
    ]


def test_iati_2_03_without_declaration_in_euros(write):
    got, report = staged(IATI / "dgd_no_declaration.xml")
    # By hand: three transactions in euros, one country and one sector each; the expenditure is left out.
    assert [r[:11] for r in got] == [
        (28, "Coopération belge (fédéral)", 2022, "COD", None, "12261", "commitment", 2_500_000.00, "EUR", 2_500_000.00, 1.0),
        (34, "Coopération belge (fédéral)", 2022, "COD", None, "12261", "disbursement", 750_000.50, "EUR", 750_000.50, 1.0),
        (39, "Coopération belge (fédéral)", 2023, "COD", None, "12261", "disbursement", -1_250.25, "EUR", -1_250.25, 1.0),
    ]
    # The activity's language is French; &amp; and &#8211; in the description are ordinary text.
    assert {r[11:] for r in got} == {
        ("Appui à la santé maternelle au Katanga", "Enabel", "IATI XM-DAC-2-10-3019554 (dgd_no_declaration.xml)")
    }
    assert report.notices == [
        "1 transaction de type 4 (dépense) ignorée : seuls les engagements (type 2) et les versements (type 3) sont "
        "comptés dans l'APD.",
        "fichier IATI 2.03 : 3 engagements et versements de 1 activité → 3 lignes d'APD.",
    ]


def test_iati_after_a_bom_blank_lines_and_a_comment():
    got, _ = staged(IATI / "leading_comment.xml")
    # 12 345,67 € split 60/40: 7 407,402 → 7 407,40 € and 4 938,268 → 4 938,27 €.
    assert [(r[0], r[3], r[7]) for r in got] == [(19, "BDI", 4_938.27), (19, "BFA", 7_407.40)]


def test_iati_2_01_in_usd_2009_to_the_cent():
    got, report = staged(IATI / "worldbank_usd_2009.xml")
    usd_2009 = 1.394782  # mean of the ECB's 256 daily USD rates of 2009 (the ECB publishes 1.3948)
    # By hand: 1 500 000 USD / 1.394782 = 1 075 436.88 €, 70 % = 752 805.816 and 30 % = 322 631.064:
    # 752 805.82 + 322 631.06 (the cent left over goes to the larger remainder). 250 000 USD =
    # 179 239.48 €: 125 467.636 → 125 467.64 and 53 771.844 → 53 771.84. Vocabularies 2 and 99 ignored.
    assert [(r[0], r[5], r[6], r[7], r[9], r[10]) for r in got] == [
        (27, "12220", "commitment", 752_805.82, 1_050_000.00, usd_2009),
        (27, "12240", "commitment", 322_631.06, 450_000.00, usd_2009),
        (32, "12220", "disbursement", 125_467.64, 175_000.00, usd_2009),
        (32, "12240", "disbursement", 53_771.84, 75_000.00, usd_2009),
    ]
    assert {(r[1], r[3], r[8], r[12]) for r in got} == {("World Bank", "BDI", "USD", "Ministry of Public Health")}
    assert {r[13] for r in got} == {f"IATI 44000-P111111 (worldbank_usd_2009.xml) ; taux USD 2009 : {ECB}"}
    assert "1 transaction de type 1 (fonds reçus) ignorée : seuls les engagements (type 2) et les versements (type 3) " \
        "sont comptés dans l'APD." in report.notices


def test_iati_2_02_in_gbp_with_the_transactions_own_country_and_sector():
    got, _ = staged(IATI / "dfid_gbp.xml")
    # By hand: 500 000 GBP / 0.876674 (2017) = 570 337.43 €; 120 000 / 0.884706 (2018) = 135 638.28 €;
    # 80 000 / 0.877771 (2019) = 91 139.94 €.
    assert [(r[2], r[3], r[5], r[6], r[7], r[8], r[10]) for r in got] == [
        (2017, "RWA", "11220", "commitment", 570_337.43, "GBP", 0.876674),
        (2018, "RWA", "11220", "disbursement", 135_638.28, "GBP", 0.884706),
        (2019, "COD", "11220", "disbursement", 91_139.94, "GBP", 0.877771),
    ]


def test_iati_1_05_with_c_and_d_codes():
    got, report = staged(IATI / "cordaid_v105.xml")
    # 1.0x: titles and names as element text, role « Implementing », sector vocabulary DAC, country
    # after the transactions. 64 239.45 USD of 2012 / 1.284789 = 50 000.00 € exactly.
    assert [r[1:] for r in got] == [
        ("Stichting Cordaid", 2012, "CAF", None, "12220", "commitment", 200_000.00, "EUR", 200_000.00, 1.0,
         "Amélioration des soins de santé de base", "CORDAID RCA", "IATI NL-KVK-41160054-100530 (cordaid_v105.xml)"),
        ("Stichting Cordaid", 2012, "CAF", None, "12220", "disbursement", 50_000.00, "USD", 64_239.45, 1.284789,
         "Amélioration des soins de santé de base", "CORDAID RCA",
         f"IATI NL-KVK-41160054-100530 (cordaid_v105.xml) ; taux USD 2012 : {ECB}"),
    ]
    assert report.notices[0].startswith("1 transaction de type E (dépense) ignorée")


def test_percentages_across_countries_regions_and_sectors_to_the_cent():
    got, _ = staged(IATI / "split_percentages.xml")
    # Countries and region 50/30/20, DAC sectors 60/40 (the publisher's vocabulary 99 is ignored):
    # 1 000,00 € gives 300, 200, 180, 120, 120, 80; 1 000,01 € gives the same plus the cent to the
    # largest remainder (300,003 → COD 12220).
    expected = [("COD", None, "12220"), ("COD", None, "12261"), ("RWA", None, "12220"), ("RWA", None, "12261"),
                (None, "Sud du Sahara, régional", "12220"), (None, "Sud du Sahara, régional", "12261")]
    assert [(r[3], r[4], r[5], r[7]) for r in got if r[6] == "commitment"] == [
        (*e, a) for e, a in zip(expected, (300.00, 200.00, 180.00, 120.00, 120.00, 80.00))
    ]
    assert [(r[3], r[4], r[5], r[7]) for r in got if r[6] == "disbursement"] == [
        (*e, a) for e, a in zip(expected, (300.01, 200.00, 180.00, 120.00, 120.00, 80.00))
    ]


def test_an_iati_load_stores_the_hand_tally(fixture_db):
    result = load(fixture_db, "oda", IATI / "worldbank_usd_2009.xml", mode="years", force=True)
    assert result.report.ok
    assert rows(fixture_db, "SELECT flow, sum(amount_eur), sum(amount_original) FROM oda WHERE entity = 'World Bank' "
                            "GROUP BY flow ORDER BY flow") == [
        ("commitment", pytest.approx(1_075_436.88, abs=1e-6), pytest.approx(1_500_000.0)),
        ("disbursement", pytest.approx(179_239.48, abs=1e-6), pytest.approx(250_000.0)),
    ]


# --- 2. Exchange rates: the ECB's yearly averages ---------------------------------------------


@pytest.mark.parametrize(
    "year, currency, published",  # the ECB's own published annual averages
    [(2023, "USD", 1.0813), (2009, "USD", 1.3948), (2017, "GBP", 0.87667), (2021, "CHF", 1.0811), (2019, "JPY", 122.01)],
)
def test_yearly_rates_are_the_mean_of_the_ecbs_daily_rates(year, currency, published):
    rate = rates.rate(year, currency)
    assert rate.per_euro == pytest.approx(published, rel=1e-4)
    assert rate.source == f"{currency} {year} : {ECB}"


def test_the_yearly_rate_is_the_mean_of_that_years_days():
    from currency_converter import CurrencyConverter, RateNotFoundError

    converter, days = CurrencyConverter(), []
    import datetime as dt

    for n in range(366):
        day = dt.date(2016, 1, 1) + dt.timedelta(days=n)
        try:
            days.append(converter.convert(1, "EUR", "USD", day))
        except RateNotFoundError:
            pass
    assert len(days) == 257
    assert rates.rate(2016, "USD").per_euro == round(statistics.fmean(days), 6)


def test_what_the_ecb_lacks_comes_from_the_reference_file_or_is_explained():
    assert rates.rate(2023, "EUR").per_euro == 1.0
    xof = rates.rate(2012, "XOF")
    assert (xof.per_euro, xof.year) == (655.957, 2012) and "exchange_rates.csv" in xof.source
    assert rates.rate(2026, "USD") is None  # the bundled history stops on 30 October 2026
    assert rates.rate(2022, "RUB") is None  # the ECB stopped quoting the rouble in March 2022
    assert rates.missing(2026, "USD").startswith(
        "pas de taux de change USD pour 2026 : la BCE n'a publié de taux USD en 2026 que du 02/01/2026 au 30/10/2026"
    )
    assert rates.missing(2023, "CDF") == (
        "pas de taux de change CDF pour 2023 : la BCE ne publie pas de taux de référence pour CDF. Ajoutez à "
        "data/reference/exchange_rates.csv la ligne « 2023,CDF,<unités de CDF pour 1 €>,<source> » (par exemple la "
        "moyenne annuelle publiée par la BCE ou le FMI), puis importez le fichier à nouveau."
    )
    assert rates.before_ecb(1998, "USD") and not rates.before_ecb(1998, "EUR") and not rates.before_ecb(1999, "USD")


def test_a_missing_rate_names_year_and_currency_and_how_to_add_it(write):
    xml = activity(tx(date="2023-01-01") + tx(date="2023-02-01") + tx(date="2027-03-01", value_attrs=' currency="USD"'),
                   currency="CDF")
    assert refused(write("a.xml", xml)) == [
        "ligne 6, colonne value/@currency : " + rates.missing(2023, "CDF") + " (2 transactions, la première ici)",
        "ligne 8, colonne value/@currency : " + rates.missing(2027, "USD"),
    ]
    assert "2027,USD,<unités de USD pour 1 €>" in rates.missing(2027, "USD")


def test_a_fixed_parity_converts_cfa_francs(write):
    got, _ = staged(write("a.xml", activity(tx(value="655957"), currency="XOF")))
    assert [(r[7], r[8], r[9], r[10]) for r in got] == [(1000.00, "XOF", 655_957.00, 655.957)]
    assert "parité fixe du franc CFA" in got[0][13]


def test_a_transaction_before_1999_is_left_out_and_counted(write):
    xml = activity(tx(date="1995-06-01", value="5000", value_attrs=' currency="USD"') + tx(date="2020-06-01", value="10.00"))
    got, report = staged(write("a.xml", xml))
    assert [(r[2], r[7]) for r in got] == [(2020, 10.00)]
    assert "1 transaction en USD de 1995 ignorée : pas de taux BCE avant 1999." in report.notices


def test_a_file_whose_every_transaction_predates_the_euro_says_so(write):
    xml = activity(tx(date="1995-06-01", value="5000", value_attrs=' currency="USD"') + tx(kind="4")
                   + tx(date="1997-01-01", value="1", value_attrs=' currency="USD"'))
    assert refused(write("a.xml", xml)) == [
        "aucun des 2 engagements et versements de ce fichier IATI ne peut être importé : 1 transaction de type 4 "
        "(dépense) ignorée ; 1 transaction en USD de 1995 ignorée (pas de taux BCE avant 1999) ; 1 transaction en USD "
        "de 1997 ignorée (pas de taux BCE avant 1999). L'APD n'est tirée que des engagements et des versements ; rien "
        "à importer."
    ]


# --- 3. No silent change of meaning -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        ("NaN", "« NaN » n'est pas un montant"),
        ("inf", "« inf » n'est pas un montant"),
        ("-Infinity", "« -Infinity » n'est pas un montant"),
        ("1 000,50", "« 1 000,50 » n'est pas un montant"),
        ("1e400", "« 1e400 » est un montant démesuré"),
        ("9" * 400, "est un montant démesuré"),
        ("1000000000000", "« 1000000000000 » EUR font 1 000 000 000 000 € : un montant doit rester sous 10^12 €"),
    ],
)
def test_non_finite_or_huge_values_are_refused_on_their_line(write, value, message):
    problems = refused(write("a.xml", activity(tx(value=value) + tx())))
    assert len(problems) == 1 and problems[0].startswith("ligne 6, colonne value : ")
    assert message in problems[0]


def test_a_huge_amount_in_a_weak_currency_is_checked_in_euros(write):
    # 1.2 × 10^15 IDR is about 7 × 10^10 €: under the limit, accepted.
    got, _ = staged(write("a.xml", activity(tx(value="1200000000000000", value_attrs=' currency="IDR"'))))
    assert 1e10 < got[0][7] < 1e12


COUNTRIES = '  <recipient-country code="CD" percentage="{a}"/>\n  <recipient-region code="289" percentage="{b}"/>\n'
SECTORS = '  <sector vocabulary="1" code="12220" percentage="{a}"/>\n  <sector vocabulary="1" code="12261" percentage="{b}"/>\n'


@pytest.mark.parametrize(
    "head, line, column, message",
    [
        (COUNTRIES.format(a="nan", b="100"), 6, "recipient-country/@percentage", "« nan » n'est pas un pourcentage"),
        (COUNTRIES.format(a="inf", b="0"), 6, "recipient-country/@percentage", "« inf » n'est pas un pourcentage"),
        (COUNTRIES.format(a="-20", b="120"), 6, "recipient-country/@percentage", "« -20 » : un pourcentage doit être compris entre 0 et 100"),
        (COUNTRIES.format(a="60", b="30"), 6, "recipient-country/@percentage",
         "les pourcentages des pays et régions bénéficiaires totalisent 90 % et non 100 % (règle IATI, tolérance ± 0,5 point)"),
        (SECTORS.format(a="-10", b="110"), 6, "sector/@percentage", "« -10 » : un pourcentage doit être compris entre 0 et 100"),
        (SECTORS.format(a="0", b="0"), 6, "sector/@percentage", "les pourcentages des secteurs CAD totalisent 0 % et non 100 %"),
        (SECTORS.format(a="50", b="").replace(' percentage=""', ""), 7, "sector/@percentage",
         "pourcentage absent alors que d'autres secteurs CAD de l'activité en ont un"),
    ],
)
def test_bad_percentages_are_refused_with_line_and_column(write, head, line, column, message):
    problems = refused(write("a.xml", activity(tx(), head=head)))
    assert problems[0].startswith(f"ligne {line}, colonne {column} : ")
    assert message in problems[0]


def test_percentages_within_the_tolerance_and_zero_shares_keep_the_whole_amount(write):
    head = (COUNTRIES.format(a="66.7", b="33.3") + SECTORS.format(a="100", b="0")
            + '  <sector vocabulary="2" code="122" percentage="55"/>\n')  # another vocabulary: not checked
    got, _ = staged(write("a.xml", activity(tx(value="100.00") + tx(value="0.01"), head=head)))
    # 100 € by 66,7/33,3: 66,70 and 33,30; the 0 % sector gets no row; the single cent goes to the largest share.
    assert [(r[3], r[4], r[5], r[7]) for r in got] == [
        ("COD", None, "12220", 66.70), (None, "Sud du Sahara, régional", "12220", 33.30),
        ("COD", None, "12220", 0.01),
    ]


def test_within_tolerance_shares_are_scaled_to_the_whole(write):
    head = (
        '  <recipient-country code="CD" percentage="33.3"/>\n  <recipient-country code="RW" percentage="33.3"/>\n'
        '  <recipient-country code="BI" percentage="33.3"/>\n'
    )
    got, _ = staged(write("a.xml", activity(tx(value="1000.00"), head=head)))
    assert {r[3]: r[7] for r in got} == {"COD": 333.34, "RWA": 333.33, "BDI": 333.33}  # the cent to the first


def test_several_places_without_percentages_are_shared_equally_and_said(write):
    head = '  <recipient-country code="CD"/>\n  <recipient-country code="RW"/>\n'
    got, report = staged(write("a.xml", activity(tx(value="10.01"), head=head)))
    assert [(r[3], r[7]) for r in got] == [("COD", 5.01), ("RWA", 5.00)]
    assert "1 activité à plusieurs pays et régions bénéficiaires sans pourcentage : montants répartis à parts égales." \
        in report.notices


def test_unknown_country_and_sector_codes_are_refused_on_their_element(write):
    head = '  <recipient-country code="XX"/>\n  <sector vocabulary="1" code="122"/>\n'
    assert refused(write("a.xml", activity(tx(), head=head))) == [
        "ligne 6, colonne recipient-country/@code : « XX » n'est pas un code pays ISO 3166-1 connu : "
        "<recipient-country code=\"…\"> attend un code à deux lettres comme CD.",
        "ligne 7, colonne sector/@code : « 122 » n'est pas un code-objet CAD à 5 chiffres (vocabulaire 1) : corrigez "
        "code, ou indiquez le vocabulaire du code (vocabulary=\"2\" pour un code à 3 chiffres).",
    ]


def test_every_transaction_becomes_rows_or_is_counted_with_its_reason(write):
    kinds = ["1", "2", "3", "4", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "99", ""]
    body = "".join(tx(kind=k, value="10") for k in kinds)
    body += tx(value="0") + tx(date="1998-12-31", value="5", value_attrs=' currency="GBP"')
    got, report = staged(write("a.xml", activity(body)))
    assert [(r[6], r[7]) for r in got] == [("commitment", 10.0), ("disbursement", 10.0)]
    ignored = [n.split(" : ")[0] for n in report.notices]
    assert ignored == [
        "1 transaction de type 1 (fonds reçus) ignorée",
        "2 transactions de type 4 (dépenses) ignorées",
        "1 transaction de type 5 (paiement d'intérêts) ignorée",
        "1 transaction de type 6 (remboursement de prêt) ignorée",
        "1 transaction de type 7 (remboursement) ignorée",
        "1 transaction de type 8 (achat de participation) ignorée",
        "1 transaction de type 9 (vente de participation) ignorée",
        "1 transaction de type 10 (garantie de crédit) ignorée",
        "1 transaction de type 11 (engagement reçu) ignorée",
        "1 transaction de type 12 (promesse de don) ignorée",
        "1 transaction de type 13 (promesse reçue) ignorée",
        "1 transaction de type inconnu « 99 » ignorée",
        '1 transaction sans type (<transaction-type code="…">) ignorée',
        "1 transaction en GBP de 1998 ignorée",
        "1 transaction de montant nul ignorée.",
        "fichier IATI 2.03",
    ]


# --- 4. XML that cannot hurt ------------------------------------------------------------------


def test_a_doctype_after_the_first_kilobytes_is_refused_on_its_line(write):
    xml = '<?xml version="1.0"?>\n<!--' + "x" * 70_000 + '-->\n<!DOCTYPE iati-activities [\n<!ENTITY e "x">]>\n' + SPLIT_BODY
    assert refused(write("a.xml", xml)) == [
        "ligne 3 : ce fichier XML déclare une DTD ou des entités (<!DOCTYPE>, <!ENTITY>), ce que la norme IATI "
        "n'utilise pas : il est refusé par sécurité. Exportez-le à nouveau depuis l'outil de publication IATI."
    ]


def test_a_dtd_in_utf16_is_refused_too(write):
    xml = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">\n' + SPLIT_BODY
    assert "refusé par sécurité" in refused(write("a.xml", xml.encode("utf-16")))[0]


@pytest.mark.parametrize(
    "xml",
    [
        # billion laughs
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;">]><iati-activities>&lol2;</iati-activities>',
        # external entity
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><iati-activities>&xxe;</iati-activities>',
        # a parameter entity fetching a DTD from the network
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]><iati-activities/>',
    ],
)
def test_entity_attacks_are_refused_and_nothing_is_fetched(write, monkeypatch, xml):
    def no_network(*args, **kwargs):
        raise AssertionError("the parser tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert "refusé par sécurité" in refused(write("a.xml", xml))[0]


def test_a_reference_to_an_undefined_entity_is_refused_and_named(write):
    xml = SPLIT_BODY.replace("Programme régional Grands Lacs", "Programme &nbsp;régional")
    assert refused(write("a.xml", xml)) == [
        "ligne 5 : référence à l'entité « &nbsp; », que XML ne prédéfinit pas (seules &amp; &lt; &gt; &quot; &apos; "
        "et les références numériques comme &#233; le sont) : refusé par sécurité. Écrivez le caractère lui-même, ou "
        "&amp; pour une esperluette."
    ]


def test_entity_like_text_in_cdata_or_comments_is_harmless(write):
    xml = SPLIT_BODY.replace("Programme régional Grands Lacs", "Programme <![CDATA[&nbsp; R&D]]> &amp; &#233;<!-- &x; -->")
    got, _ = staged(write("a.xml", xml))
    assert got[0][11] == "Programme &nbsp; R&D & é"


def test_malformed_and_wrongly_encoded_xml_is_a_french_message(write):
    assert refused(write("a.xml", SPLIT_BODY.replace("</title>", "")))[0].startswith(
        "ligne 22 : XML mal formé (Opening and ending tag mismatch: title line 5 and iati-activity"
    )
    latin = SPLIT_BODY.encode("utf-8").replace("régional".encode(), "régional".encode("cp1252"))
    assert refused(write("b.xml", latin))[0].startswith("ligne 5 : octets illisibles dans l'encodage du fichier")
    deep = "<iati-activities>" + "<a>" * 300 + "</a>" * 300 + "</iati-activities>"
    assert "XML mal formé" in refused(write("c.xml", deep))[0]
    assert refused(write("d.xml", SPLIT_BODY[: len(SPLIT_BODY) // 2]))[0].startswith("ligne 8 : XML mal formé")


def test_sibling_elements_by_the_hundred_thousand_are_refused_at_once(write):
    path = write("junk.xml", "<iati-activities>" + "<junk>x</junk>\n" * 150_000 + "</iati-activities>")
    started = time.perf_counter()
    problems = refused(path)
    assert time.perf_counter() - started < 5
    assert problems[0].startswith("ligne 10001 : plus de 10000 éléments autres que <iati-activity> (dont <junk>)")


def test_an_element_that_grows_without_end_is_refused(write):
    xml = activity("  <title>" + "<narrative>x</narrative>" * 100_000 + "</title>\n" + tx())  # 2.3 MB
    assert refused(write("a.xml", xml))[0].startswith("ligne 6 : l'élément <title> contient plus de 10000 sous-éléments")


def test_a_file_of_bad_transactions_is_refused_quickly_and_counted(write):
    bad = '<transaction><transaction-type code="3"/><transaction-date iso-date="2023-01-01"/><value>NaN</value></transaction>\n'
    path = write("bad.xml", activity(bad * 20_000))  # 2 MB
    started = time.perf_counter()
    report = check_file(dataset("oda"), path)
    assert time.perf_counter() - started < 10
    assert report.problem_count == 20_000
    assert [p.line for p in report.problems[:3]] == [6, 7, 8]


@pytest.mark.skipif(not os.environ.get("ATLAS_BIG_FILES"), reason="by hand: ATLAS_BIG_FILES=1 (writes 3 files of 200 MB)")
def test_files_of_200_mb_stay_under_1_gb(tmp_path):
    """Run by hand; prints time and peak memory of `check` on three 200 MB IATI files."""
    script = (
        "import resource, sys, time\n"
        "from atlas.contract import dataset\nfrom atlas.imports.ingest import check_file\n"
        "t = time.perf_counter(); r = check_file(dataset('oda'), sys.argv[1])\n"
        "print(r.ok, r.rows, r.problem_count, round(time.perf_counter() - t, 1),"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    for kind in ("activities", "one activity", "siblings"):
        path = tmp_path / "big.xml"
        _write_big(path, kind, 199 * 1024 * 1024)
        out = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True, check=True)
        ok, found, problems, seconds, peak_mb = out.stdout.split()
        print(f"{kind}: ok={ok} rows={found} problems={problems} {seconds} s, peak RSS {peak_mb} MB")
        assert int(peak_mb) < 1024
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024


def _write_big(path: Path, kind: str, size: int) -> None:
    transaction = ('   <transaction><transaction-type code="{t}"/><transaction-date iso-date="20{y:02d}-03-01"/>'
                   '<value currency="USD" value-date="20{y:02d}-03-01">{v}</value></transaction>\n')
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        written, i = 0, 0
        if kind == "one activity":
            f.write(' <iati-activity default-currency="EUR"><iati-identifier>X-1</iati-identifier>'
                    '<reporting-org ref="XM-DAC-2-80"/><recipient-country code="CD"/>\n')
        while written < size:
            if kind == "siblings":
                piece = '<junk a="1">x</junk>\n' * 1000
            elif kind == "one activity":
                piece = "".join(transaction.format(t=2 + j % 2, y=10 + j % 14, v=f"{1000 + j}.25") for j in range(i, i + 1000))
            else:
                piece = (
                    f' <iati-activity default-currency="EUR" xml:lang="fr"><iati-identifier>XM-DAC-2-80-{i}</iati-identifier>\n'
                    '  <reporting-org ref="XM-DAC-2-80" type="10"><narrative>Wallonie</narrative></reporting-org>\n'
                    f"  <title><narrative>Projet numéro {i}</narrative></title>\n"
                    "  <description><narrative>" + "Une description assez longue de l'activité. " * 4 + "</narrative></description>\n"
                    '  <recipient-country code="CD" percentage="60"/><recipient-country code="RW" percentage="40"/>\n'
                    '  <sector vocabulary="1" code="12220" percentage="100"/>\n'
                    + "".join(transaction.format(t=(2, 3, 4)[j % 3], y=10 + (i + j) % 14, v=f"{1000 + j}.{j % 100:02d}") for j in range(6))
                    + " </iati-activity>\n"
                )
            f.write(piece)
            written += len(piece)
            i += 1000
        if kind == "one activity":
            f.write(" </iati-activity>\n")
        f.write("</iati-activities>\n")


# --- OECD CRS ---------------------------------------------------------------------------------


def test_crs_is_recognised_from_bytes_in_any_of_its_encodings():
    header = "Year|DonorCode|AgencyCode|RecipientCode|PurposeCode|USD_Commitment|USD_Disbursement|ProjectTitle\n"
    assert crs.looks_like_crs(header.encode())
    assert crs.looks_like_crs(b"\xef\xbb\xbf\r\n\n" + header.encode())
    assert crs.looks_like_crs(header.replace("ProjectTitle", "Intitulé du projet").encode("cp1252"))
    assert crs.looks_like_crs(header.encode("utf-16"))
    assert crs.looks_like_crs(header.encode()[:16] + b"\xc3") is False  # a prefix cut inside a character
    assert not crs.looks_like_crs(b"entity,year,amount_eur\n")
    assert not crs.looks_like_crs(b"\xff\xfe\x00")


def test_crs_bulk_file_in_windows_1252_to_the_cent(fixture_db):
    got, report = staged(CRS / "crs_2021_cp1252.txt")
    usd_2021 = 1.18274  # mean of the ECB's daily USD rates of 2021
    source = f"(crs_2021_cp1252.txt) ; taux USD 2021 : {ECB}"
    # By hand: 0.59137 million USD / 1.18274 = 500 000.00 €; 0.29569 / 1.18274 = 250 004.2275 → 250 004.23 €;
    # 0.118274 / 1.18274 = 100 000.00 €. Flanders, France and the other official flow are not kept; 1998 is
    # counted, not converted.
    assert got == [
        (2, "Wallonie", 2021, "SEN", None, "11220", "commitment", 500_000.00, "USD", 591_370.00, usd_2021,
         "Coopération décentralisée – éducation", "Université de Liège", f"OCDE SNPC 2021, donneur 2, agence 80 {source}"),
        (2, "Wallonie", 2021, "SEN", None, "11220", "disbursement", 250_004.23, "USD", 295_690.00, usd_2021,
         "Coopération décentralisée – éducation", "Université de Liège", f"OCDE SNPC 2021, donneur 2, agence 80 {source}"),
        (3, "Région de Bruxelles-Capitale", 2021, "RWA", None, "12261", "disbursement", 100_000.00, "USD", 118_274.00,
         usd_2021, "Santé « mère-enfant » à Kigali", "ONG bruxelloise", f"OCDE SNPC 2021, donneur 2, agence 91 {source}"),
    ]
    assert report.notices[:3] == [
        "encodage Windows-1252 converti en UTF-8.",
        "fichier SNPC de l'OCDE : 3 des 6 lignes retenues (donneurs et agences de data/reference/crs_agencies.csv, flux d'APD).",
        "1 ligne en USD de 1998 ignorée : pas de taux BCE avant 1999.",
    ]
    result = load(fixture_db, "oda", CRS / "crs_2021_cp1252.txt", mode="years", force=True)
    assert result.report.ok
    assert rows(fixture_db, "SELECT project, sum(amount_eur) FROM oda WHERE source LIKE 'OCDE SNPC%' GROUP BY project ORDER BY project") == [
        ("Coopération décentralisée – éducation", pytest.approx(750_004.23, abs=1e-6)),
        ("Santé « mère-enfant » à Kigali", pytest.approx(100_000.00, abs=1e-6)),
    ]


CRS_HEADER = "Year|DonorCode|AgencyCode|RecipientCode|FlowCode|USD_Commitment|USD_Disbursement|ProjectTitle|PurposeCode\n"


def test_crs_mixing_utf8_and_windows_1252_is_refused_naming_the_lines(fixture_db, write):
    data = (CRS_HEADER + "2021|2|80|269|11|1|1|Santé|12220\n").encode()
    data += "2021|2|80|269|11|1|1|Éducation|11220\n2021|2|80|269|11|1|1|OK|11220\n".encode("cp1252")
    data += "2021|2|80|269|11|1|1|Accès à l'eau|14030\n".encode("cp1252")
    before = digest(fixture_db)
    result = load(fixture_db, "oda", write("mixed.txt", data), force=True)
    assert [(p.line, p.message[:45]) for p in result.report.problems] == [
        (3, "octets qui ne sont pas de l'UTF-8, alors que "), (5, "octets qui ne sont pas de l'UTF-8, alors que "),
    ]
    assert digest(fixture_db) == before


@pytest.mark.parametrize(
    "text, expected",
    [
        (CRS_HEADER + "2021|2|80|269|11|1|1|Santé\n", ["ligne 2 : 8 champs alors que l'en-tête en compte 9"]),
        (CRS_HEADER + "2021|2|80|269|11|NaN|1|Santé|12220\n", ["ligne 2, colonne USD_Commitment : « NaN » n'est pas un montant fini"]),
        (CRS_HEADER + "2021|2|80|269|11|1e400|1|Santé|12220\n", ["ligne 2, colonne USD_Commitment : « 1e400 » n'est pas un montant fini"]),
        (CRS_HEADER + "2021|2|80|269|11|9000000|1|Santé|12220\n", ["ligne 2, colonne USD_Commitment : « 9000000 » millions de USD font plus de 10^12 USD ou €"]),
        (CRS_HEADER + "2021|2|80|9999|11|1|1|Santé|12220\n", ["ligne 2, colonne RecipientCode : « 9999 » n'est pas un code de bénéficiaire"]),
        (CRS_HEADER + "21|2|80|269|11|1|1|Santé|12220\n", ["ligne 2, colonne Year : « 21 » n'est pas une année"]),
        (CRS_HEADER + "2027|2|80|269|11|1|1|Santé|12220\n", ["ligne 2, colonne Year : pas de taux de change USD pour 2027"]),
        (CRS_HEADER + "2021|4|1|269|11|1|1|Projet|12220\n", ["aucune des 1 lignes de ce fichier SNPC ne concerne"]),
        ("Year|DonorCode|RecipientCode|PurposeCode\n2021|2|269|12220\n",
         ["ligne 1 : fichier SNPC incomplet : colonnes absentes agencycode, usd_commitment, usd_disbursement"]),
        (CRS_HEADER.encode() + b"2021|2|80|269|11|1|1|Sant\x81|12220\n", ["ligne 2 : octet 0x81 illisible"]),
        (CRS_HEADER + '2021|2|80|269|11|1|1|Santé|12220\n2021|2|80|269|11|1|1|"Santé|12220\n' + "x|" * 70_000,
         ["ligne 3 : ligne illisible : un champ dépasse 131072 caractères"]),
    ],
)
def test_damaged_crs_files_get_french_messages(write, text, expected):
    problems = refused(write("crs.txt", text))
    assert len(problems) == len(expected)
    for got, want in zip(problems, expected):
        assert got.startswith(want), got


def test_crs_blank_lines_and_quoted_newlines_keep_spreadsheet_line_numbers(write):
    text = ("\r\n" + CRS_HEADER + '2021|2|80|269|11|1|1|"Deux\nlignes"|12220\n\n'
            "2021|2|91|266|11||0.118274|Santé|12261\n")
    got, report = staged(write("crs.txt", text))
    assert [(r[0], r[6], r[7], r[11]) for r in got] == [
        (3, "commitment", pytest.approx(1e6 / 1.18274, abs=0.005), "Deux\nlignes"),
        (3, "disbursement", pytest.approx(1e6 / 1.18274, abs=0.005), "Deux\nlignes"),
        (6, "disbursement", 100_000.00, "Santé"),
    ]
    assert "1 ligne vide avant l'en-tête (ligne 2) ignorée." in report.notices


def test_crs_in_utf8_with_bom_and_comma_delimiter(write):
    text = "\ufeff" + CRS_HEADER.replace("|", ",") + "2021,2,80,269,11,,0.59137,\"Santé, eau\",12220\n"
    got, _ = staged(write("crs.csv", text))
    assert [(r[7], r[11]) for r in got] == [(500_000.00, "Santé, eau")]


def test_an_activity_with_very_many_transactions_waits_on_disk_with_the_same_rows(write, monkeypatch):
    body = "".join(
        tx(kind=k, value=v, date="2021-02-03", extra='<recipient-country code="BI"/>' if k == "2" else "",
           value_attrs=' currency="USD"' if v == "118.27" else "")
        for k, v in (("2", "10.00"), ("3", "118.27"), ("4", "5"), ("3", "0.03"), ("2", "7.77"))
    )
    xml = activity(body).replace(" </iati-activity>", '  <recipient-country code="CD"/>\n </iati-activity>')  # 1.0x order
    path = write("a.xml", xml)
    in_memory, _ = staged(path)
    monkeypatch.setattr(iati, "SPILL_AFTER", 2)
    spilled, report = staged(path)
    assert spilled == in_memory
    # 118.27 USD of 2021 / 1.18274 = 99.997 → 100.00 €; the 0.03 € disbursement goes to the country named last.
    assert [(r[3], r[6], r[7]) for r in spilled] == [
        ("BDI", "commitment", 10.00), ("COD", "disbursement", 100.00), ("COD", "disbursement", 0.03),
        ("BDI", "commitment", 7.77),
    ]
