"""A static finder that exposes only plotly.min.js from the plotly wheel.

Pointing STATICFILES_DIRS at plotly's package_data would collect 36 MB; this serves the
one 4.8 MB file at static/vendor/plotly/plotly.min.js.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly/plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        self.storage = FileSystemStorage(location=str(self.source.parent))
        self.storage.prefix = "vendor/plotly"

    def check(self, **kwargs: object) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: object) -> str | list[str]:
        if path == PLOTLY_STATIC_PATH and self.source.exists():
            return [str(self.source)] if find_all else str(self.source)
        return []

    def list(self, ignore_patterns: list[str] | None):  # noqa: ANN201 - iterator of pairs
        if self.source.exists():
            yield "plotly.min.js", self.storage
