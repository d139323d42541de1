"""One reader per published schedule format; each turns bytes into a `Catalog` or raises `CatalogError`."""
