"""Upload templates: for each dataset a CSV with the header, and an Excel workbook whose second
sheet explains every column in French (required or not, type, allowed values, an example).

Derived from atlas.contract, so a template always matches what validation accepts; a test loads
each template's example row through the real validation. Written through atlas.export, like every
file that leaves Atlas.
"""

from __future__ import annotations

import io

from atlas.contract import Column, Dataset
from atlas.exports import spreadsheets as export

KIND_LABELS = {
    "text": "texte",
    "code": "code",
    "country": "pays : code ISO 3166-1 alpha-3 (COD) ; un code alpha-2 (CD) ou un nom exact (Congo) est converti",
    "list": "liste de valeurs séparées par |",
    "enum": "une valeur de la liste permise",
    "date": "date : 2024-03-31 ou 31/03/2024",
    "int": "nombre entier",
    "number": "nombre : 1234,5 ou 1 234 567,89 € ou 1234.5",
    "bool": "oui/non : true ou false",
}

# What each column means, by column name (the same name means the same thing in every dataset).
DESCRIPTIONS = {
    "agreement_id": "identifiant unique de l'accord, choisi par vous (clé)",
    "title": "intitulé",
    "partner": "la partie étrangère : État, région, ville ou organisation",
    "partner_level": "niveau du partenaire",
    "country_iso3": "pays concerné",
    "entity": "l'entité belge : Wallonie, Fédération Wallonie-Bruxelles, Région de Bruxelles-Capitale, WBI…",
    "signed_on": "date de signature",
    "ends_on": "date de fin (pas avant le début)",
    "status": "état de l'accord",
    "sectors": "secteurs concernés",
    "subdivision_code": "code ISO 3166-2 d'une région partenaire",
    "budget_eur": "budget en euros",
    "projects": "nombre de projets du programme en cours",
    "last_commission_on": "date de la dernière commission mixte",
    "latitude": "latitude en degrés décimaux",
    "longitude": "longitude en degrés décimaux",
    "source": "d'où vient la donnée (document, lien, « exemple »)",
    "since_year": "première année comme pays prioritaire (clé avec entity et country_iso3)",
    "until_year": "dernière année (vide = toujours prioritaire)",
    "programme": "nom du programme",
    "year": "année",
    "sector_code": "code-objet CAD de l'OCDE à 5 chiffres",
    "channel": "canal (ONG, bilatéral, multilatéral…)",
    "project": "nom du projet",
    "flow": "versement (disbursement, par défaut) ou engagement (commitment)",
    "amount_eur": "montant en euros ; négatif pour un remboursement",
    "region": "région bénéficiaire quand le pays est vide (« Afrique subsaharienne, régional »)",
    "currency": "devise d'origine, code ISO 4217",
    "amount_original": "montant dans la devise d'origine",
    "exchange_rate": "unités de la devise d'origine pour un euro",
    "activity_id": "identifiant de l'activité IATI (un projet)",
    "oda_eur": "APD totale de la Belgique en euros",
    "gni_eur": "revenu national brut en euros",
    "preliminary": "chiffre provisoire ?",
    "mission_id": "identifiant unique de la mission (clé)",
    "organiser": "organisateur : hub.brussels, AWEX, FIT…",
    "city": "ville",
    "starts_on": "date de début",
    "kind": "type",
    "sector": "secteur",
    "participants_sme": "nombre de participants PME",
    "participants_large": "nombre de participants grandes entreprises",
    "cost_eur": "coût en euros",
    "fee_sme_eur": "droit d'inscription d'une PME en euros",
    "fee_large_eur": "droit d'inscription d'une grande entreprise en euros",
    "office_id": "identifiant unique du bureau (clé)",
    "agency": "agence : hub.brussels, AWEX, FIT, WBI…",
    "shared": "poste partagé entre régions ?",
}

# One example row per dataset, written as a Belgian analyst would.
EXAMPLES = {
    "agreements": {
        "agreement_id": "QC-1999", "title": "Accord-cadre Wallonie-Bruxelles/Québec",
        "partner": "Gouvernement du Québec", "partner_level": "region", "country_iso3": "CAN",
        "entity": "Wallonie-Bruxelles International", "signed_on": "15/03/1999", "ends_on": "",
        "status": "in_force", "sectors": "culture|recherche", "subdivision_code": "CA-QC",
        "budget_eur": "1 500 000", "projects": "80", "last_commission_on": "20/05/2015",
        "latitude": "46,813", "longitude": "-71,208", "source": "WBI, commission mixte 2015",
    },
    "priority_countries": {
        "entity": "Wallonie-Bruxelles International", "country_iso3": "République démocratique du Congo",
        "since_year": "2000", "until_year": "", "programme": "Programme RDC", "sectors": "santé|éducation",
        "source": "WBI",
    },
    "oda": {
        "entity": "Wallonie", "year": "2024", "country_iso3": "COD", "sector_code": "12220",
        "channel": "ONG", "project": "Santé de base Kinshasa", "flow": "disbursement",
        "amount_eur": "125 000,50", "source": "rapport annuel 2024", "region": "", "currency": "",
        "amount_original": "", "exchange_rate": "", "activity_id": "",
    },
    "oda_national": {
        "year": "2023", "oda_eur": "2 640 000 000", "gni_eur": "600 000 000 000", "preliminary": "true",
        "source": "OCDE CAD, chiffres préliminaires",
    },
    "missions": {
        "mission_id": "MA-2018", "title": "Mission économique belge au Maroc", "organiser": "FIT",
        "entity": "Wallonie", "country_iso3": "MAR", "city": "Casablanca", "starts_on": "25/11/2018",
        "ends_on": "30/11/2018", "kind": "royal", "sector": "", "participants_sme": "300",
        "participants_large": "169", "cost_eur": "450 000", "fee_sme_eur": "100", "fee_large_eur": "300",
        "source": "exemple",
    },
    "offices": {
        "office_id": "AWEX-CASA", "city": "Casablanca", "country_iso3": "MAR", "agency": "AWEX",
        "kind": "economic", "shared": "false", "latitude": "33,573", "longitude": "-7,59",
    },
}


def _rules(col: Column) -> str:
    parts = []
    if col.allowed:
        parts.append("valeurs permises : " + ", ".join(col.allowed))
    if col.pattern_hint:
        parts.append(col.pattern_hint)
    low, high = col.minimum, col.maximum
    if low is not None and high is not None:
        parts.append(f"entre {_n(low)} et {_n(high)}")
    elif low is not None:
        parts.append(f"{'>' if col.exclusive_minimum else '≥'} {_n(low)}")
    elif high is not None:
        parts.append(f"≤ {_n(high)}")
    if col.default is not None:
        parts.append(f"vide = {col.default}")
    return " ; ".join(parts)


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def describe(ds: Dataset) -> list[dict[str, str]]:
    """One row per column: what the second sheet of the Excel template shows (French)."""
    example = EXAMPLES.get(ds.name, {})
    return [
        {
            "colonne": c.name,
            "obligatoire": "oui" if c.required else "non",
            "clé": "oui" if c.name in ds.key else "",
            "type": KIND_LABELS[c.kind],
            "valeurs permises, limites": _rules(c),
            "exemple": example.get(c.name, ""),
            "explication": DESCRIPTIONS.get(c.name, ""),
        }
        for c in ds.columns
    ]


def example_row(ds: Dataset) -> list[str]:
    example = EXAMPLES.get(ds.name, {})
    return [example.get(c.name, "") for c in ds.columns]


def to_csv(ds: Dataset, with_example: bool = False) -> bytes:
    """The header (and optionally the example row), « ; »-separated UTF-8 with BOM for Belgian Excel."""
    return export.csv_rows([ds.column_names, example_row(ds)] if with_example else [ds.column_names])


def to_excel(ds: Dataset) -> bytes:
    """Sheet 1 « données »: the header to fill in; sheet 2 « colonnes »: every column explained."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    book = openpyxl.Workbook()
    data = book.active
    data.title = "données"
    data.append(export.excel_row(ds.column_names))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in data[1]:
        cell.font, cell.fill = bold, fill
    for i, name in enumerate(ds.column_names, start=1):
        data.column_dimensions[openpyxl.utils.get_column_letter(i)].width = max(12, len(name) + 4)
    data.freeze_panes = "A2"

    help_sheet = book.create_sheet("colonnes")
    help_sheet.append(export.excel_row([f"Modèle d'import « {ds.name} » ({ds.label}) : remplissez la feuille « données », une ligne par enregistrement."]))
    help_sheet["A1"].font = Font(bold=True, size=12)
    key = ", ".join(ds.key) if ds.key else "aucune (chaque ligne est une transaction)"
    help_sheet.append(export.excel_row([f"Clé unique : {key}. L'ordre des colonnes est libre ; "
                                        "les colonnes non obligatoires peuvent manquer."]))
    help_sheet.append([])
    rows = describe(ds)
    help_sheet.append(export.excel_row(rows[0]))
    for cell in help_sheet[help_sheet.max_row]:
        cell.font, cell.fill = bold, fill
    for row in rows:
        help_sheet.append(export.excel_row(row.values()))
    help_sheet.append([])
    help_sheet.append(export.excel_row(["Exemple de ligne complète :"]))
    help_sheet.cell(help_sheet.max_row, 1).font = bold
    help_sheet.append(export.excel_row(ds.column_names))
    for cell in help_sheet[help_sheet.max_row]:
        cell.font, cell.fill = bold, fill
    help_sheet.append(export.excel_row(example_row(ds)))
    for letter, width in zip("ABCDEFG", (22, 12, 6, 40, 36, 34, 60)):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=5, max_row=4 + len(rows)):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
