"""The store: SQLite, the source of truth, with the raw input of every document and near-duplicate groups."""
