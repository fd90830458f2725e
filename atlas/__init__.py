"""Atlas des relations internationales: the core behind the Streamlit pages and the command line."""
