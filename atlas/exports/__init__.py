"""Files that leave Atlas: tables as CSV and Excel through one neutralising writer (no Streamlit).

    spreadsheets.py   CSV (UTF-8 with BOM, « ; », decimal comma) and .xlsx, every text cell
                      neutralised so that no spreadsheet runs it as a formula
"""
