"""Write a synthetic catalogue of N courses with a realistic shape.

Each course has 2 offerings of 1-6 sessions and a team of 2 teachers (a peer and a
professional). Teams and rooms are spread so that nothing is double-booked: the checker does
all of its work, and the output is a valid catalogue the site can be built from.

    python benchmarks/generate.py 1000 benchmarks/out/1000
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import sys
from pathlib import Path

THEMES = ["oege-netvaerk", "laere-noget-nyt", "leve-mere-aktivt",
          "vaere-mere-til-stede-i-nuet", "give-af-sig-selv"]
SCHOOLS = 10
VENUES_PER_SCHOOL = 5


REPO = Path(__file__).resolve().parent.parent


def use_demo_site(root: Path) -> None:
    """Give a catalogue the demo's site configuration (nav, theme, hand-written pages), read
    from this repository, so it builds like the demo wherever it lies."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {REPO / 'docs'}")
    config = config.replace("custom_dir: site_templates/overrides",
                            f"custom_dir: {REPO / 'site_templates' / 'overrides'}")
    config = config.replace("logo: docs/assets/logo.svg",
                            f"logo: {REPO / 'docs' / 'assets' / 'logo.svg'}")
    config = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def generate(n: int, out: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("courses", "teachers", "schools"):
        (out / folder).mkdir(parents=True)
    for s in range(SCHOOLS):
        venues = "".join(
            f"  sted-{s}-{v}:\n    name: Sted {s}.{v}\n    address: Skolevej {v + 1}\n"
            f"    postal_code: \"8000\"\n    city: Aarhus C\n"
            f"    accessibility: Niveaufri adgang og elevator.\n"
            for v in range(VENUES_PER_SCHOOL))
        (out / "schools" / f"skole-{s}.yaml").write_text(
            f"name: Recoveryskole {s}\nmunicipality: Kommune {s}\n"
            f"contact: {{email: skole{s}@example.org, phone: 00 00 00 00}}\n"
            f"registration: {{email: tilmelding{s}@example.org}}\nvenues:\n{venues}",
            encoding="utf-8")
    teams = max(1, n // 4)  # each team teaches four courses, on different weekdays
    for t in range(teams):
        for role, prefix in (("peer", "peer"), ("professional", "fag")):
            (out / "teachers" / f"{prefix}-{t}.yaml").write_text(
                f"name: Underviser {prefix.title()} {t}\nroles: [{role}]\n"
                f"title: {'Peer-underviser' if role == 'peer' else 'Sygeplejerske'}\n"
                f"bio: |\n  Underviser nummer {t}. Har undervist i recovery i flere år.\n"
                f"consent: {{profile: 2026-01-0{1 + t % 9}}}\n", encoding="utf-8")
    start = dt.date(2027, 1, 4)  # a Monday
    for c in range(n):
        team, weekday = divmod(c, 4)
        school = c % SCHOOLS
        venue = f"sted-{school}-{c % VENUES_PER_SCHOOL}"
        offerings = []
        for o in range(2):
            count = rng.randint(1, 6)
            first = start + dt.timedelta(days=weekday + 7 * (o * 10))
            sessions = "".join(
                f"      - {{date: {(first + dt.timedelta(weeks=k)).isoformat()}, "
                f"start: \"10:00\", end: \"{12 + (k % 2)}:00\"}}\n" for k in range(count))
            offerings.append(
                f"  - venue: {venue}\n    room: Lokale {c}\n    capacity: {rng.randint(8, 12)}\n"
                f"    status: {rng.choice(['open', 'open', 'few-places', 'full'])}\n"
                f"    registration: {{deadline: {(first - dt.timedelta(days=3)).isoformat()}}}\n"
                f"    sessions:\n{sessions}")
        themes = ", ".join(rng.sample(THEMES, 2))
        (out / "courses" / f"kursus-{c}.yaml").write_text(
            f"title: Kursus nummer {c}\n"
            f"summary: Et kursus om recovery og hverdagsliv, nummer {c} i rækken.\n"
            f"description: |\n  Vi arbejder med håb, mestring og fællesskab.\n\n"
            f"  Hver gang starter med en kop kaffe og en runde.\n"
            f"outcomes:\n  - Viden om recovery\n  - Redskaber til hverdagen\n"
            f"themes: [{themes}]\nformats: [teoretisk]\naudience: [alle]\n"
            f"school: skole-{school}\nteachers: [peer-{team}, fag-{team}]\n"
            f"registration:\n  required: true\nofferings:\n" + "".join(offerings),
            encoding="utf-8")
    return out


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"benchmarks/out/{count}")
    generate(count, target)
    print(f"wrote {count} courses to {target}")
