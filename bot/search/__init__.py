"""Finding talks: a field-aware, typo-tolerant index kept in memory and built from the store."""
