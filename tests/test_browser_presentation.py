"""End to end in headless Chromium: the presentation projected without Streamlit's chrome, walked
with the keyboard at 1920×1080 and 1280×720; a chart downloaded as PNG. Screenshots go to
tests/artifacts/ to be looked at from the back of the room."""

from __future__ import annotations

import io

from browser import errors_on, open_page, screenshot, wait_idle

SLIDES = "titre~chiffres-cles~carte~apd~accords~depuis-derniere-reunion"


def title(page) -> str:
    return page.locator("h1").first.inner_text().replace("\xa0", " ")


def press(page, key: str, then: str) -> None:
    """Press `key` and wait for the slide whose title starts with `then`."""
    page.mouse.click(5, 5)  # focus the page, not a widget
    page.keyboard.press(key)
    page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText"
                           ".replace(/\\u00a0/g, ' ').startsWith(t)", arg=then, timeout=30_000)
    wait_idle(page)


def test_presentation_walks_with_the_arrows_at_1920(server, browser):
    page, outside = open_page(browser, f"{server}/presentation?projeter=1&diapos={SLIDES}", 1920, 1080)
    assert page.locator("[role=dialog]").count() == 0  # no « Page not found », even on a first visit
    assert page.locator("[data-testid='stSidebar']").is_hidden()
    assert page.locator("[data-testid='stHeader']").is_hidden()
    assert title(page).startswith("L'action internationale de la Wallonie")
    screenshot(page, "presentation-1-title-1920")
    press(page, "ArrowRight", "Chiffres clés")
    assert title(page).startswith("Chiffres clés")
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stMetric\"]').length === 5", timeout=30_000)
    screenshot(page, "presentation-2-figures-1920")
    press(page, "ArrowRight", "L'APD a atteint")
    assert title(page).startswith("L'APD a atteint")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .choroplethlayer path').length > 150", timeout=60_000)
    screenshot(page, "presentation-3-map-1920")
    press(page, "ArrowLeft", "Chiffres clés")
    assert title(page).startswith("Chiffres clés")
    assert "diapo=2" in page.url
    press(page, "Escape", "Présentation en comité")
    assert title(page) == "Présentation en comité"
    assert errors_on(page) == [] and outside == []
    page.context.close()


def test_presentation_fits_a_1280_projector(server, browser):
    page, outside = open_page(browser, f"{server}/presentation?projeter=1&diapo=4&diapos={SLIDES}", 1280, 720)
    assert title(page).startswith("L'APD de la Belgique atteint")
    page.wait_for_selector(".js-plotly-plot")
    nav = page.locator(".st-key-slide_nav").bounding_box()
    assert nav["y"] + nav["height"] <= 720 + 40, nav  # the buttons stay on the screen (or almost)
    screenshot(page, "presentation-4-oda-1280")
    press(page, "ArrowRight", "24 accords en vigueur")
    screenshot(page, "presentation-5-agreements-1280")
    press(page, "ArrowRight", "Depuis la version")
    assert title(page).startswith("Depuis la version")
    screenshot(page, "presentation-6-changes-1280")
    assert errors_on(page) == [] and outside == []
    page.context.close()


def test_a_chart_downloads_as_png_at_presentation_resolution(server, browser):
    from PIL import Image

    page, outside = open_page(browser, f"{server}/aide-au-developpement", 1600, 1000)
    assert page.locator("[role=dialog]").count() == 0  # no « Page not found », even on a first visit
    button = page.locator(".st-key-oda_gni-png button").first
    button.scroll_into_view_if_needed()
    button.click()
    ready = page.locator(".st-key-oda_gni-png-dl button").first
    ready.wait_for(timeout=90_000)
    with page.expect_download() as info:
        ready.click()
    with open(info.value.path(), "rb") as f:
        image = Image.open(io.BytesIO(f.read()))
    assert image.size == (1920, 1080) and info.value.suggested_filename == "apd-rnb-objectif-0-7.png"
    assert errors_on(page) == [] and outside == []
    page.context.close()
