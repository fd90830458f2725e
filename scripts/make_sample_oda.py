"""Generate the illustrative ODA sample, data/sample/oda.csv.

Every amount is invented (the `source` column says so): the file only has to look like what the
home entities report to the OECD DAC, so that the pages have something realistic to show.
Deterministic: a fixed seed, the standard library only. Run from the repository root:

    python scripts/make_sample_oda.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20261123
YEARS = range(2018, 2026)  # 2018–2025
OUT = Path(__file__).resolve().parent.parent / "data" / "sample" / "oda.csv"
SOURCE = "exemple illustratif (montants fictifs)"
HEADER = ["entity", "year", "country_iso3", "sector_code", "channel", "project", "flow",
          "amount_eur", "source"]

WBI = "Wallonie-Bruxelles International"
WAL = "Wallonie"
RBC = "Région de Bruxelles-Capitale"
FWB = "Fédération Wallonie-Bruxelles"

# DAC purpose code -> project title patterns ({pays} is the country's French name)
SECTORS = {
    "11220": ["Accès à l'enseignement primaire – {pays}", "Écoles primaires de qualité – {pays}"],
    "11330": ["Formation professionnelle des jeunes – {pays}", "Centres de formation aux métiers – {pays}"],
    "11420": ["Bourses d'excellence et mobilité universitaire – {pays}",
              "Partenariat interuniversitaire – {pays}"],
    "12220": ["Soins de santé primaires – {pays}", "Appui aux zones de santé – {pays}"],
    "12261": ["Éducation sanitaire et hygiène – {pays}"],
    "14030": ["Eau potable et assainissement de base – {pays}"],
    "15112": ["Appui à la décentralisation et aux communes – {pays}"],
    "15150": ["Participation citoyenne et société civile – {pays}"],
    "15160": ["Droits humains et accès à la justice – {pays}"],
    "16020": ["Insertion professionnelle et emploi des jeunes – {pays}"],
    "16061": ["Coopération culturelle et industries créatives – {pays}",
              "Soutien aux opérateurs culturels – {pays}"],
    "23230": ["Électrification solaire rurale – {pays}"],
    "31120": ["Développement agricole et filières locales – {pays}",
              "Agroécologie et sécurité alimentaire – {pays}"],
    "31166": ["Vulgarisation agricole – {pays}"],
    "32130": ["Appui aux PME et à l'entrepreneuriat – {pays}"],
    "41030": ["Biodiversité et aires protégées – {pays}"],
    "43010": ["Programme de coopération bilatérale – {pays}"],
    "43082": ["Recherche scientifique conjointe – {pays}"],
}

COUNTRIES = {  # ISO alpha-3 -> French name used in project titles
    "COD": "RD Congo", "RWA": "Rwanda", "BDI": "Burundi", "BEN": "Bénin", "BFA": "Burkina Faso",
    "SEN": "Sénégal", "MAR": "Maroc", "HTI": "Haïti", "GIN": "Guinée", "PSE": "Palestine",
    "VNM": "Vietnam", "TUN": "Tunisie", "DZA": "Algérie", "BOL": "Bolivie", "CMR": "Cameroun",
    "NER": "Niger", "MLI": "Mali", "CIV": "Côte d'Ivoire", "LBN": "Liban", "UKR": "Ukraine",
}
REMOVED_2021 = {"BDI", "GIN", "HTI"}  # left WBI's priority list in July 2021

# entity -> (number of projects, countries with weights, sectors, channels, budget range in EUR)
PROFILES = {
    WBI: (52, {"COD": 8, "RWA": 5, "BDI": 3, "BEN": 4, "BFA": 4, "SEN": 4, "MAR": 3, "HTI": 2,
               "GIN": 1, "PSE": 2, "VNM": 3, "TUN": 1, "BOL": 1},
          ["11220", "11330", "11420", "12220", "12261", "14030", "15112", "15150", "16061",
           "31120", "31166", "43010", "43082"],
          ["Bilatéral", "ONG", "Université", "Multilatéral"], (60_000, 2_400_000)),
    WAL: (26, {"COD": 4, "BEN": 2, "BFA": 2, "SEN": 2, "MAR": 2, "NER": 1, "CMR": 1, "UKR": 1,
               "RWA": 1},
          ["31120", "31166", "32130", "23230", "14030", "41030", "16020", "43010"],
          ["ONG", "Bilatéral", "Multilatéral"], (40_000, 1_500_000)),
    RBC: (16, {"COD": 3, "MAR": 3, "SEN": 1, "PSE": 1, "TUN": 1, "LBN": 1},
          ["15112", "14030", "32130", "16020", "15150", "16061"],
          ["ONG", "Bilatéral", "Multilatéral"], (25_000, 600_000)),
    FWB: (24, {"COD": 3, "RWA": 2, "BDI": 1, "SEN": 1, "HTI": 1, "VNM": 1, "LBN": 2, "MAR": 1,
               "CIV": 1, "MLI": 1},
          ["11420", "11220", "16061", "15160", "43082", "11330"],
          ["Université", "ONG", "Multilatéral"], (30_000, 1_800_000)),
}

# Regional or unallocated programmes (empty country_iso3)
UNALLOCATED = [
    (WBI, "99820", "ONG", "Sensibilisation au développement en Wallonie et à Bruxelles"),
    (WBI, "43010", "Multilatéral", "Contribution au Fonds francophone de développement (OIF)"),
    (FWB, "11420", "Université", "Programme régional de bourses Afrique des Grands Lacs"),
    (WAL, "72010", "Multilatéral", "Aide humanitaire d'urgence – Sahel (régional)"),
    (RBC, "99820", "ONG", "Éducation à la citoyenneté mondiale à Bruxelles"),
]


def budget(rng: random.Random, lo: int, hi: int) -> int:
    """Log-uniform total, rounded to 500 EUR."""
    value = lo * (hi / lo) ** rng.random()
    return int(round(value / 500.0)) * 500


def disbursements(rng: random.Random, total: int, years: list[int]) -> list[tuple[int, int]]:
    """Split a total over the years, slightly uneven, summing to 95–100 % of it."""
    weights = [0.6 + rng.random() for _ in years]
    spent = total * rng.uniform(0.95, 1.0)
    out, left = [], int(round(spent / 10)) * 10
    for i, (year, w) in enumerate(zip(years, weights)):
        if i == len(years) - 1:
            amount = left
        else:
            amount = int(round(spent * w / sum(weights) / 10)) * 10
            left -= amount
        out.append((year, amount))
    return out


def main() -> None:
    rng = random.Random(SEED)
    rows: list[list[object]] = []

    def add(entity, year, country, sector, channel, project, flow, amount):
        rows.append([entity, year, country, sector, channel, project, flow, amount, SOURCE])

    finished = []  # (entity, country, sector, channel, title, total, last year) of ended projects
    for entity, (n, weights, sectors, channels, (lo, hi)) in PROFILES.items():
        countries = list(weights)
        # start years spread evenly over 2017–2024, in a seeded order
        starts = [2017 + i % 8 for i in range(n)]
        rng.shuffle(starts)
        for start in starts:
            country = rng.choices(countries, weights=[weights[c] for c in countries])[0]
            last_year = max(YEARS)
            if entity == WBI and country in REMOVED_2021:
                # no new WBI project there after July 2021
                start = start if start <= 2020 else rng.randint(2017, 2020)
                last_year = 2021
            duration = rng.randint(1, 4)
            sector = rng.choice(sectors)
            channel = "Université" if sector in ("11420", "43082") else rng.choice(channels)
            title = rng.choice(SECTORS[sector]).format(pays=COUNTRIES[country])
            if any(r[5] == title and r[0] == entity for r in rows):
                title += f" (phase {start})"
            total = budget(rng, lo, hi)
            if start in YEARS:
                add(entity, start, country, sector, channel, title, "commitment", total)
            span = [y for y in range(start, start + duration) if y <= last_year]
            for year, amount in disbursements(rng, total, span):
                if year in YEARS:
                    add(entity, year, country, sector, channel, title, "disbursement", amount)
            if span[-1] <= 2024:
                finished.append((entity, country, sector, channel, title, total, span[-1]))

    # Regional or unallocated programmes: a few rows with an empty country
    for entity, sector, channel, title in UNALLOCATED:
        for year in YEARS:
            if rng.random() < 0.3:
                amount = int(round(rng.uniform(40_000, 350_000) / 100)) * 100
                add(entity, year, "", sector, channel, title, "disbursement", amount)

    # Reimbursements of unspent balances: negative disbursements, the year after a project ended
    for entity in (WBI, WAL, FWB):
        candidates = [f for f in finished if f[0] == entity and f[6] >= 2018]
        ent, country, sector, channel, title, total, last = rng.choice(candidates)
        amount = -int(round(total * rng.uniform(0.02, 0.05) / 10)) * 10
        add(ent, last + 1, country, sector, channel, title, "disbursement", amount)

    rows.sort(key=lambda r: (r[1], r[0], r[2], r[5], r[6]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main()
