"""`catalogue diff`: what changes for citizens between two versions, read from real git commits
in a scratch repository, as a reviewer of a coordinator's pull request would run it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import TODAY_DEMO, run

TODAY = TODAY_DEMO.isoformat()


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True, env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                                           "GIT_COMMITTER_NAME": "t",
                                           "GIT_COMMITTER_EMAIL": "t@x",
                                           "HOME": str(root)}).stdout


@pytest.fixture
def repo(demo: Path) -> Path:
    git(demo, "init", "-q")
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "før")
    return demo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bullets(output: str) -> list[str]:
    return [line.strip()[2:] for line in output.splitlines() if line.startswith("  - ")]


def cancel_move_and_add(root: Path) -> None:
    """Three changes a citizen sees: a cancellation, a moved date, a new course."""
    edit(root / "courses/styrk-dit-netvaerk.yaml", "    status: open\n",
         "    status: cancelled\n    status_note: Underviseren er syg.\n")
    edit(root / "courses/naar-angsten-fylder.yaml",
         '{date: 2027-03-11, start: "10:00", end: "13:00"',
         '{date: 2027-03-12, start: "12:00", end: "15:00"')
    new = (root / "courses/styrk-dit-netvaerk.yaml").read_text(encoding="utf-8")
    new = new.replace("status: cancelled\n    status_note: Underviseren er syg.\n", "status: open\n")
    lines = new.splitlines(keepends=True)
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[title] = "title: Håb og nye veje\n"
    (root / "courses/haab-og-nye-veje.yaml").write_text("".join(lines), encoding="utf-8")


def test_two_commits_list_the_cancellation_the_moved_date_and_the_new_course(repo):
    cancel_move_and_add(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "efter")
    done = run(["diff", "HEAD~1", "HEAD", "--today", TODAY], repo)
    assert done.returncode == 0, done.stderr
    found = bullets(done.stdout)
    assert len(found) == 3, done.stdout
    assert "Holdet fredag 26. februar 2027 er aflyst. Årsag: Underviseren er syg." in found
    assert ("Holdet torsdag 4. marts 2027: flyttet fra torsdag 11. marts 2027 kl. 10.00–13.00 "
            "til fredag 12. marts 2027 kl. 12.00–15.00.") in found
    assert any(b.startswith("Nyt kursus. Første hold: fredag 26. februar 2027") for b in found)
    assert "Håb og nye veje (/kurser/haab-og-nye-veje/)" in done.stdout
    assert done.stdout.rstrip().endswith("3 ændringer i 3 kurser.")


def test_without_a_second_version_the_files_on_disk_are_compared(repo):
    assert "Ingen ændringer, som borgerne kan se." in run(
        ["diff", "HEAD", "--today", TODAY], repo).stdout
    edit(repo / "courses/styrk-dit-netvaerk.yaml", "    status: open\n", "    status: full\n")
    done = run(["diff", "HEAD", "--today", TODAY], repo)
    assert bullets(done.stdout) == [
        "Holdet fredag 26. februar 2027: nu »Fuldt – skriv dig på ventelisten«."], done.stdout
    assert "til filerne nu" in done.stdout


def test_two_folders_can_be_compared(repo, tmp_path):
    before = tmp_path / "before"
    subprocess.run(["cp", "-r", str(repo), str(before)], check=True)
    edit(repo / "courses/naar-angsten-fylder.yaml", "venue: center-for-dagomraadet",
         "venue: center-for-dagomraadet\n    attendance: hybrid\n    online_note: Linket "
         "kommer på mail.")
    done = run(["diff", str(before), str(repo), "--today", TODAY], repo)
    assert done.returncode == 0, done.stderr
    [change] = bullets(done.stdout)
    assert "nyt sted" in change and "og online" in change


def test_changes_that_citizens_do_not_see_say_nothing(repo):
    path = repo / "courses/naar-angsten-fylder.yaml"
    path.write_text("# en kommentar\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    done = run(["diff", "HEAD", "--today", TODAY], repo)
    assert bullets(done.stdout) == [] and "Ingen ændringer" in done.stdout


def test_a_teacher_without_consent_is_named_by_role_only(repo):
    course = repo / "courses/styrk-dit-netvaerk.yaml"
    teachers = {p.stem: p.read_text(encoding="utf-8") for p in (repo / "teachers").glob("*.yaml")}
    hidden = next(name for name, text in teachers.items() if "consent" not in text)
    edit(course, "    status: open\n", f"    status: open\n    teachers: [{hidden}]\n")
    done = run(["diff", "HEAD", "--today", TODAY], repo)
    name_line = next(line for line in teachers[hidden].splitlines() if line.startswith("name:"))
    name = name_line.split(":", 1)[1].strip()
    assert name not in done.stdout and hidden not in done.stdout
    assert any("undervisere nu" in b and "underviser" in b.split("undervisere nu")[1].lower()
               for b in bullets(done.stdout)), done.stdout


def test_markdown_for_a_pull_request_keeps_a_hostile_title_as_text(repo):
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt

    title = "<img src=x onerror=alert(1)> **[x](javascript:alert(1))**"
    edit(repo / "courses/styrk-dit-netvaerk.yaml", "title: ", f"title: '{title} ")
    path = repo / "courses/styrk-dit-netvaerk.yaml"
    edit(path, "\n", "'\n")  # close the quote at the end of the title line
    done = run(["diff", "HEAD", "--format", "markdown", "--today", TODAY], repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("### Det ændrer sig for borgerne")
    html = BeautifulSoup(MarkdownIt("commonmark").render(done.stdout), "html.parser")
    assert html.find("img") is None and html.find("a") is None and html.find("strong").text \
        .startswith(title)  # the whole title is text inside the course's bold heading


def test_an_unknown_version_is_a_usage_error_in_danish(repo):
    done = run(["diff", "findes-ikke", "--today", TODAY], repo)
    assert done.returncode == 2
    assert "hverken en mappe eller en git-revision" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_version_that_would_not_build_is_named(repo):
    edit(repo / "courses/styrk-dit-netvaerk.yaml", "title: ", "tittle: ")
    done = run(["diff", "HEAD", "--today", TODAY], repo)
    assert done.returncode == 1
    assert "Version filerne nu har 1 fejl og kan ikke bygges" in done.stdout


@pytest.mark.parametrize("example", ["github-pull-request.yml", "gitlab-merge-request.yml"])
def test_the_review_examples_run_real_commands(example):
    """Every `catalogue …` line in the review workflows is one the program accepts."""
    import shlex

    import yaml

    from conftest import REPO
    from generator.cli import make_parser

    text = (REPO / "examples" / example).read_text(encoding="utf-8")
    yaml.safe_load(text)  # the CI service must be able to read it
    started = re.compile(r"^(?:run:|-)?\s*catalogue\s+(.*)$")
    commands = [m.group(1).split(">")[0].split("|")[0] for line in text.splitlines()
                if (m := started.match(line.strip()))]
    assert {c.split()[0] for c in commands} >= {"check", "diff", "build"}, commands
    for command in commands:
        words = shlex.split(command.replace("$", "X"))
        make_parser().parse_args(words)  # exits 2 (and fails the test) on a usage error
