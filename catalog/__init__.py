"""The procedure catalog: what each administrative procedure needs, costs and takes.

Content lives as reviewable YAML in `catalog/content/`, is imported into the database
(`python -m catalog.cli import`) and is read by the action server through `queries`,
`resolve` (which procedure does the citizen mean?) and `answers` (the reply text).
"""

from catalog.errors import CatalogError, CatalogValidationError, ContentProblem

__all__ = ["CatalogError", "CatalogValidationError", "ContentProblem"]
