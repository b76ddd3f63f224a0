"""Article text to briefing draft: ``import`` and ``new`` (wired in by ``cli.add_parsers``)."""

from dossier.importer.extract import Extraction, extract
from dossier.importer.reading import Article, ArticleError, read_article

__all__ = ["Article", "ArticleError", "Extraction", "extract", "read_article"]
