"""End to end in headless Chromium: the home page on the shipped sample, as a person sees it.

Screenshots go to tests/artifacts/ (ignored by git) to be looked at.
"""

from __future__ import annotations

from browser import errors_on, map_shapes, open_page, screenshot


def test_home_opens_in_french_and_draws_the_map_offline(server, browser):
    page, outside = open_page(browser, server)
    assert page.locator("h1").first.inner_text() == "Vue d'ensemble de l'action internationale"
    assert map_shapes(page) > 150
    assert page.locator(".js-plotly-plot .scattergeo path.point").count() >= 20  # agreement partners
    screenshot(page, "home")
    assert errors_on(page) == []
    assert "Données d'exemple" in page.locator("[data-testid='stAlert']").first.inner_text()
    assert outside == []
    page.context.close()


def test_home_in_dutch_at_projector_size(server, browser):
    page, outside = open_page(browser, f"{server}/?lang=nl", width=1280, height=720)
    assert page.locator("h1").first.inner_text() == "Overzicht van het internationale optreden"
    map_shapes(page)
    screenshot(page, "home-nl-1280")
    assert errors_on(page) == []
    assert outside == []
    page.context.close()
