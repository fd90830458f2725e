"""Deterministic synthetic datasets, to measure Atlas at any size (`python -m atlas synth`).

The ODA file is drawn, row by row, from distributions shaped like the real thing: years 2000-2025
weighted towards recent years, the ~146 ODA recipients of data/reference/crs_recipients.csv with
a long tail (the sample's partner countries first, then a Zipf decay), some regional rows without
a country, the DAC purpose codes of data/reference/dac_sectors.csv (also Zipf), the sample's four
home entities in the sample's proportions, both flows, and a few negative amounts (reimbursements).
The other datasets are the sample's rows, copied with their source marked.

Every row says « synthétique » in its source (and « exemple », so that the app shows its
« données d'exemple » notice): synthetic figures can never be mistaken for the sample, nor for
real data. The same size and seed give byte-identical files (numpy's PCG64 generator). Files are
never written into data/sample/.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa

from atlas.contract import DATASETS
from atlas.errors import AtlasError
from atlas.store import ROOT

SAMPLE_DIR = ROOT / "data" / "sample"
REFERENCE_DIR = ROOT / "data" / "reference"
MAX_ODA_ROWS = 10_000_000
CHUNK = 500_000  # rows generated and written at a time: memory stays flat at any size
MARK = "synthétique"

YEARS = np.arange(2000, 2026)
# The home entities of the sample, in the sample's proportions.
ENTITIES = {
    "Wallonie-Bruxelles International": 156,
    "Fédération Wallonie-Bruxelles": 79,
    "Wallonie": 77,
    "Région de Bruxelles-Capitale": 55,
}
CHANNELS = {"ONG": 97, "Multilatéral": 95, "Université": 94, "Bilatéral": 81, "": 10}
# The sample's partner countries, most funded first: they head the long tail.
HEAD_COUNTRIES = ["COD", "MAR", "SEN", "VNM", "BEN", "BFA", "RWA", "PSE", "BOL", "LBN", "BDI", "HTI", "NER",
                  "CIV", "GIN", "UKR", "TUN", "MLI", "PER", "CMR"]
HEAD_SECTORS = ["11220", "12220", "14030", "15160", "16061", "31120", "43010", "72010", "11420", "15112",
                "16020", "41030"]
NO_COUNTRY_SHARE = 0.05  # regional and unallocated rows
NO_SECTOR_SHARE = 0.02
COMMITMENT_SHARE = 0.4
NEGATIVE_SHARE = 0.004  # reimbursements and corrections
ODA_COLUMNS = ["entity", "year", "country_iso3", "sector_code", "channel", "project", "flow", "amount_eur", "source",
               "region"]


def source_text(seed: int) -> str:
    # Short: it is repeated on every row of files of millions of rows.
    return f"{MARK} : exemple de la graine {seed}"


def _weights(values: list[float]) -> np.ndarray:
    w = np.asarray(values, dtype=float)
    return w / w.sum()


def _zipf(n: int, exponent: float) -> np.ndarray:
    return _weights(list(1.0 / np.arange(1, n + 1) ** exponent))


def _long_tail(head: list[str], rest: list[str], seed: int, exponent: float) -> tuple[np.ndarray, np.ndarray]:
    """Values ordered head first, then the rest in a fixed shuffled order, with Zipf weights."""
    rest = sorted(set(rest) - set(head))
    np.random.default_rng(seed).shuffle(rest)
    ordered = [v for v in head if v] + rest
    return np.array(ordered, dtype=object), _zipf(len(ordered), exponent)


def _recipients() -> tuple[list[str], list[str]]:
    with open(REFERENCE_DIR / "crs_recipients.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    countries = sorted({r["iso3"] for r in rows if r["iso3"]})
    regions = sorted({r["region"] for r in rows if not r["iso3"] and r["region"]})
    return countries, regions


def _sector_codes() -> list[str]:
    with open(REFERENCE_DIR / "dac_sectors.csv", encoding="utf-8") as f:
        return [r["code"] for r in csv.DictReader(f)]


def _check_out_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir).resolve()
    sample = SAMPLE_DIR.resolve()
    if out_dir == sample or sample in out_dir.parents:
        raise AtlasError(
            "les données synthétiques ne s'écrivent jamais dans data/sample/ : choisissez un autre dossier."
        )
    return out_dir


def write_oda(path: Path, rows: int, seed: int = 1) -> Path:
    """Write `rows` synthetic ODA rows to `path` (CSV, UTF-8, `,`), deterministically for `seed`."""
    if not 1 <= rows <= MAX_ODA_ROWS:
        raise AtlasError(f"nombre de lignes ODA hors limites : entre 1 et {MAX_ODA_ROWS:_} lignes.".replace("_", " "))
    countries, regions = _recipients()
    country_values, country_w = _long_tail(HEAD_COUNTRIES, countries, seed, 1.05)
    sector_values, sector_w = _long_tail(HEAD_SECTORS, _sector_codes(), seed + 1, 1.0)
    region_values = np.array(regions, dtype=object)
    entity_values, entity_w = np.array(list(ENTITIES), dtype=object), _weights(list(ENTITIES.values()))
    channel_values, channel_w = np.array(list(CHANNELS), dtype=object), _weights(list(CHANNELS.values()))
    year_w = _weights(list(1.12 ** (YEARS - YEARS[0])))  # recent years weigh ~17× the year 2000
    flows = np.array(["disbursement", "commitment"], dtype=object)
    projects = max(50, rows // 40)  # about 40 rows (years, flows, sectors) per project
    source = source_text(seed)
    rng = np.random.default_rng(seed)
    header = ",".join(ODA_COLUMNS) + "\n"
    with open(path, "wb") as f:
        f.write(header.encode("utf-8"))
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            no_country = rng.random(n) < NO_COUNTRY_SHARE
            country = country_values[rng.choice(len(country_values), n, p=country_w)]
            region = region_values[rng.integers(0, len(region_values), n)]
            sector = sector_values[rng.choice(len(sector_values), n, p=sector_w)]
            sector[rng.random(n) < NO_SECTOR_SHARE] = None
            cents = np.round(rng.lognormal(mean=10.6, sigma=1.5, size=n) * 100).astype(np.int64) + 100
            cents[rng.random(n) < NEGATIVE_SHARE] *= -1
            table = pa.table({
                "entity": pa.array(entity_values[rng.choice(len(entity_values), n, p=entity_w)], pa.string()),
                "year": pa.array(YEARS[rng.choice(len(YEARS), n, p=year_w)], pa.int32()),
                "country_iso3": pa.array(np.where(no_country, None, country), pa.string()),
                "sector_code": pa.array(sector, pa.string()),
                "channel": pa.array(channel_values[rng.choice(len(channel_values), n, p=channel_w)], pa.string()),
                "project": pa.array(np.char.add("Projet synthétique ", rng.integers(1, projects + 1, n).astype(str)), pa.string()),
                "flow": pa.array(flows[(rng.random(n) < COMMITMENT_SHARE).astype(np.int8)], pa.string()),
                "amount_eur": pa.array(cents / 100, pa.float64()),
                "source": pa.array(np.full(n, source, dtype=object), pa.string()),
                "region": pa.array(np.where(no_country, region, None), pa.string()),
            })
            f.write(_csv_lines(table))
    return path


def _csv_lines(table: pa.Table) -> bytes:
    """The rows as CSV, quoted only where needed (a region such as « Europe, régional »).

    DuckDB writes it (pyarrow would quote every text cell, a third more bytes); one chunk at a
    time through a temporary file, appended in order, so memory stays flat at any size.
    """
    import duckdb

    with tempfile.TemporaryDirectory(prefix="atlas-synth-") as tmp:
        out = Path(tmp) / "chunk.csv"
        con = duckdb.connect()
        try:
            con.register("chunk", table)
            con.execute(f"COPY (SELECT * FROM chunk) TO '{out}' (HEADER false, DELIMITER ',')")
        finally:
            con.close()
        return out.read_bytes()


def _copy_marked(src: Path, dst: Path) -> None:
    """A sample file's rows with « synthétique » in their source (files without one are copied)."""
    with open(src, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames or [], list(reader)
    with open(dst, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            if "source" in row:
                row["source"] = f"{MARK} (copie de l'échantillon) : {row['source'] or 'sans source'}"
            writer.writerow(row)


def generate(out_dir: str | Path, oda_rows: int, seed: int = 1) -> dict[str, Path]:
    """One CSV per dataset in `out_dir`: `oda_rows` synthetic ODA rows, the others from the sample."""
    out_dir = _check_out_dir(Path(out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in DATASETS:
        path = out_dir / f"{name}.csv"
        if name == "oda":
            write_oda(path, oda_rows, seed)
        else:
            _copy_marked(SAMPLE_DIR / f"{name}.csv", path)
        written[name] = path
    return written
