"""The `catalogue check` contract: messages, formats, exit codes, and never a traceback."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import pytest

from generator import cli

from conftest import REPO, run

BAD = sorted((REPO / "tests" / "bad").glob("*/*.yaml"))
LINE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>fejl|advarsel) "
                  r"(?P<code>[A-Z]\d{3}): .+$", re.M)


def _expectation(path: Path) -> tuple[str, int]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    match = re.match(r"# expect: ([A-Z]\d{3}) (\d+)$", first)
    assert match, f"{path.name} has no '# expect: CODE LINE' first line"
    return match[1], int(match[2])


def test_demo_passes_check():
    done = run(["check", "--today", "2026-11-22", "--strict"], REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    files = sum(len(list(REPO.glob(pattern))) for pattern in
                ("courses/*.yaml", "teachers/*.yaml", "schools/*.yaml", "guides/*.md",
                 "sites/*/brand.yaml"))
    assert done.stdout.strip().endswith(f"0 fejl, 0 advarsler i {files} filer")


@pytest.mark.parametrize("bad", BAD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bad_file_fails_cleanly(bad: Path, demo: Path):
    code, line = _expectation(bad)
    target = demo / bad.parent.name / bad.name
    shutil.copyfile(bad, target)
    done = run(["check", "--today", "2026-11-22", str(target)], demo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    found = [(m["file"], int(m["line"]), m["code"]) for m in LINE.finditer(done.stdout)]
    name = f"{bad.parent.name}/{bad.name}"
    assert (name, line, code) in found, done.stdout
    assert all(f == name for f, _, _ in found), "only the named file is reported"


def test_text_format_has_hint_and_summary(mini: Path):
    text = (mini / "courses/kursus-a.yaml").read_text()
    (mini / "courses/kursus-a.yaml").write_text(text.replace("title:", "tittle:"))
    done = run(["check", "--today", "2026-12-01"], mini)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("courses/kursus-a.yaml:1:1: fejl S104: Feltet 'tittle' findes ikke")
    assert lines[1] == "    tip: Mente du 'title'?"
    assert lines[-1] == "1 fejl, 0 advarsler i 12 filer"


def test_json_format(mini: Path):
    text = (mini / "courses/kursus-a.yaml").read_text()
    (mini / "courses/kursus-a.yaml").write_text(text.replace("status: open", "status: opne"))
    done = run(["check", "--format", "json", "--today", "2026-12-01"], mini)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["errors"] == 1 and report["warnings"] == 0 and report["files"] == 12
    [item] = report["diagnostics"]
    assert item["code"] == "S103" and item["file"] == "courses/kursus-a.yaml"
    assert item["line"] == 20 and item["severity"] == "error" and "open" in item["message"]


def test_github_format(mini: Path):
    text = (mini / "courses/kursus-a.yaml").read_text()
    (mini / "courses/kursus-a.yaml").write_text(text.replace("venue: huset", "venue: huse"))
    done = run(["check", "--format", "github", "--today", "2026-12-01"], mini)
    first = done.stdout.splitlines()[0]
    assert first.startswith("::error file=courses/kursus-a.yaml,line=17,col=12,title=R303 ")
    assert "::Der findes intet sted" in first and "Mente du 'huset'?" in first


def test_warnings_pass_unless_strict(mini: Path):
    args = ["check", "--today", "2027-03-01"]  # kursus-a is over, but still says "open"
    done = run(args, mini)
    assert done.returncode == 0 and "advarsel T207" in done.stdout
    assert done.stdout.strip().endswith("0 fejl, 1 advarsel i 12 filer")
    assert run([*args, "--strict"], mini).returncode == 1


def test_paths_limit_what_is_shown(mini: Path):
    for name in ("courses/kursus-a.yaml", "courses/kursus-b.yaml"):
        path = mini / name
        path.write_text(path.read_text().replace("title:", "tittle:"))
    done = run(["check", "--today", "2026-12-01", "courses/kursus-b.yaml"], mini)
    assert done.returncode == 1
    assert "kursus-a" not in done.stdout and "courses/kursus-b.yaml:1:1" in done.stdout
    assert done.stdout.strip().endswith("i 1 fil")


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["check", "--today", "i morgen"],
                                  ["frobnicate"], ["check", "findes-ikke.yaml"]])
def test_usage_errors_exit_2(args, mini: Path):
    done = run(args, mini)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_source_date_epoch_fixes_today(mini: Path):
    epoch = "1804550400"  # 2027-03-09 in Copenhagen: kursus-a is over
    done = run(["check"], mini, env={"SOURCE_DATE_EPOCH": epoch})
    assert "T207" in done.stdout


def test_internal_failure_is_one_line_and_exit_3(monkeypatch, capsys, mini: Path):
    def broken(*args, **kwargs):
        raise RuntimeError("simuleret fejl")

    monkeypatch.setattr(cli, "read_catalogue", broken)
    monkeypatch.chdir(mini)
    assert cli.main(["check"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "intern fejl" in err[0] and "simuleret fejl" in err[0]


def test_check_never_rewrites_sources(mini: Path):
    before = {p: p.read_bytes() for p in mini.rglob("*") if p.is_file()}
    run(["check", "--today", "2026-12-01"], mini)
    after = {p: p.read_bytes() for p in before}
    assert before == after


def test_cache_follows_edits(mini: Path):
    """A second check reads results from the cache; an edited file is checked again."""
    assert run(["check", "--today", "2026-12-01"], mini).returncode == 0
    assert list((mini / ".cache").rglob("*.pickle"))
    path = mini / "courses/kursus-b.yaml"
    path.write_text(path.read_text().replace("status: full", "status: fuld"))
    done = run(["check", "--today", "2026-12-01"], mini)
    assert done.returncode == 1 and "courses/kursus-b.yaml:11:13: fejl S103" in done.stdout
    path.write_text(path.read_text().replace("status: fuld", "status: full"))
    assert run(["check", "--today", "2026-12-01"], mini).returncode == 0


def _double_book_fag_f(mini: Path):
    path = mini / "courses/kursus-b.yaml"
    path.write_text(path.read_text().replace("[paa-r, fag-g]", "[paa-r, fag-f]"))


@pytest.mark.parametrize("name, line, other", [("courses/kursus-a.yaml", 23, "kursus-b.yaml:13"),
                                                ("courses/kursus-b.yaml", 13, "kursus-a.yaml:23")])
def test_check_file_reports_a_clash_with_another_file_on_its_own_lines(name, line, other,
                                                                       mini: Path):
    _double_book_fag_f(mini)
    outputs = set()
    for seed in ("0", "1", "2", "3", "random"):  # hash order must not decide anything
        done = run(["check", "--today", "2026-12-01", name], mini, env={"PYTHONHASHSEED": seed})
        assert done.returncode == 1, done.stdout + done.stderr
        outputs.add(done.stdout)
    [stdout] = outputs
    found = [(m["file"], int(m["line"]), m["code"]) for m in LINE.finditer(stdout)]
    assert found == [(name, line, "B501")]
    assert f"(courses/{other})" in stdout
    lines = stdout.strip().splitlines()
    # The other side of the clash is an error in the other file, and the note counts it.
    assert lines[-2] == ("Tjekket mod hele kataloget (12 filer). Andre filer har 1 fejl; kør "
                         "'catalogue check' uden filnavn for at se dem.")
    assert lines[-1] == "1 fejl, 0 advarsler i 1 fil"


def test_full_check_reports_a_clash_once_in_each_file(mini: Path):
    _double_book_fag_f(mini)
    outputs = {run(["check", "--today", "2026-12-01"], mini, env={"PYTHONHASHSEED": seed}).stdout
               for seed in ("0", "1", "2")}
    [stdout] = outputs
    found = [(m["file"], int(m["line"]), m["code"]) for m in LINE.finditer(stdout)]
    assert found == [("courses/kursus-a.yaml", 23, "B501"), ("courses/kursus-b.yaml", 13, "B501")]
    assert "Tjekket mod hele kataloget" not in stdout


def test_check_file_says_when_other_files_have_errors(mini: Path):
    path = mini / "courses/kursus-a.yaml"
    path.write_text(path.read_text().replace("title:", "tittle:"))
    done = run(["check", "--today", "2026-12-01", "courses/kursus-c.yaml"], mini)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "Tjekket mod hele kataloget (12 filer). Andre filer har 1 fejl; kør 'catalogue check' "
        "uden filnavn for at se dem.",
        "0 fejl, 0 advarsler i 1 fil"]


@pytest.mark.parametrize("format", ["json", "github"])
def test_check_file_keeps_machine_formats_as_they_were(format, mini: Path):
    _double_book_fag_f(mini)
    done = run(["check", "--format", format, "--today", "2026-12-01", "courses/kursus-b.yaml"],
               mini)
    assert "Tjekket" not in done.stdout
    if format == "json":
        report = json.loads(done.stdout)
        assert report["files"] == 1 and report["errors"] == 1
        assert [d["file"] for d in report["diagnostics"]] == ["courses/kursus-b.yaml"]
    else:
        lines = done.stdout.splitlines()
        assert lines[0].startswith("::error file=courses/kursus-b.yaml,line=13,")
        assert lines[1:] == ["1 fejl, 0 advarsler i 1 fil"]


ENGLISH = re.compile(r"\b(errors?|warnings?|files?|usage|invalid|choose|required|arguments?|"
                     r"options?|help|unrecognized|expected)\b", re.I)
# Option names are identifiers, like field names: --help is what one types, not English text.
OPTION = re.compile(r"(?<![\w-])--?[a-z][\w-]*")


def _english(text: str) -> list[str]:
    return ENGLISH.findall(OPTION.sub("", text))


def _help_of_every_subcommand() -> list[list[str]]:
    parser = cli.make_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [["--help"]] + [[name, "--help"] for name in commands.choices]


@pytest.mark.parametrize("args", _help_of_every_subcommand(), ids=" ".join)
def test_help_is_danish(args, mini: Path):
    done = run(args, mini)
    assert done.returncode == 0 and done.stdout.startswith("brug: catalogue")
    assert _english(done.stdout + done.stderr) == [], done.stdout


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["frobnicate"], [],
                                  ["check", "--today"], ["new", "course"],
                                  ["check", "--bogus"], ["build", "--site", "a", "--all-sites"]])
def test_usage_errors_are_danish(args, mini: Path):
    done = run(args, mini)
    assert done.returncode == 2 and done.stderr.startswith("brug: catalogue")
    assert "--help" in done.stderr.splitlines()[-1]  # where to read more
    assert _english(done.stdout + done.stderr) == [], done.stderr


def test_check_output_is_danish(mini: Path):
    assert _english(run(["check", "--today", "2026-12-01"], mini).stdout) == []
    path = mini / "courses/kursus-b.yaml"
    path.write_text(path.read_text().replace("title:", "tittle:"))
    path = mini / "courses/kursus-a.yaml"
    path.write_text(path.read_text().replace('end: "13:00"', 'end: "09:00"', 1))
    for args, codes in ((["check", "--today", "2027-03-01"], ("S104", "T203", "T207")),
                        (["check", "--today", "2027-03-01", "courses/kursus-a.yaml"],
                         ("T203", "T207", "Andre filer har 1 fejl"))):
        done = run(args, mini)
        assert done.returncode == 1 and all(code in done.stdout for code in codes), done.stdout
        assert _english(done.stdout + done.stderr) == [], done.stdout


def test_the_summary_says_fejl_and_advarsler_in_the_singular_and_plural():
    from generator.diagnostics import Diagnostic, Pos, summary

    def some(code, n):
        return [Diagnostic(code, Pos("a.yaml", i + 1, 1), "") for i in range(n)]

    assert summary([], 1) == "0 fejl, 0 advarsler i 1 fil"
    assert summary(some("S104", 1) + some("T207", 1), 2) == "1 fejl, 1 advarsel i 2 filer"
    assert summary(some("S104", 2) + some("T207", 2), 57) == "2 fejl, 2 advarsler i 57 filer"
