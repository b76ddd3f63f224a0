"""Minimal Pelican settings for the benchmark: the default theme, default generators and feeds."""

AUTHOR = "Benchmark"
SITENAME = "Briefings benchmark"
SITEURL = "https://example.org"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
RELATIVE_URLS = False
