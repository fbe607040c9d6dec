"""Getting documents in: reading, normalizing, extracting, storing and indexing migration news releases."""
