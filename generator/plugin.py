"""The MkDocs plugin: MkDocs (or ProperDocs) builds the catalogue through the same pipeline as
the `catalogue` command. It stops the build on any validation error, with the same messages."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import diagnostics as diag
from .catalogue import Result, find_root, read_catalogue
from .dates import resolve_today

# `catalogue build` has already read and reported the catalogue; it leaves the result here so
# the plugin does not read it a second time in the same process.
_preloaded: Result | None = None


def preload(result: Result | None) -> None:
    global _preloaded
    _preloaded = result


class CatalogueConfig(Config):
    root = config_options.Optional(config_options.Type(str))
    today = config_options.Optional(config_options.Type(str))


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    result: Result | None = None

    def on_config(self, config):
        base = Path(config.config_file_path or ".").parent
        self.root = find_root(base / self.config.root if self.config.root else base)
        return config

    def on_pre_build(self, config):
        today = resolve_today(self.config.today)
        if _preloaded is not None and _preloaded.context.root == self.root \
                and _preloaded.context.today == today:
            self.result = _preloaded
            return
        result = read_catalogue(self.root, today)
        errors, _ = diag.count(result.diagnostics)
        if errors:
            raise PluginError("Kataloget har fejl:\n" + diag.format_text(result.diagnostics, result.files))
        self.result = result
