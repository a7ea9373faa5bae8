"""Every file valid before issue 23 builds as it did (issue 23: "a test builds today's demo
before and after, and compares").

The demo as it stood before issue 23's fields were used in it is kept in
tests/fixtures/before_issue23/ (the four files that now use them). This test puts those files
back in a copy of the demo, builds it at the demo's fixed date, and compares every file of the
site with the digests recorded from a build of the code before issue 23
(tests/fixtures/before_issue23/site.sha256.json). So a new optional field that changed what an
unchanged catalogue publishes (a page, a .ics, the JSON-LD, a CSV, a PDF, the search index)
fails here, file by file.

A PDF's /ID is a hash of the print templates' own bytes (render/print.py), not of what is
printed; it is blanked before comparing. When a change to the output is intended, record the
new digests with `UPDATE_GOLDEN=1 pytest tests/test_unchanged_output.py` and say so in the
commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

from conftest import REPO, TODAY_DEMO, copy_catalogue, run

BEFORE = REPO / "tests" / "fixtures" / "before_issue23"
GOLDEN = BEFORE / "site.sha256.json"
_PDF_ID = re.compile(rb"/ID \[\([0-9a-f]+\) \([0-9a-f]+\)\]")


def digests(site: Path) -> dict[str, str]:
    found = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".pdf":
            data = _PDF_ID.sub(b"/ID [() ()]", data)
        found[path.relative_to(site).as_posix()] = hashlib.sha256(data).hexdigest()
    return found


def test_the_demo_without_the_new_fields_builds_byte_for_byte_as_before(tmp_path):
    root = copy_catalogue(REPO, tmp_path / "demo")
    for source in BEFORE.rglob("*.yaml"):
        shutil.copyfile(source, root / source.relative_to(BEFORE))
    done = run(["build", "--today", TODAY_DEMO.isoformat()], root)
    assert done.returncode == 0, done.stderr
    now = digests(root / "site")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(now, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    before = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed = sorted(p for p in before.keys() & now.keys() if before[p] != now[p])
    assert (changed, sorted(before.keys() - now.keys()), sorted(now.keys() - before.keys())) \
        == ([], [], []), "changed, missing, new files"


def test_the_kept_files_are_the_ones_the_demo_now_changes():
    """The fixture must hold the before-state of files the demo really changed (and stay valid
    YAML of today's format), or the test above compares the demo with itself."""
    kept = sorted(p.relative_to(BEFORE).as_posix() for p in BEFORE.rglob("*.yaml"))
    assert kept and all((REPO / k).read_bytes() != (BEFORE / k).read_bytes() for k in kept)
