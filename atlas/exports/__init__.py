"""Files that leave Atlas (no Streamlit).

    spreadsheets.py   every CSV (UTF-8 with BOM, « ; », decimal comma) and .xlsx, every text cell
                      neutralised so that no spreadsheet runs it as a formula: a page's downloads for a
                      reader (reader_csv, reader_excel) and the « Données » export (data_csv, data_excel)
    columns.py        what each column of a page's download is to its reader: header, kind of value
    sources.py        the sources behind a file, grouped by dataset and kind, said for a committee
"""
