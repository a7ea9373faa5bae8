"""The small catalogue as one build, for the renderers' direct tests."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.render import Build, Site
from generator.select import Selection

from conftest import MINI, TODAY as MINI_TODAY

SITE = Site("Test", "https://test.example.org/")


def mini_build(catalogue, today: dt.date = MINI_TODAY, site: Site = SITE, root=MINI) -> Build:
    """A build of (a changed copy of) the small catalogue."""
    return Build(Selection(catalogue, today), site, root)


@pytest.fixture
def build(mini_catalogue) -> Build:
    return mini_build(mini_catalogue)
