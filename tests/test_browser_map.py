"""End to end in headless Chromium: « Carte » and « Fiche pays » on the shipped sample.

A click on a country opens its profile, a copied link reopens the same view in a fresh browser,
the priority-countries layer is drawn, and no request leaves localhost. Screenshots go to
tests/artifacts/ (map, map-nl, country, country-nl) to be looked at.
"""

from __future__ import annotations

import time

from browser import app_server, errors_on, map_shapes, open_page, screenshot, wait_idle

PRIORITY_STROKE = "rgb(217, 95, 2)"  # charts.PRIORITY


def opened(browser, url: str):
    """open_page, with no dialog over the page: Streamlit's « Page not found » never shows, even to
    the first session after the server starts (atlas.web.ui.lang)."""
    page, outside = open_page(browser, url)
    assert page.locator("[data-testid='stDialog']").count() == 0
    return page, outside


def outlined_countries(page) -> int:
    return page.evaluate(
        f"""[...document.querySelectorAll('.js-plotly-plot .choroplethlayer path')]
              .filter(p => p.style.stroke === '{PRIORITY_STROKE}').length"""
    )


def point_inside(page, iso3: str) -> tuple[float, float]:
    """A spot of the country's shape where no marker sits (a click there selects the country)."""
    return tuple(page.evaluate(
        """iso3 => {
            const paths = [...document.querySelectorAll('.js-plotly-plot .choroplethlayer path')]
                .filter(p => p.__data__ && p.__data__.loc === iso3);
            const shape = paths[0], box = shape.getBoundingClientRect();
            for (let fy = 0.3; fy <= 0.7; fy += 0.05) {
                for (let fx = 0.3; fx <= 0.7; fx += 0.05) {
                    const x = box.x + box.width * fx, y = box.y + box.height * fy;
                    const hit = document.elementFromPoint(x, y);
                    if (hit && paths.includes(hit)) return [x, y];
                }
            }
            return [box.x + box.width / 2, box.y + box.height / 2];
        }""",
        iso3,
    ))


def wait_for_path(page, fragment: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while fragment not in page.url and time.monotonic() < deadline:
        time.sleep(0.25)
    if fragment not in page.url:
        screenshot(page, "map-failure")
    assert fragment in page.url, page.url
    wait_idle(page)


def test_map_draws_offline_with_priority_outlines(server, browser):
    page, outside = opened(browser, f"{server}/carte")
    assert page.locator("h1").first.inner_text() == "Carte du monde de l'action internationale"
    assert map_shapes(page) > 150
    assert outlined_countries(page) >= 10  # the sample's priority countries, outlined in orange
    assert page.locator(".js-plotly-plot .scattergeo path.point").count() >= 15  # agreement partners
    assert "n'impliquent aucune prise de position officielle" in page.locator("body").inner_text()
    screenshot(page, "map")
    assert errors_on(page) == []
    assert outside == []
    page.context.close()


def test_click_on_a_country_opens_its_profile(server, browser):
    page, outside = opened(browser, f"{server}/carte")
    map_shapes(page)
    page.mouse.click(*point_inside(page, "COD"))
    page.wait_for_function("document.querySelector('h1')?.innerText === 'République démocratique du Congo'")
    wait_for_path(page, "pays=COD")  # Streamlit 1.67 leaves the path on /carte: the map forwards it
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    wait_idle(page)
    screenshot(page, "country")
    # The link to share names this page and this country, not the map the reader came from.
    page.get_by_role("button", name="Copier le lien").click()
    code = page.locator("[data-testid='stCode']").first
    code.wait_for(timeout=10_000)
    assert code.inner_text().strip().endswith("/fiche-pays?pays=COD")
    assert errors_on(page) == []
    address_bar = page.url
    page.context.close()
    for link in (address_bar, f"{server}/fiche-pays?pays=COD"):  # both reopen the profile
        again, outside_again = opened(browser, link)
        again.wait_for_function("document.querySelector('h1')?.innerText === 'République démocratique du Congo'")
        assert outside_again == []
        again.context.close()
    assert outside == []


def view_of(page) -> dict:
    """What a reader sees of the map page, once Streamlit has stopped redrawing it."""
    previous, deadline = None, time.monotonic() + 60
    while time.monotonic() < deadline:
        wait_idle(page)
        current = _view(page) if page.locator(".js-plotly-plot").count() == 1 else None
        if current is not None and current == previous:
            return current
        previous = current
        time.sleep(1.5)
    raise AssertionError(f"the map page did not settle: {previous}")


def _view(page) -> dict:
    return {
        "heading": page.locator("[data-testid='stHeading'] h3").first.inner_text(),
        "metric": page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first.inner_text(),
        "shapes": map_shapes(page),
        "points": page.locator(".js-plotly-plot .scattergeo path.point").count(),
        "outlined": outlined_countries(page),
    }


def test_a_shared_link_reopens_the_same_view_in_a_fresh_browser(server, browser):
    page, outside = opened(browser, f"{server}/carte")
    map_shapes(page)
    page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Missions économiques (nombre)").click()
    wait_idle(page)
    before = page.locator(".js-plotly-plot .scattergeo path.point").count()
    page.get_by_role("button", name="Bureaux").click()  # switch the offices layer on
    page.wait_for_function("location.search.includes('couches=')")
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .scattergeo path.point').length > {before}", timeout=30_000
    )
    wait_idle(page)
    seen = view_of(page)
    assert seen["heading"].startswith("Missions économiques (nombre)")
    link = page.url
    assert "indicateur=missions" in link
    page.get_by_role("button", name="Copier le lien").click()
    code = page.locator("[data-testid='stCode']").first
    code.wait_for(timeout=10_000)
    assert code.inner_text().strip() == link
    page.context.close()

    fresh, outside_fresh = opened(browser, link)
    assert view_of(fresh) == seen
    assert errors_on(fresh) == []
    assert outside == [] and outside_fresh == []
    fresh.context.close()


def test_both_pages_in_dutch_and_a_search_by_french_name(server, browser):
    page, outside = opened(browser, f"{server}/carte?lang=nl")
    assert page.locator("h1").first.inner_text() == "Wereldkaart van het internationale optreden"
    map_shapes(page)
    screenshot(page, "map-nl")
    assert errors_on(page) == [] and outside == []
    page.context.close()
    page, outside = opened(browser, f"{server}/fiche-pays?lang=nl")
    assert page.locator("h1").first.inner_text() == "Landenfiche"
    search = page.locator("[data-testid='stMain'] .acs input").first  # atlas.web.country_box
    search.click()
    search.press_sequentially("Maroc", delay=30)  # the French name, typed in the Dutch view
    page.get_by_role("option", name="Marokko (MAR)").wait_for(timeout=30_000)  # listed in Dutch
    search.press("Enter")
    wait_for_path(page, "pays=MAR")
    page.wait_for_function("document.querySelector('h1')?.innerText === 'Marokko'")
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    screenshot(page, "country-nl")
    assert errors_on(page) == []
    assert outside == []
    page.context.close()


def test_a_link_opened_first_after_the_server_starts_shows_its_page_whole(sample_db, browser):
    # Streamlit serves the first run after a start in its legacy multipage mode; Atlas routes it
    # through app.py (atlas.web.ui.lang). Before, this visit showed Streamlit's English « Page not found ».
    with app_server(sample_db) as url:
        page, outside = open_page(browser, f"{url}/fiche-pays?pays=COD", width=1440, height=900)
        assert page.locator("h1").first.inner_text() == "République démocratique du Congo"
        body = page.locator("body").inner_text()
        assert "Page not found" not in body and "not found" not in body.lower()
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Fiche pays" in nav and "Aide au développement" in nav and "country" not in nav
        page.locator("[data-testid='stSidebar']").get_by_text("Langue").wait_for(timeout=30_000)  # app.py's switch
        screenshot(page, "first-link-after-start")
        assert errors_on(page) == []
        assert outside == []
        page.context.close()
