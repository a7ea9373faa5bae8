"""Search: a Pagefind index made from the model, served as static files under /pagefind/.

One record per course and per guide, with only what a citizen searches for: a course's title,
summary, themes, where it is (place and town) and when (its upcoming start dates); a guide's
title, summary and text. Teachers are not indexed, so a name that may not be shown cannot reach
the index. Danish stemming.

No search filters (issue 25): Pagefind's default UI fetches every filter file, with its page
counts, the moment it opens, and cannot be told to wait; at 10,000 courses that was 81 KB of
the first search's 264 KB, growing with every course. The course list /kurser/ filters by the
same school, theme and town (and more), so the search keeps only the words. (A school's name
is not made a word instead: every name here begins "Recoveryskolen", and Pagefind matches by
prefix, so a search for "recovery" would list every course.)

The browser fetches nothing of this until someone searches (assets/search.js loads it then),
and then only the index chunks and result fragments it needs.

Pagefind's own `PagefindIndex` reads the binary's answers one per 0.1 s and deadlocks on any
answer over 2 MiB (`get_files` at a few thousand courses), so this module speaks the binary's
service protocol (base64 JSON messages, each ended by a comma) itself: all records at once,
then their answers in order. The binary is `pagefind_bin`'s, pinned in requirements.lock, so
nothing is downloaded at build time.

Pagefind writes a filter's values, and the filters themselves, in hash-map order, which changes
from run to run (Pagefind issue #638: fragments are stable since 1.3, filters and metadata are
not). `_stable` sorts them and names the files it rewrote by their content, so two builds of
the same catalogue are byte-identical.
"""

from __future__ import annotations

import base64
import html
import gzip
import hashlib
import json
import struct
import subprocess
import threading
from html.parser import HTMLParser

from pagefind.service import get_executable

from ..guides import render_body
from ..templating import danish_date, language_name, strings
from . import Asset, Build

FOLDER = "pagefind/"
LANGUAGE = "da"
# Pagefind writes every UI it has; the site loads the default UI and the search core only.
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.js",
          "playground/")


class SearchIndexError(RuntimeError):
    pass


class _Service:
    """One `pagefind --service` process, spoken to in order: a request, then its answer."""

    def __init__(self):
        binary = get_executable()
        if binary is None:
            raise SearchIndexError("Pagefind mangler: installér pakken pagefind[bin].")
        self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.message_id = 0

    def send(self, payload: dict) -> dict:
        return self.send_all([payload])[-1]

    def send_all(self, payloads: list[dict]) -> list[dict]:
        """Send every request, then read their answers in order. A thread writes, so neither
        side waits on a full pipe while the other waits on it."""
        first = self.message_id + 1
        self.message_id += len(payloads)
        messages = b"".join(base64.b64encode(json.dumps(
            {"message_id": first + n, "payload": payload}).encode()) + b","
            for n, payload in enumerate(payloads))

        def write():
            self.process.stdin.write(messages)
            self.process.stdin.flush()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        replies, pending = [], bytearray()
        while len(replies) < len(payloads):
            end = pending.find(b",")
            if end < 0:
                chunk = self.process.stdout.read1(1 << 20)
                if not chunk:
                    raise SearchIndexError("Pagefind stoppede uventet.")
                pending += chunk
                continue
            reply = json.loads(base64.b64decode(pending[:end]))["payload"]
            del pending[:end + 1]
            if reply.get("type") == "Error":
                raise SearchIndexError(f"Pagefind: {reply.get('message')}")
            replies.append(reply)
        writer.join()
        return replies

    def close(self) -> None:
        self.process.stdin.close()
        self.process.terminate()
        self.process.wait()


class _Text(HTMLParser):
    """The words of a guide's rendered body, without its markup."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def _plain(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _sentences(*parts: str) -> str:
    """Parts as sentences, so an excerpt reads as text and words do not run together."""
    return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts if p)


def _escaped(record: dict) -> dict:
    """The record as Pagefind's default UI needs it. The UI puts a result's excerpt (cut from
    `content`) and every filter value into the page with innerHTML, but the title with
    textContent; and Pagefind stores a custom record's content as given (only the text of an
    HTML page it reads itself comes escaped). So a course title `<img src=x onerror=...>` would
    run in the search results: content and filter values are escaped here, the title is not
    (escaped, it would show as `&lt;`)."""
    def escape(text: str) -> str:
        return html.escape(text, quote=False)

    return {**record, "content": escape(record["content"]),
            "filters": {name: [escape(v) for v in values]
                        for name, values in record["filters"].items()}}


def records(build: Build) -> list[dict]:
    """What is indexed, in a fixed order (the index's bytes depend on it)."""
    sel = build.selection
    catalogue = sel.catalogue
    found = []
    for course in sel.courses:
        themes = [catalogue.themes[t].name for t in course.theme_ids if t in catalogue.themes]
        upcoming = [o for o in sel.upcoming(course) if o.takes_place]
        venues = [catalogue.venues[v] for v in dict.fromkeys(o.venue_id for o in upcoming)
                  if v in catalogue.venues]
        dates = [danish_date(o.first_date) for o in upcoming]
        # Issue 23: offering names ("Åben café"), an offering's own language and a partner's
        # name are searched for too, and closed enrolment is said; absent, the record is what
        # it always was.
        names = list(dict.fromkeys(o.name for o in upcoming if o.name))
        own = [code for code in dict.fromkeys(o.language for o in upcoming if o.language)
               if code != course.language]
        languages = [language_name(code) for code in ([course.language] + own)] if own else []
        words = strings()
        partner = words["shape"]["partner_text"].format(name=course.partner.name) \
            if course.partner else ""
        closed = [words["availability"]["enrolment-closed"].format(closed=o.registration.closed)
                  for o in upcoming if o.registration.closed]
        content = _sentences(course.title, course.summary, ", ".join(names), ", ".join(themes),
                             "; ".join(f"{v.name}, {v.city}" for v in venues), ", ".join(dates),
                             ", ".join(languages), partner, *dict.fromkeys(closed))
        found.append({"url": f"/kurser/{course.id}/", "content": content,
                      "meta": {"title": course.title}, "filters": {}})
    for guide in sel.guides:
        body = _plain(render_body(guide.body, lambda name, argument: "", lambda path: path))
        themes = [catalogue.themes[t].name for t in guide.themes if t in catalogue.themes]
        found.append({"url": f"/materialer/{guide.id}/",
                      "content": _sentences(guide.title, guide.summary, body, ", ".join(themes)),
                      "meta": {"title": guide.title}, "filters": {}})
    return found


def index_files(entries: list[dict]) -> dict[str, bytes]:
    """Pagefind's files for these records, by path inside the bundle."""
    service = _Service()
    try:
        index_id = service.send({"type": "NewIndex",
                                 "config": {"force_language": LANGUAGE}})["index_id"]
        service.send_all([{"type": "AddRecord", "index_id": index_id, "language": LANGUAGE,
                           "sort": None, **entry} for entry in entries])
        files = service.send({"type": "GetFiles", "index_id": index_id})["files"]
    finally:
        service.close()
    return {f["path"]: base64.b64decode(f["content"]) for f in files}


# --- byte-stable filters ------------------------------------------------------------------
# Pagefind's binary files are gzipped "pagefind_dcd" + CBOR of arrays, text and integers.

SIGNATURE = b"pagefind_dcd"


def _cbor_decode(data: bytes, at: int = 0):
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    else:
        width = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        value = int.from_bytes(data[at:at + width], "big")
        at += width
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        chunk = bytes(data[at:at + value])
        return (chunk if major == 2 else chunk.decode()), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 7 and value in (20, 21, 22):
        return {20: False, 21: True, 22: None}[value], at
    raise SearchIndexError(f"Pagefind: uventet CBOR-type {major}")


def _cbor_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, n)
    raise SearchIndexError("Pagefind: for stort tal")


def _cbor_encode(value) -> bytes:
    if value is None or isinstance(value, bool):
        return {False: b"\xf4", True: b"\xf5", None: b"\xf6"}[value]
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        return _cbor_head(3, len(value.encode())) + value.encode()
    return _cbor_head(4, len(value)) + b"".join(_cbor_encode(item) for item in value)


def _read(data: bytes):
    raw = gzip.decompress(data)
    value, end = _cbor_decode(raw, len(SIGNATURE))
    if not raw.startswith(SIGNATURE) or end != len(raw):
        raise SearchIndexError("Pagefind: ukendt filformat")
    return value


def _write(value) -> tuple[bytes, str]:
    raw = SIGNATURE + _cbor_encode(value)
    return gzip.compress(raw, mtime=0), hashlib.sha256(raw).hexdigest()


def _stable(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same index with its filters (values, and the list of them) in sorted order."""
    entry = json.loads(files["pagefind-entry.json"])
    out = dict(files)
    for language, about in entry["languages"].items():
        meta_path = f"pagefind.{about['hash']}.pf_meta"
        meta = _read(out.pop(meta_path))
        filters = []
        for name, old in meta[3]:
            name_, values = _read(out.pop(f"filter/{old}.pf_filter"))
            data, digest = _write([name_, sorted(values)])
            filters.append([name, f"{language}_{digest[:7]}"])
            out[f"filter/{filters[-1][1]}.pf_filter"] = data
        meta[3] = sorted(filters)
        data, digest = _write(meta)
        about["hash"] = f"{language}_{digest[:10]}"
        out[f"pagefind.{about['hash']}.pf_meta"] = data
    out["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False,
                                            separators=(",", ":")).encode()
    return out


def plan(build: Build) -> list[Asset]:
    files = _stable(index_files([_escaped(r) for r in records(build)]))
    return [Asset(FOLDER + path, content=files[path]) for path in sorted(files)
            if not path.startswith(UNUSED)]
