-- Grain: one row. Whether the database has the table of saved decks (one made before decks
-- existed does not, and a reader may not create it). Columns: present.
SELECT count(*) > 0 AS present FROM duckdb_tables() WHERE table_name = '_decks' AND database_name = current_database()
