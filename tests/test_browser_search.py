"""The country search box in Chromium: what is typed lists the suggestions of
atlas.geography.search in the reader's language, and Enter opens the first one shown
(« RDC » opened La Réunion, « Viet » listed Saint-Vincent; tests/test_search.py has the ranking)."""

from __future__ import annotations

import pytest

from browser import errors_on, open_page, screenshot, wait_idle

BOX = "[data-testid='stMain'] .acs input"  # atlas.web.country_box, inside its shadow root


def suggestions(page, typed: str) -> list[str]:
    """Type `typed` into the box and wait for its suggestions (or its « no country » line)."""
    box = page.locator(BOX).first
    box.click()
    box.fill("")
    box.press_sequentially(typed, delay=40)
    page.wait_for_function(
        """typed => {
            for (const host of document.querySelectorAll("[data-testid='stMain'] *")) {
                const input = host.shadowRoot && host.shadowRoot.querySelector(".acs input");
                if (!input) continue;
                const root = input.getRootNode();
                const list = root.querySelector("[role=listbox]"), empty = root.querySelector(".acs-empty");
                return input.value === typed && (!list.hidden || !empty.hidden);
            }
            return false;
        }""",
        arg=typed, timeout=30_000,
    )
    return [o.inner_text() for o in page.get_by_role("option").all()]


def opened(page, fragment: str, title: str) -> bool:
    """The page reached the link `fragment` and shows `title` (the country's name) as its heading."""
    page.wait_for_function(f"location.search.includes('{fragment}')", timeout=30_000)
    page.wait_for_function("t => document.querySelector('h1')?.innerText === t", arg=title, timeout=30_000)
    wait_idle(page)
    return True


@pytest.mark.parametrize("lang, typed, listed, title", [
    ("fr", "RDC", ["République démocratique du Congo (COD)"], "République démocratique du Congo"),
    ("en", "Viet", ["Vietnam (VNM)"], "Vietnam"),
    ("nl", "Kongo", ["Democratische Republiek Congo (COD)", "Republiek Congo (COG)"], "Democratische Republiek Congo"),
    ("en", "Ivory Coast", ["Côte d'Ivoire (CIV)"], "Côte d'Ivoire"),
])
def test_enter_opens_the_first_suggestion_shown(server, browser, lang, typed, listed, title):
    page, outside = open_page(browser, f"{server}/fiche-pays?lang={lang}", width=1280, height=800)
    assert suggestions(page, typed) == listed
    screenshot(page, f"search-{lang}-{typed.replace(' ', '-')}")
    page.locator(BOX).first.press("Enter")
    assert opened(page, "pays=", title)
    body = page.locator("body").inner_text()
    assert "Add:" not in body and "No results" not in body
    assert errors_on(page) == [] and outside == []
    page.context.close()


def test_arrows_and_clicks_choose_another_suggestion_and_nothing_found_is_said(server, browser):
    page, outside = open_page(browser, f"{server}/fiche-pays", width=1280, height=800)
    assert suggestions(page, "congo")[:2] == ["République démocratique du Congo (COD)", "République du Congo (COG)"]
    box = page.locator(BOX).first
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "acs-option-1"
    box.press("Enter")
    assert opened(page, "pays=COG", "République du Congo")
    assert suggestions(page, "Sénég") == ["Sénégal (SEN)"]
    page.get_by_role("option", name="Sénégal (SEN)").click()
    assert opened(page, "pays=SEN", "Sénégal")
    assert suggestions(page, "xyzzy") == []
    empty = page.locator(".acs-empty").first
    assert empty.inner_text().replace("\u00a0", " ") == "Aucun pays ne correspond à « xyzzy »."
    box.press("Enter")  # nothing to open: the page stays on Senegal
    page.wait_for_timeout(800)
    assert "pays=SEN" in page.url and page.locator("h1").first.inner_text() == "Sénégal"
    assert errors_on(page) == [] and outside == []
    page.context.close()
