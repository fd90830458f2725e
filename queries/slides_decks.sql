-- Grain: one row per saved deck. Columns: name, slides (JSON list of slide ids), filters (JSON
-- object), created_at, user_name. Newest first.
SELECT name, slides, filters, created_at, user_name FROM _decks ORDER BY created_at DESC, name
