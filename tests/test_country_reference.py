"""The committed country reference (data/geo/) that scripts/build_country_reference.py derives."""

import csv
import json
import re
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

GEO = Path(__file__).resolve().parents[1] / "data" / "geo"
COLUMNS = ["iso3", "iso2", "numeric", "name_fr", "name_nl", "name_en", "continent", "lat", "lon", "has_shape",
           "pop_est", "pop_year", "gdp_md_est", "gdp_year", "income_grp", "region_un"]
# Belgian partner countries, Wallonie-Bruxelles partners, mission destinations and small states the app shows.
MUST_HAVE_SHAPE = (
    "BEN BFA BDI COD GIN MLI MAR MOZ NER PSE RWA SEN TZA UGA HTI CAN ARM CHN DZA TUN KOR ESP FRA USA "
    "BRA AUS LUX CHE SGP HKG ARE CPV STP COM MUS"
).split()


@pytest.fixture(scope="module")
def rows() -> dict[str, dict]:
    # The csv module, not pandas: pandas reads Namibia's "NA" and North America's "NA" as missing.
    with open(GEO / "countries.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        table = list(reader)
    by_iso3 = {r["iso3"]: r for r in table}
    assert len(by_iso3) == len(table), "iso3 must be unique"
    return by_iso3


@pytest.fixture(scope="module")
def features() -> dict[str, dict]:
    collection = json.loads((GEO / "countries.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in collection["features"]}
    assert len(by_id) == len(collection["features"]), "feature ids must be unique"
    return by_id


def test_every_iso_country_and_kosovo(rows):
    assert len(rows) >= 250
    assert {"BEL", "COD", "NAM", "XKX", "TWN", "ESH"} <= rows.keys()
    assert all(re.fullmatch(r"[A-Z]{3}", iso3) and re.fullmatch(r"[A-Z]{2}", r["iso2"]) for iso3, r in rows.items())
    assert len({r["iso2"] for r in rows.values()}) == len(rows)
    assert rows["NAM"]["iso2"] == "NA"
    assert rows["BEL"]["numeric"] == "056"
    assert rows["XKX"]["iso2"] == "XK" and rows["XKX"]["numeric"] == ""


def test_display_names(rows):
    assert rows["COD"]["name_fr"] == "République démocratique du Congo"
    assert (rows["KOR"]["name_fr"], rows["KOR"]["name_nl"], rows["KOR"]["name_en"]) == (
        "Corée du Sud",
        "Zuid-Korea",
        "South Korea",
    )
    assert rows["PSE"]["name_fr"] == "Palestine"
    assert rows["TZA"]["name_fr"] == "Tanzanie"
    assert rows["IRN"]["name_fr"] == "Iran"
    assert rows["RUS"]["name_fr"] == "Russie"
    assert rows["CHN"]["name_fr"] == "Chine"
    assert rows["BEL"]["name_nl"] == "België"
    assert rows["CPV"]["name_fr"] == "Cap-Vert"  # from the ISO catalogue: Cabo Verde is not in 1:110m


def test_no_inverted_or_empty_names(rows):
    # ISO's "Corée, République de" style; only these two names have a comma in their own right.
    legitimate_commas = {"BES", "SHN"}
    for iso3, r in rows.items():
        for lang in ("fr", "nl", "en"):
            name = r[f"name_{lang}"]
            assert name.strip() == name and name, (iso3, lang)
            assert "," not in name or iso3 in legitimate_commas, (iso3, lang, name)


def test_continent_and_label_point_on_every_row(rows):
    assert {r["continent"] for r in rows.values()} == {"AF", "AS", "EU", "NA", "SA", "OC", "AN"}
    assert (rows["BEL"]["continent"], rows["COD"]["continent"], rows["USA"]["continent"]) == ("EU", "AF", "NA")
    assert rows["SGP"]["continent"] == "AS" and rows["MUS"]["continent"] == "AF"
    for iso3, r in rows.items():
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, iso3
        assert r["lat"] == str(round(lat, 3)) and r["lon"] == str(round(lon, 3)), iso3
    assert 49.5 < float(rows["BEL"]["lat"]) < 51.5 and 2.5 < float(rows["BEL"]["lon"]) < 6.4


def test_label_point_lies_in_its_shape(rows, features):
    for iso3, feature in features.items():
        point = shapely.Point(float(rows[iso3]["lon"]), float(rows[iso3]["lat"]))
        # 0.001° of slack: the point is rounded to 3 decimals, and the Vatican is 0.005° wide.
        assert shape(feature["geometry"]).distance(point) <= 0.001, iso3
    assert 42 < float(rows["FRA"]["lat"]) < 51  # metropolitan France, not French Guiana


def test_priority_countries_have_shapes(rows, features):
    for iso3 in MUST_HAVE_SHAPE:
        assert rows[iso3]["has_shape"] == "true", iso3
        assert iso3 in features, iso3


def test_has_shape_matches_the_geojson(rows, features):
    assert features.keys() <= rows.keys()
    assert {iso3 for iso3, r in rows.items() if r["has_shape"] == "true"} == features.keys()
    assert {r["has_shape"] for r in rows.values()} == {"true", "false"}
    assert len(features) >= 230


def test_france_and_norway_keep_their_iso_ids(features):
    # Natural Earth's ISO_A3 is -99 for both.
    assert "-99" not in features
    assert features["FRA"]["properties"] == {"iso3": "FRA"}
    assert shape(features["FRA"]["geometry"]).contains(shapely.Point(2.35, 48.86))  # Paris
    assert shape(features["NOR"]["geometry"]).contains(shapely.Point(10.75, 59.91))  # Oslo


def test_geometries_are_valid_small_and_separate(features):
    size = (GEO / "countries.geojson").stat().st_size
    assert size < 400_000
    text = (GEO / "countries.geojson").read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{4,}", text), "coordinates are rounded to 3 decimals"
    geometries = {iso3: shape(f["geometry"]) for iso3, f in features.items()}
    assert all(g.is_valid and not g.is_empty for g in geometries.values())
    assert all(f["properties"] == {"iso3": iso3} for iso3, f in features.items())
    assert geometries["SGP"].contains(shapely.Point(103.82, 1.35))
    # Small states from 1:50m are cut out of their 1:110m neighbours, so a click lands on one country;
    # snapping to the 0.001° grid leaves slivers of at most a few hundredths of the smaller one.
    ids = list(geometries)
    tree = shapely.STRtree([geometries[i] for i in ids])
    for a, b in zip(*tree.query([geometries[i] for i in ids], predicate="intersects")):
        one, other = geometries[ids[a]], geometries[ids[b]]
        if a < b:
            assert one.intersection(other).area < 0.005 * min(one.area, other.area), (ids[a], ids[b])
    assert geometries["ITA"].intersection(geometries["VAT"]).area < 0.005 * geometries["VAT"].area


def test_antimeridian_stays_split(features):
    # A single ring spanning more than 180° of longitude draws as a smear across the map.
    for iso3, f in features.items():
        for polygon in shape(f["geometry"]).geoms:
            minx, _, maxx, _ = polygon.bounds
            assert maxx - minx < 180 or iso3 == "ATA", iso3


def test_context_comes_from_natural_earth_110m_and_is_empty_for_small_states(rows):
    # Natural Earth 4.0.0 (1:110m) attributes, as scripts/build_country_reference.py copies them.
    assert [rows["COD"][c] for c in ("pop_est", "pop_year", "gdp_md_est", "gdp_year", "income_grp", "region_un")] == [
        "83301151", "2017", "66010", "2016", "5. Low income", "Africa"]
    assert rows["BEL"]["pop_est"] == "11491346" and rows["BEL"]["region_un"] == "Europe"
    assert all(rows[iso3]["pop_est"] == "" for iso3 in ("CPV", "STP", "SGP", "MUS"))  # shapes from 1:50m, no attributes
    assert sum(1 for r in rows.values() if r["pop_est"]) == 175
