"""The loader: positions for every value, and safe refusal of what YAML should not do here."""

from __future__ import annotations

import os
import signal

import pytest

from generator import load as loader
from generator.load import MAX_FILE_BYTES, Mapping, Scalar, Sequence, load, locate, read_bytes


def _load(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load(data, "courses/x.yaml")


def test_every_value_keeps_line_and_column():
    tree, problems = _load("title: Hej\noffer:\n  - sessions:\n      - {date: 2027-02-03}\n")
    assert problems == [] and isinstance(tree, Mapping)
    assert tree.items["title"].pos == ("courses/x.yaml", 1, 8)
    assert tree.key_pos["offer"] == ("courses/x.yaml", 2, 1)
    assert locate(tree, "offer", 0, "sessions", 0, "date") == ("courses/x.yaml", 4, 16)
    assert locate(tree, "offer", 3) is None


def test_bom_and_windows_line_ends_are_fine():
    tree, problems = _load(b"\xef\xbb\xbftitle: Hej\r\nsummary: Med\r\n")
    assert problems == [] and tree.items["summary"].text == "Med"
    assert tree.items["summary"].pos.line == 2


def test_times_keep_the_text_as_written():
    """YAML 1.1 reads an unquoted 10:00 as 600 (base 60); we keep what the coordinator wrote."""
    tree, _ = _load("start: 10:00\nend: '13:00'\n")
    assert tree.items["start"].text == "10:00" and tree.items["start"].plain
    assert tree.items["end"].text == "13:00" and not tree.items["end"].plain


def test_block_text_is_located_at_its_first_line():
    tree, _ = _load("title: Hej\ndescription: |\n  Første linje.\n  Anden linje.\n")
    assert locate(tree, "description") == ("courses/x.yaml", 3, 3)


def test_duplicate_keys_are_errors_and_the_first_is_kept():
    tree, problems = _load("title: Første\nsummary: x\ntitle: Anden\n")
    assert [(p.code, p.pos.line) for p in problems] == [("Y005", 3)]
    assert tree.items["title"].text == "Første"
    assert "linje 1" in problems[0].message


def test_nested_duplicates_are_found_too():
    _, problems = _load("venues:\n  a: {name: x, name: y}\n")
    assert [(p.code, p.pos.line) for p in problems] == [("Y005", 2)]


def test_aliases_are_counted_not_trusted():
    small, problems = _load("a: &x [1, 2]\nb: *x\n")
    assert problems == [] and isinstance(small.items["b"], Sequence)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
    tree, problems = _load(bomb)
    assert tree is None and [p.code for p in problems] == ["Y008"]


def test_no_tag_can_build_objects():
    for text in ("x: !!python/object/apply:os.system ['true']\n",
                 "x: !!python/name:os.system\n", "x: !custom 1\n", "!!python/object:object {}\n"):
        tree, problems = _load(text)
        assert tree is None and [p.code for p in problems] == ["Y009"], text


def test_huge_and_non_utf8_files_are_refused():
    tree, problems = _load(b"title: " + b"x" * (MAX_FILE_BYTES + 1))
    assert tree is None and [p.code for p in problems] == ["Y007"]
    tree, problems = _load("title: Søvn\n".encode("cp1252"))
    assert tree is None and [(p.code, p.pos.line) for p in problems] == [("Y006", 1)]
    assert "0xF8" in problems[0].message
    tree, problems = _load("title: x\n".encode("utf-16"))
    assert tree is None and problems[0].code == "Y006" and "UTF-16" in problems[0].message


def test_syntax_errors_say_where_and_why_in_danish():
    tree, problems = _load("title: Recovery: et liv\n")
    assert tree is None and problems[0].code == "Y001" and problems[0].pos.line == 1
    assert "anførselstegn" in problems[0].message
    tree, problems = _load('title: "Ikke lukket\nsummary: x\n')
    assert problems[0].code == "Y001" and problems[0].pos.line == 1
    tree, problems = _load("title: x\n\tsummary: y\n")
    assert [(p.code, p.pos.line, p.pos.column) for p in problems] == [("Y002", 2, 1)]


def test_empty_and_scalar_documents():
    assert [p.code for p in _load("")[1]] == ["Y003"]
    assert [p.code for p in _load("---\n")[1]] == ["Y003"]
    assert [p.code for p in _load("# bare kommentarer\n")[1]] == ["Y003"]
    assert [p.code for p in _load("bare en tekst\n")[1]] == ["Y004"]
    tree, _ = _load("title: x\n")
    assert isinstance(tree.items["title"], Scalar)


@pytest.fixture
def alarm():
    """Fail, instead of hanging, if reading a pipe waits for a writer."""
    def ring(*_):
        raise TimeoutError("reading waited for a writer")
    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting(tmp_path, alarm):
    os.mkfifo(tmp_path / "x.yaml")
    data, problems = read_bytes(str(tmp_path / "x.yaml"), "courses/x.yaml")
    assert data is None and [p.code for p in problems] == ["Y011"]
    assert "navngivet pipe (FIFO)" in problems[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_swapped_in_after_the_first_look_is_refused_too(tmp_path, alarm, monkeypatch):
    os.mkfifo(tmp_path / "x.yaml")
    monkeypatch.setattr(loader, "not_regular", lambda path: None)  # it was a file a moment ago
    data, problems = read_bytes(str(tmp_path / "x.yaml"), "courses/x.yaml")
    assert data is None and "navngivet pipe (FIFO)" in problems[0].message


def test_a_link_out_of_the_catalogue_is_refused_and_one_inside_is_read(tmp_path):
    root = tmp_path / "katalog"
    (root / "courses").mkdir(parents=True)
    (root / "drafts").mkdir()
    (root / "drafts" / "a.yaml").write_text("title: x\n")
    (tmp_path / "b.yaml").write_text("title: y\n")
    (root / "courses" / "a.yaml").symlink_to(root / "drafts" / "a.yaml")
    (root / "courses" / "b.yaml").symlink_to(tmp_path / "b.yaml")
    inside, _ = read_bytes(str(root / "courses" / "a.yaml"), "courses/a.yaml", str(root))
    assert inside == b"title: x\n"
    data, problems = read_bytes(str(root / "courses" / "b.yaml"), "courses/b.yaml", str(root))
    assert data is None and "uden for kataloget" in problems[0].message


def test_a_clean_catalogue_is_checked_without_reading_any_file_twice(monkeypatch):
    """Positions are looked up only for problems that are reported: each lookup parses the
    file again in Python, which once made a check after one edit five times slower."""
    import datetime as dt

    from conftest import REPO
    from generator import catalogue, model

    reads = []
    real = loader.tree_at

    def counted(path, name):
        reads.append(name)
        return real(path, name)

    counted.cache_clear = real.cache_clear
    monkeypatch.setattr(model, "tree_at", counted)
    result = catalogue.read_catalogue(REPO, dt.date(2026, 11, 22), use_cache=False)
    reported = {d.pos.file for d in result.diagnostics}
    assert set(reads) <= reported, sorted(set(reads) - reported)
