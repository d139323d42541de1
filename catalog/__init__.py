"""Conference schedules: the data model, importers for published formats, and change detection.

Knows nothing of chat; bot/ builds on it, never the other way round.
"""

from catalog.errors import CatalogError
from catalog.model import Catalog, Conference, Session, Speaker

__all__ = ["Catalog", "CatalogError", "Conference", "Session", "Speaker"]
