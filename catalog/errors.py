"""The one error type importers raise, so every caller can show a one-line message instead of a traceback."""


class CatalogError(Exception):
    """A schedule could not be read; the message names the source and says what to do."""


class WholeFileError(CatalogError):
    """A problem no single session causes (times without a zone, say): skipping sessions would not help."""
