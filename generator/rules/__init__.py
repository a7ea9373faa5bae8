"""Rules: the checks that need the whole catalogue, one small function per rule.

Structure (Y…) is checked in load.py, the schema (S…, T201, T202) in schema.py and a guide's
front matter and shortcodes (G…) in guides.py. Everything here runs on the assembled model. Each function yields Diagnostics; `RULES` is the whole list,
in the order of the codes, so a reader can find any rule by its code.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..diagnostics import Diagnostic
from ..model import Catalogue
from . import (booking, brands, consent, content, coproduction, dates, enrolment, files,
               offerings,
               plausibility, references, rooms, shapes, template_text, time)

Rule = Callable[[Catalogue, "Context"], Iterable[Diagnostic]]

RULES: list[Rule] = [
    time.session_ends_after_start,        # T203
    time.sessions_in_order,               # T204
    time.deadline_before_first_session,   # T205, T206
    time.past_offering_still_open,        # T207
    plausibility.sessions_not_far_ahead,  # T208
    plausibility.recurrences_are_plausible,  # T208, T218 for recurrences
    shapes.exceptions_are_on_the_pattern,  # T210 (T209, T211, T212 when assembling)
    shapes.pattern_is_complete,           # T213
    shapes.stay_ends_after_arrival,       # T214
    time.local_times_exist,               # T215, T216
    time.recurrence_is_bounded,           # T217
    dates.changes_fit_the_pattern,        # T230-T233, T236 (issue 23)
    dates.breaks_in_order,                # T234
    dates.holidays_are_known,             # T235
    references.known_ids,                 # R301-R305
    references.guide_themes_exist,        # R304 in guides
    rooms.rooms_are_known,                # R307
    dates.session_team_and_place_exist,   # R310, R311
    references.required_courses_exist,    # R313
    references.requirements_have_no_circle,  # R314
    references.also_schools_exist,        # R315, R316
    enrolment.exemption_has_effect,       # S125
    enrolment.alternatives_are_several,   # S126
    enrolment.closed_is_shown,            # O620, O621
    enrolment.partner_is_not_the_provider,  # C407
    coproduction.team_is_co_produced,     # C401-C403
    shapes.other_forms_say_why,           # C404
    shapes.form_is_allowed_by_school,     # C405
    shapes.lead_form_matches_team,        # C406, C403
    booking.teacher_not_double_booked,    # B501
    booking.room_not_double_booked,       # B502
    offerings.cancelled_has_reason,       # O601
    offerings.sign_up_is_possible,        # O602
    shapes.venue_when_on_site,            # O604, O605
    shapes.places_add_up,                 # O606, O607
    dates.offering_language_is_known,     # O610
    shapes.ages_in_order,                 # S115
    shapes.language_is_known,             # S113
    dates.zones_are_known,                # S120, S121
    shapes.postcode_fits_country,         # S114, S107 for Danish venues
    consent.consent_is_consistent,        # P701-P705
    content.markdown_is_safe,             # H801-H804, H806
    template_text.template_text_is_replaced,  # H805
    files.photo_is_inside_catalogue,      # F901-F904
    files.guide_images_are_inside_catalogue,  # F901-F904 in guides
    brands.colours_are_readable,          # M001, M002
    brands.site_url_is_https_and_unique,  # M003, M004
    brands.brand_references_exist,        # R302, R303 in brands
    brands.accessibility_statement_is_named,  # M009
    brands.brand_texts_are_known_and_readable,  # M010, M011
    brands.brand_files_exist,             # F901-F904, M005-M008
    plausibility.teachers_are_different_people,  # N003
]


def run_rules(catalogue: Catalogue, context) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rule in RULES:
        found.extend(rule(catalogue, context))
    return found
