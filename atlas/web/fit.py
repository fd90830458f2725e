"""Column widths that fit a table's words: st.dataframe draws on a canvas (glide-data-grid), which
cuts a header longer than its column (« Frais perçu ») and breaks a word longer than its column in
the middle (« Wallonie-Bruxel les »), wrapping only at spaces.

The widths are computed from the text itself, as the canvas will draw it: Streamlit's « Source
Sans » at 14 px (GLYPHS, measured in chromium), 8 px of padding on each side. Every shown column
gets at least its header and its longest word (or its whole value, for numbers and dates, which do
not wrap); what is left of the room goes to the columns that want more (their width asked by the
page, else room for their texts in two lines). When even that is too wide, long compound names
(« Rhénanie-du-Nord-Westphalie », « data/sample/oda.csv ») may wrap after a hyphen or a slash, as
a typographer would break them, and rows grow to show every text whole (up to MOST_LINES lines).
Streamlit takes the widths as minimums: a table wider than its columns (a wider screen) shares the
rest evenly among the columns that are not pinned. No Streamlit here: ui.table (ui.fitted) hands
its data and column configuration over; tests/test_browser_fit.py measures the result in chromium.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import pandas as pd

# Advance widths in px of Streamlit 1.67's « Source Sans » at 14 px (the grid's header and cells),
# measured with canvas measureText in chromium; a letter with an accent is as wide as the letter.
GLYPHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "€★⚠–—«»’…·\u202f\u00a0°",
    (2.8, 4.05, 5.96, 6.96, 6.96, 11.54, 8.53, 3.49, 4.24, 4.24, 5.85, 6.96, 3.49, 4.35, 3.49, 4.9,
     *(6.96,) * 10, 3.49, 3.49, 6.96, 6.96, 6.96, 5.95, 11.86,
     7.6, 8.23, 7.99, 8.61, 7.38, 6.92, 8.64, 9.13, 3.68, 6.71, 8.11, 6.8, 10.18, 9.06, 9.3, 7.92, 9.3, 7.97,
     7.48, 7.5, 9.03, 7.21, 11.0, 7.18, 6.66, 7.55, 4.24, 4.9, 4.24, 6.96, 7.0, 7.59,
     7.06, 7.74, 6.38, 7.77, 6.94, 4.09, 7.06, 7.62, 3.44, 3.46, 6.93, 3.57, 11.61, 7.66, 7.59, 7.77, 7.77, 4.86,
     5.87, 4.73, 7.62, 6.54, 10.07, 6.24, 6.54, 5.95, 4.24, 3.37, 4.24, 6.96,
     6.96, 12.55, 12.55, 6.72, 11.2, 6.01, 6.01, 3.49, 13.27, 3.49, 1.68, 2.8, 4.63),
))
UNKNOWN = 12.6  # px: a character measured nowhere above (a symbol, a CJK letter) counts as wide
PADDING = 8  # px on each side of a cell's text (--gdg-cell-horizontal-padding)
SLACK = 2  # px: the estimate may be a pixel short of the canvas's own measure
WRAP_SLACK = 1  # px, for a wrapped word: GLYPHS measure it some 0.4 px wider than the canvas does
CHECKBOX = 20  # px of a checkbox cell's box
ROW_MARKERS = 33  # px of the checkbox column of a table whose rows can be selected
SMALLEST = 36  # px: a column never narrower
WRAP_LINES = 2  # a long text's wish: this many lines (rows of ui.WRAPPED_ROWS px hold three)
WIDEST_WISH = 320  # px: no column asks for more of its own accord
MEASURED = 2000  # texts of a column measured at most (its longest)
LINE = 19.6  # px of a wrapped line: 14-px type, the grid's line height 1.4
ROW_PADDING = 8  # px above and below a cell's lines, and a margin
MOST_LINES = 5  # a row grows to show this many lines of a long text, no more


def text_px(text: str) -> float:
    """The width of `text` in px as the grid draws it (estimated from GLYPHS)."""
    total = 0.0
    for char in text:
        width = GLYPHS.get(char)
        if width is None:
            base = unicodedata.normalize("NFD", char)[:1]
            width = GLYPHS.get(base, UNKNOWN)
        total += width
    return total


def words(text: str) -> list[str]:
    """The words the grid keeps whole: it wraps at plain spaces only (it shows a line break as a
    space; a non-breaking space, as in « 1 500 000 € », holds its neighbours together)."""
    return [w for w in text.replace("\n", " ").split(" ") if w]


BREAKS = "-/_"  # a long word may wrap after one of these


def hyphen_parts(word: str) -> list[str]:
    """« Rhénanie-du-Nord-Westphalie » → « Rhénanie- », « du- », « Nord- », « Westphalie »; the same
    after a slash or an underscore (« data/ », « sample/ », « oda.csv »)."""
    parts, part = [], ""
    for char in word:
        part += char
        if char in BREAKS:
            parts.append(part)
            part = ""
    return [*parts, part] if part else parts


def cell_px(text_width: float, slack: float = SLACK) -> int:
    return math.ceil(text_width + 2 * PADDING + slack)


@dataclass
class Column:
    """One shown column: its header, its texts as shown, whether they wrap, and the width its page
    asks for (None: as wide as its texts want)."""

    header: str
    texts: list[str]
    wraps: bool
    asked: int | None = None
    checkbox: bool = False
    hyphens: bool = False  # long words may wrap after their hyphens (or slashes)

    def longest_word(self) -> float:
        if self.checkbox:
            return CHECKBOX
        if not self.wraps:  # a long text that does not wrap ends in « … » past WIDEST_WISH: its header stays whole
            return min(WIDEST_WISH, max((text_px(t) for t in self.texts), default=0.0))
        pieces = (p for t in self.texts for w in words(t) for p in (hyphen_parts(w) if self.hyphens else [w]))
        # The grid starts the line after a wrap with the space it wrapped at, and counts it: a word
        # there needs a space more (« agreements.csv » broke in a column 2 px wider than itself).
        return max((text_px(p) for p in pieces), default=0.0) + GLYPHS[" "]

    def least(self) -> int:
        """The px the column needs: its header and its longest word whole."""
        return max(SMALLEST, cell_px(text_px(self.header)), cell_px(self.longest_word(), WRAP_SLACK if self.wraps else SLACK))

    def wish(self) -> int:
        if self.asked is not None:
            return max(self.asked, self.least())
        if not self.wraps:
            return self.least()
        longest = max((text_px(t) for t in self.texts), default=0.0)
        return max(self.least(), min(WIDEST_WISH, cell_px(longest / WRAP_LINES)))

    def saved_by_hyphens(self) -> int:
        """The px this column would give back if its long words could break after a hyphen."""
        if not self.wraps or self.hyphens or self.checkbox:
            return 0
        whole = self.least()
        self.hyphens = True
        split = self.least()
        self.hyphens = False
        return whole - split


def widths(columns: list[Column], room: int) -> list[int]:
    """Pixel widths adding up to at most `room`: each column at least its header and its longest
    word; what is left shared in proportion to what each still wants, then to the text columns.
    Too many columns for the room: long compound words first may break after a hyphen (their
    column's `hyphens` is set); then each keeps its least and the grid scrolls sideways, with every
    header and word whole."""
    while sum(c.least() for c in columns) > room:
        candidates = [c for c in columns if c.saved_by_hyphens() > 0]
        if not candidates:
            return [c.least() for c in columns]
        max(candidates, key=Column.saved_by_hyphens).hyphens = True
    least = [c.least() for c in columns]
    wish = [c.wish() for c in columns]
    spare = room - sum(least)
    wanting = sum(w - m for w, m in zip(wish, least))
    if wanting >= spare:
        shares = [(w - m) * spare / wanting if wanting else 0 for w, m in zip(wish, least)]
        return _whole(least, shares, room)
    # Every wish granted: the rest of the room to the columns whose texts wrap (else to all).
    spare -= wanting
    growing = [w if c.wraps and not c.checkbox else 0 for c, w in zip(columns, wish)]
    if not any(growing):
        growing = wish
    total = sum(growing)
    return _whole(wish, [g * spare / total for g in growing], room)


def _whole(base: list[int], shares: list[float], room: int) -> list[int]:
    """base + shares in whole pixels, never more than `room` in all."""
    out = [b + math.floor(s) for b, s in zip(base, shares)]
    left = room - sum(out)
    order = sorted(range(len(out)), key=lambda i: math.floor(shares[i]) - shares[i])
    for i in order[:max(0, left)]:
        if shares[i] > 0:
            out[i] += 1
    return out


def break_after_hyphens(text: str, room: float) -> str:
    """`text` with a space after a hyphen (or slash) where one of its words, too wide for `room` px of
    text, must wrap: the grid wraps at spaces only, and would otherwise cut the word anywhere. Only
    where needed, each line of the word filled as far as it goes. (A screen much wider than 1280 px
    may show « Nord- Westphalie » on one line: the grid shows a line break as a space too.)"""
    out = []
    for word in text.split(" "):
        if not any(b in word for b in BREAKS) or text_px(word) <= room:
            out.append(word)
            continue
        pieces, piece = [], ""
        for part in hyphen_parts(word):
            if piece and text_px(piece + part) + GLYPHS[" "] > room:
                pieces.append(piece)
                piece = part
            else:
                piece += part
        out.append(" ".join([*pieces, piece]))
    return " ".join(out)


def lines(text: str, room: float) -> int:
    """Lines the grid wraps `text` into, in `room` px: words packed greedily, broken at spaces, each
    line after a wrap starting with its space (see Column.longest_word)."""
    count, line = 1, 0.0
    for word in words(text):
        width = text_px(word)
        if line and line + GLYPHS[" "] + width > room:
            count, line = count + 1, GLYPHS[" "] + width
        else:
            line += (GLYPHS[" "] if line else 0) + width
    return count


def row_height(texts: list[tuple[list[str], int]], least: int) -> int:
    """The px of a row that shows every text whole, each in its column's px (up to MOST_LINES
    lines): a title of five lines in a narrow column was cut after its third."""
    most = max((lines(t, width - 2 * PADDING) for column, width in texts for t in column), default=1)
    return max(least, math.ceil(min(most, MOST_LINES) * LINE + 2 * ROW_PADDING))


# --- From a table's data and column configuration ----------------------------------------------


def number_text(value) -> str:
    """A number as the grid shows it, at its widest (thousands separated, two decimals at most)."""
    if isinstance(value, bool):
        return str(value)
    number = float(value)
    if number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def shown_texts(series: pd.Series, kind: str | None, format_: str | None) -> list[str]:
    """The column's values as the grid draws them, near enough to measure."""
    values = series.dropna()
    if values.empty:
        return ["–"]
    if kind in ("date", "datetime", "time") and format_:
        return ["".join("0" if c.isalpha() else c for c in format_)]  # digits are the widest signs of a date
    if kind in ("date", "datetime", "time") or pd.api.types.is_datetime64_any_dtype(values):
        return [str(values.iloc[0])]
    if kind == "number" or (kind is None and pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
        if format_ and "%d" in format_:
            return sorted({str(int(v)) for v in values}, key=len)[-1:]
        return sorted({number_text(v) for v in values}, key=len)[-3:]
    texts = [str(v) for v in values.unique()]
    return sorted(texts, key=len)[-MEASURED:] if len(texts) > MEASURED else texts
