"""Site-wide views: what analysts read across briefings.

This package is imported by ``dossier.site`` (identity, totals) and by
``dossier.render`` (page planners, via ``dossier.views.plan``), so this
``__init__`` stays empty to keep that import graph acyclic.
"""
