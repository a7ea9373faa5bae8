"""Consent rules: a name, a bio and a photo are published only with dated consent.

Naming a peer teacher tells the world they have been in psychiatric treatment (GDPR art. 9), so
the model shows the role only unless consent is recorded; these rules catch records that do not
add up, where a coordinator probably meant something else.
"""

from __future__ import annotations

from ..diagnostics import problem
from ..model import Catalogue


def consent_is_consistent(catalogue: Catalogue, context):
    for teacher in catalogue.teachers.values():
        consent = teacher.consent
        if consent.withdrawn and consent.profile and consent.withdrawn < consent.profile:
            yield problem("P701", teacher.at("consent", "withdrawn"),
                          withdrawn=consent.withdrawn.isoformat(),
                          given=consent.profile.isoformat())
        if teacher.photo and consent.photo is None:
            yield problem("P702", teacher.at("photo"))
        if consent.photo and consent.profile is None:
            yield problem("P703", teacher.at("consent", "photo"))
        if consent.photo and not teacher.photo:
            yield problem("P705", teacher.at("consent", "photo"))
        for field in ("profile", "photo"):
            date = getattr(consent, field)
            if date and date > context.today:
                yield problem("P704", teacher.at("consent", field), date=date.isoformat())
