"""The file uploader in the reader's language, stating the limit Atlas enforces.

Streamlit 1.67 writes its own English inside st.file_uploader (« Upload », « 210MB per file »,
« Drag and drop a file here », the chosen file's « 11.5KB », « Error: File must be 210MB or
smaller. ») and has no setting for any of it (Streamlit issue #13500). Those words are drawn by
its frontend, so a stylesheet scoped to one uploader (the `st-key-…` class of its key) sets them
in a font size of 0 and writes Atlas's words in their place (`::after`), in the reader's language
and in their formats. The limit said is the one Atlas enforces, ATLAS_MAX_UPLOAD_MB
(atlas.imports.ingest.MAX_BYTES); Streamlit's own ceiling (server.maxUploadSize) stays 10 MB
above it so that a file just over the limit reaches Atlas and is refused in French.

The test ids are those of Streamlit 1.67's frontend (streamlit/static/static/js, FileUploader.*.js
and the file chips in utils.*.js); tests/test_browser_words.py fails if an upgrade moves them.
"""

from __future__ import annotations

import re

import streamlit as st

from atlas.imports import ingest
from atlas.web.own_words import SMALL, TWO_SMALL, hide, replace
from atlas.words import fmt
from atlas.words.i18n import t

DROPZONE = '[data-testid="stFileUploaderDropzone"]'
# The size of a chosen file: the unnamed element right after its name.
CHOSEN_SIZE = '[data-testid="stFileChipName"] + div'
INVALID_CHIP = '[data-testid="stFileChip"][aria-invalid="true"]'
# The text over the drop zone while a file is dragged over it: the only element that follows the
# hidden input directly and holds a text span (the button sits in a span, the chosen files in divs).
DRAG_TEXT = f"{DROPZONE} > input + div > span"
# Streamlit's sizes for these texts (its theme's, measured in chromium).
BUTTON, CHIP = SMALL, TWO_SMALL


def limit() -> int:
    """The largest file Atlas accepts, in bytes (ATLAS_MAX_UPLOAD_MB)."""
    return ingest.MAX_BYTES


def stylesheet(key: str, lang: str, kinds: str, chosen: int | None = None) -> str:
    """The CSS that puts Atlas's words in the uploader whose key is `key`: the button, the limit
    and the formats, the text shown while a file is dragged over, a refusal, and the size of the
    chosen file (`chosen`, in bytes) once Atlas has it (until then, no size rather than English)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ValueError(f"an uploader's key is a CSS class name here: {key!r}")
    root = f".st-key-{key}"
    most = fmt.file_size(limit(), lang)
    refused = t("upload.refused", lang, size=most)
    return (
        replace(f'{root} {DROPZONE} button [data-testid="stMarkdownContainer"]', t("upload.button", lang), BUTTON, inside="p")
        + replace(f'{root} [data-testid="stFileUploaderDropzoneInstructions"] span',
                   t("upload.limit", lang, size=most, kinds=kinds), SMALL)
        + replace(f"{root} {DRAG_TEXT}", t("upload.drop", lang), SMALL)
        # The chosen file's size once Atlas has it; until then none rather than Streamlit's.
        + (replace(f"{root} {CHOSEN_SIZE}", fmt.file_size(chosen, lang), CHIP) if chosen is not None
           else hide(f"{root} {CHOSEN_SIZE}"))
        # A file Streamlit refused in the browser (over server.maxUploadSize), or lost on its way:
        # the chip's line, what it says to screen readers, and the tooltip over it (drawn outside the
        # uploader, it is found by its test id: on a page with an uploader, only a chip has one).
        + replace(f"{root} {INVALID_CHIP} {CHOSEN_SIZE}", t("upload.refused_short", lang, size=most), CHIP)
        + replace(f'{root} {INVALID_CHIP} [role="alert"]', refused, CHIP)
        + replace('[data-testid="stTooltipErrorContent"]', refused, SMALL, boxed=True)
    )


def file_uploader(label: str, lang: str, key: str, kinds: str | None = None, help: str | None = None, **options):
    """st.file_uploader (one file; `options` are its own) in the reader's words, stating
    ATLAS_MAX_UPLOAD_MB and the formats `kinds` (« CSV, XLSX » by default). Every page that takes
    a file uses this, never st.file_uploader itself."""
    uploaded = st.file_uploader(label, key=key, help=help, **options)
    chosen = uploaded.size if uploaded is not None and not isinstance(uploaded, list) else None
    st.html(f"<style>\n{stylesheet(key, lang, kinds or t('upload.kinds', lang), chosen)}</style>")
    return uploaded
