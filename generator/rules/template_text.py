"""Template text: a file made with `catalogue new` must not go live with the template's texts.

The texts come from the templates themselves (generator.scaffold.placeholders), so rewording a
template changes what this rule looks for, and no second list can drift out of step.
"""

from __future__ import annotations

from ..diagnostics import problem
from ..model import Catalogue
from ..scaffold import placeholders


def _plain(text: str) -> str:
    return " ".join(text.split())


def _holds(value: str, placeholder: str) -> bool:
    """Whether `value` still holds the template's text. A placeholder without letters (the
    postal code "0000") counts only as the whole value: as part of a text it is just digits,
    as in a phone number "7000 0000" or a house number, and was reported as template text."""
    if not any(c.isalpha() for c in placeholder):
        return _plain(value) == _plain(placeholder)
    return _plain(placeholder) in _plain(value)


def _left_in(record, kind: str):
    for placeholder in placeholders(kind):
        value = getattr(record, placeholder.field, None)
        items = enumerate(value) if isinstance(value, tuple) else [(None, value)]
        for index, text in items:
            if isinstance(text, str) and _holds(text, placeholder.text):
                pos = record.at(placeholder.field) if index is None else \
                    record.at(placeholder.field, index)
                what = placeholder.guidance or "Skriv det, teksten beder om."
                yield problem("H805", pos, field=placeholder.field, text=placeholder.text,
                              what=what)


def _school_left_in(school, venues):
    """A school's placeholders sit in nested fields too (contact, venues): look at every text
    of the school, its contact and its venues, and name the field that holds the text."""
    texts = [(school, (name,), value) for name, value in vars(school).items()]
    texts += [(school, ("contact", name), value) for name, value in vars(school.contact).items()]
    texts += [(venue, (name,), value) for venue in venues for name, value in vars(venue).items()]
    for placeholder in placeholders("school"):
        for record, path, value in texts:
            if isinstance(value, str) and _holds(value, placeholder.text):
                yield problem("H805", record.at(*path), field=path[-1], text=placeholder.text,
                              what=placeholder.guidance or "Skriv det, teksten beder om.")


def template_text_is_replaced(catalogue: Catalogue, context):
    for course in catalogue.courses.values():
        yield from _left_in(course, "course")
    for teacher in catalogue.teachers.values():
        yield from _left_in(teacher, "teacher")
    for school in catalogue.schools.values():
        yield from _school_left_in(school, [catalogue.venues[v] for v in school.venue_ids
                                            if v in catalogue.venues])
