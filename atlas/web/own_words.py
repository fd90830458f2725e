"""Streamlit's own English, in the reader's words, on every page.

Streamlit 1.67 writes some words of its own inside widgets that no argument of theirs sets:
« Press Enter to apply » and « Press Enter to submit form » under a text input, « No results »
in a selectbox or multiselect whose filter matches nothing, « Skip to main content » (the link a
keyboard's first Tab shows). A stylesheet, written by app.py on every run, sets them in a size of
0 and writes Atlas's words after them (`::after`), in the reader's language. The file uploader's
words are atlas.web.uploads'; placeholders (« Choose an option ») are set where a widget is made,
with its `placeholder=` argument.

The test ids and attributes are those of Streamlit 1.67's frontend (streamlit/static/static/js:
InputInstructions.*.js, Selectbox.*.js, Multiselect.*.js, index.*.js); tests/test_browser_words.py
fails if an upgrade moves them.
"""

from __future__ import annotations

import re

import streamlit as st

from atlas.words.i18n import t

# Streamlit's sizes for these texts (theme font sizes, in rem of the 16-px root), measured in chromium.
SMALL, TWO_SMALL, BASE = "0.875rem", "0.75rem", "1rem"
_SAFE = re.compile(r"[\w .,:;·'()-]")


def css_string(text: str) -> str:
    """`text` as a CSS string that nothing can break out of: every character but letters, digits
    and plain punctuation is written as a CSS escape (a file's name cannot close the stylesheet)."""
    return '"' + "".join(c if _SAFE.fullmatch(c) else f"\\{ord(c):x} " for c in text) + '"'


def hide(selector: str, boxed: bool = False) -> str:
    """CSS that takes Streamlit's text in `selector` out of sight and out of screen readers (they
    skip hidden text), leaving the element its colour and weight for Atlas's words. `boxed`: an
    element that draws its own background or must stay focusable (a tooltip, a link) stays
    visible, its text only set in a size of 0."""
    return f"{selector} {{ font-size: 0 !important;{'' if boxed else ' visibility: hidden;'} }}\n"


def replace(selector: str, text: str, size: str, boxed: bool = False, inside: str = "") -> str:
    """CSS that shows `text` (in `size`) in place of Streamlit's own text in `selector`; with
    `inside`, the text is the hidden child `inside` of `selector`, and ours is drawn after it by
    `selector` itself (a button is named by what its visible elements say, not by a hidden one's)."""
    return (hide(f"{selector} {inside}".strip(), boxed)
            + f"{selector}::after {{ content: {css_string(text)}; font-size: {size}; visibility: visible; }}\n")


INSTRUCTION = '[data-testid="stTextInput"] [data-testid="InputInstructions"] > span:first-child'
NO_RESULTS = tuple(
    f'[data-testid="{dropdown}"] [role="listbox"][data-empty="true"] > [role="option"] > span'
    for dropdown in ("stSelectboxVirtualDropdown", "stMultiSelectDropdown")
)


def stylesheet(lang: str) -> str:
    """The CSS that writes Atlas's words in place of Streamlit's own, in `lang`."""
    return (
        # The first instruction under a text input is « Press Enter to … » (then « 3/40 » when it
        # has max_chars); in a form, Enter submits it.
        replace(INSTRUCTION, t("widgets.enter_apply", lang), TWO_SMALL)
        + replace(f'[data-testid="stForm"] {INSTRUCTION}', t("widgets.enter_submit", lang), TWO_SMALL)
        + "".join(replace(selector, t("widgets.no_results", lang), SMALL) for selector in NO_RESULTS)
        + replace('[data-testid="stSkipToContent"]', t("widgets.skip", lang), BASE, boxed=True)
    )


def write(lang: str) -> None:
    """Write the stylesheet on the page (a style-only st.html takes no room)."""
    st.html(f"<style>\n{stylesheet(lang)}</style>")
