"""`make bench`: every figure of the national-scale issue in one table, written to
benchmarks/results.md with the machine's core count, load and the date.

    make bench                                  1,000 and 5,000 courses, 98 brands, and the
                                                search index alone at 10,000
    BENCH_SIZES=200,1000 BENCH_BRANDS=10 .venv/bin/python benchmarks/bench.py

Figures, for each size (synthetic catalogues from benchmarks/generate.py):
- `catalogue check`, cold (no cache) and after editing one file: best of BENCH_RUNS (2);
  the cold check divided by a fresh Python parsing the same YAML files with libyaml
  (yaml.CSafeLoader), the floor of any check; `check FILE` after editing that file;
- the warm build (sizes up to BENCH_WARM_MAX, 1,000): a real `catalogue build` with every PDF
  in the cache (seeded with one-page PDFs under their real keys), its time and peak RSS;
- a cold build with every PDF stubbed (benchmarks/stubbed.py), its peak RSS, and plain
  MkDocs + Material (with its own search) on as many pages of the same median size;
- a course page on a phone's cold load: the HTML and every stylesheet and script it links,
  gzipped (-6, as a server would); the search adds nothing until it is opened;
- the first search for a common word ("recovery", in every course): what search.js and
  Pagefind fetch, from the files: the UI's script and stylesheet, pagefind.js and its web
  worker, the entry, the meta file, the WebAssembly, the filters the UI lists, the index chunks whose word range holds
  the word, and 5 result fragments (the largest 5). Pagefind's own files are gzipped already;
- the term catalogue PDF with WeasyPrint, no cache (sizes up to BENCH_PDF_MAX, 1,000): wall
  time and the peak RSS of the largest process (getrusage via wait4: parts render in forked
  children side by side, so the machine holds up to one part per core besides);
- `catalogue serve`, a new title saved for one course: seconds until the page the reloading
  browser asks for shows it (median of 3, with the load average before each; issue 24 measured
  22.2 s at 1,000 and 156.9 s at 5,000 before serve re-rendered only what an edit touches);
- at the largest size, BENCH_BRANDS (98) synthetic brands, one school each, built by
  `catalogue build --all-sites --jobs N` (N = BENCH_JOBS, default the core count), PDFs
  stubbed: the time per brand (median and slowest, as each child measured it) and in all.

No timing here is asserted anywhere: the machine is shared, and the figures are read by people.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
from build import median_article_bytes, plain_build  # noqa: E402
from generate import SCHOOLS, generate, use_demo_site  # noqa: E402
from run import best_of  # noqa: E402
from weight import gz, page_weight  # noqa: E402

BIN = Path(sys.executable).parent
TODAY = "2026-12-01"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1795305600", "NO_MKDOCS_2_WARNING": "1",
       "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
WORD = "recovery"
FRAGMENTS = 5


def measured(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (the largest process of the tree) and stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{stdout[-2000:]}{stderr[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, stdout


def catalogue_root(n: int, name: str = "bench") -> Path:
    """A synthetic catalogue with the demo's site configuration (docs, templates, nav)."""
    root = generate(n, HERE / "out" / f"{name}-{n}")
    use_demo_site(root)
    return root


def add_brands(root: Path, count: int) -> None:
    """`count` brands, each showing one school's courses (a municipality and its school)."""
    shutil.rmtree(root / "sites", ignore_errors=True)
    template = (REPO / "sites" / "randers" / "mkdocs.yml").read_text(encoding="utf-8")
    brand = (REPO / "sites" / "randers" / "brand.yaml").read_text(encoding="utf-8")
    for k in range(count):
        name = f"kommune-{k:02d}"
        folder = root / "sites" / name
        folder.mkdir(parents=True)
        shutil.copy(REPO / "sites" / "randers" / "logo.svg", folder / "logo.svg")
        (folder / "brand.yaml").write_text(
            re.sub(r"(?m)^schools:.*$", f"schools: [skole-{k % SCHOOLS}]",
                   brand.replace("Randers", f"Kommune {k}").replace("randers", name)),
            encoding="utf-8")
        (folder / "mkdocs.yml").write_text(
            template.replace("randers", name).replace("Randers", f"Kommune {k}")
            .replace("docs_dir: ../../docs", f"docs_dir: {REPO / 'docs'}")
            .replace("custom_dir: ../../site_templates/overrides",
                     f"custom_dir: {REPO / 'site_templates' / 'overrides'}")
            .split("\nwatch:")[0] + "\n", encoding="utf-8")


def first_search(site: Path) -> int:
    """Bytes over the wire for the first search for WORD (see the module's docstring)."""
    from generator.render.search import _read

    bundle = site / "pagefind"
    total = sum(gz((bundle / name).read_bytes())
                for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js",
                             "pagefind-worker.js", "pagefind-entry.json")
                if (bundle / name).is_file())
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    language = next(iter(entry["languages"].values()))
    meta_file = bundle / f"pagefind.{language['hash']}.pf_meta"
    wasm = bundle / f"wasm.{language.get('wasm') or 'unknown'}.pagefind"
    total += meta_file.stat().st_size + wasm.stat().st_size
    meta = _read(meta_file.read_bytes())
    for _, digest in meta[3]:  # the UI lists every filter with its counts when it opens
        total += (bundle / "filter" / f"{digest}.pf_filter").stat().st_size
    for low, high, digest in meta[2]:
        # A chunk's bounds are the shortest prefixes that tell it apart ("on" to "re" holds
        # "recovery"), so the word is compared with each bound at the bound's length; chunks
        # of longer words it begins ("recoveryskol") count too, as a prefix search reads them.
        if low <= WORD[:len(low)] and WORD[:len(high)] <= high or low.startswith(WORD):
            total += (bundle / "index" / f"{digest}.pf_index").stat().st_size
    sizes = sorted((f.stat().st_size for f in (bundle / "fragment").glob("*.pf_fragment")),
                   reverse=True)
    return total + sum(sizes[:FRAGMENTS])


PDF_SCRIPT = """
import sys, time, tempfile
from pathlib import Path
sys.path.insert(0, {here!r})
import pdf
with tempfile.TemporaryDirectory() as scratch:
    made = pdf.printer(Path({root!r}), Path(scratch))
    began = time.perf_counter()
    data = made.term_catalogue()
    print(time.perf_counter() - began, len(data))
"""


def term_catalogue(root: Path) -> tuple[float, float, int]:
    _, rss, out = measured([sys.executable, "-c", PDF_SCRIPT.format(here=str(HERE),
                                                                      root=str(root))], root)
    seconds, size = out.split()
    return float(seconds), rss, int(size)


def brands_build(root: Path, count: int, jobs: int) -> dict:
    add_brands(root, count)
    shutil.rmtree(root / "brands", ignore_errors=True)
    seconds, rss, out = measured([sys.executable, str(HERE / "stubbed.py"), "build",
                                  "--all-sites", "--jobs", str(jobs), "--out",
                                  str(root / "brands"), "--today", TODAY], root)
    shutil.rmtree(root / "sites", ignore_errors=True)
    per = [float(m.group(1).replace(",", ".")) for m in
           re.finditer(r"^\[\d+/\d+\] \S+ … ([\d,]+) s$", out, re.M)]
    if jobs == 1 or not per:  # one by one: no per-brand times printed; the mean is all there is
        per = [seconds / count] * count
    return {"count": count, "jobs": jobs, "total": seconds, "rss": rss,
            "median": statistics.median(per), "slowest": max(per)}


def edit_loop(root: Path, runs: int = 3) -> dict:
    """`catalogue serve` (PDFs deferred, as always while serving), then a new title saved for
    one course: the seconds from the save until the course page, asked for as the reloading
    browser asks (a request made during an update waits for it), shows the new title. Median
    of `runs` saves (each after the last one's search index and open data are written), with
    the highest one-minute load average seen just before them; also the first build."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    began = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "catalogue"), "serve", "--today", TODAY, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    edited = root / "courses" / "kursus-1.yaml"
    original = edited.read_text(encoding="utf-8")
    figures: dict = {"edits": [], "loads": []}
    try:
        for line in process.stdout:
            if line.startswith("Viser kataloget"):
                break
        else:
            sys.exit("catalogue serve stopped before it served")
        figures["serve first"] = time.perf_counter() - began
        url = f"http://127.0.0.1:{port}/kurser/kursus-1/"
        for run in range(runs):
            title = f"Kursus med ny titel {run}"
            figures["loads"].append(os.getloadavg()[0])
            saved = time.perf_counter()
            edited.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", original),
                              encoding="utf-8")
            while True:
                with urllib.request.urlopen(url, timeout=600) as answer:
                    if title in answer.read().decode("utf-8"):
                        break
                time.sleep(0.02)
            figures["edits"].append(time.perf_counter() - saved)
            for line in process.stdout:  # the search index and open data follow the reload
                if line.startswith("Søgning"):
                    break
    finally:
        process.terminate()
        process.wait(900)  # it removes its site folder first: minutes on a busy machine
        edited.write_text(original, encoding="utf-8")
    figures["edit"] = statistics.median(figures["edits"])
    return figures


YAML_FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path.cwd().glob("*/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def check_figures(root: Path, runs: int) -> dict:
    """Issue 25's check figures: the floor a check cannot beat (a fresh Python parsing the same
    files with libyaml, yaml.CSafeLoader, nothing else), so that `check cold / floor` is a ratio
    that shows a regression whatever the machine's load; and `check FILE` after one edit."""
    edited = root / "courses" / "kursus-0.yaml"

    def edit():
        edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    return {
        "yaml floor": best_of(runs, [sys.executable, "-c", YAML_FLOOR], root, before=lambda: None),
        "check file": best_of(runs, [str(BIN / "catalogue"), "check", "--today", TODAY,
                                     str(edited.relative_to(root))], root, before=edit),
    }


def warm_build(root: Path) -> tuple[float, float]:
    """A real `catalogue build` (no stubs) with every PDF in the cache: a stubbed build first
    writes a one-page PDF under each PDF's real key (BENCH_STUB_CACHE). The term catalogue's
    parts are then joined for real, but from one-page parts, so the join is cheaper than with
    real parts. Seconds and peak RSS (MB) of the largest process."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    seeded = dict(ENV, BENCH_STUB_CACHE="1")
    done = subprocess.run([sys.executable, str(HERE / "stubbed.py"), "build", "--today", TODAY],
                          cwd=root, env=seeded, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"seeding the PDF cache failed in {root}:\n{done.stderr[-3000:]}")
    seconds, rss, _ = measured([str(BIN / "catalogue"), "build", "--today", TODAY], root)
    return seconds, rss


def one_size(n: int, pdf_max: int) -> dict:
    figures: dict = {"courses": n}
    root = catalogue_root(n)
    command = [str(BIN / "catalogue"), "check", "--today", TODAY]
    cache = root / ".cache"
    runs = int(os.environ.get("BENCH_RUNS", "2"))
    figures["check cold"] = best_of(runs, command, root,
                                    before=lambda: shutil.rmtree(cache, ignore_errors=True))
    edited = root / "courses" / "kursus-0.yaml"
    figures["check warm"] = best_of(runs, command, root, before=lambda: edited.write_text(
        edited.read_text(encoding="utf-8") + "\n", encoding="utf-8"))
    figures.update(check_figures(root, runs))

    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    figures["build"], figures["build rss"], _ = measured(
        [sys.executable, str(HERE / "stubbed.py"), "build", "--today", TODAY], root)
    site = root / "site"
    pages = sorted(site.rglob("*.html"))
    figures["pages"] = len(pages)
    figures["plain"] = plain_build(len(pages), median_article_bytes(pages))
    figures["page weight"], figures["page"] = page_weight(site)
    figures["search"] = first_search(site)
    if n <= int(os.environ.get("BENCH_WARM_MAX", "1000")):
        figures["warm"], figures["warm rss"] = warm_build(root)
    if n <= pdf_max:
        figures["pdf"], figures["pdf rss"], figures["pdf bytes"] = term_catalogue(root)
    figures["serve"] = edit_loop(root)
    return figures


def search_at(n: int) -> tuple[int, float]:
    """The first search at a size whose full build would take too long here: the index alone
    (benchmarks/search_size.py), with the one-minute load average when it was measured."""
    from search_size import search_site

    return first_search(search_site(n)), os.getloadavg()[0]


def search_rows(searches: dict[int, tuple[int, float]]) -> str:
    """One line per index-only size, under the table (BENCH_SEARCH_SIZES, default 10000)."""
    return "".join(
        f"\n\nFirst search for \"{WORD}\" at {n:,} courses (search index only, gzip; target "
        f"≤ 200 KB; was 257.6 KiB before issue 25): {kb(size)} ({size:,} bytes; load "
        f"{load:.1f})" for n, (size, load) in sorted(searches.items()))


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def table(results: list[dict], brands: dict | None) -> str:
    def row(label, target, cell):
        return f"| {label} | {target} | " + " | ".join(cell(r) for r in results) + " |"

    def maybe(key, fmt):
        return lambda r: fmt(r) if key in r else "–"

    lines = [
        "| figure | target | " + " | ".join(
            f"{r['courses']:,} courses ({r['pages']:,} pages)" for r in results) + " |",
        "|---|---|" + "---|" * len(results),
        row("`catalogue check`, cold", "–", lambda r: f"{r['check cold']:.1f} s"),
        row("`catalogue check`, one file edited", "–", lambda r: f"{r['check warm']:.1f} s"),
        row("`catalogue check` cold / C-YAML parse of the same files (was 3.20× at 5,000)",
            "≤ 1.2×", maybe("yaml floor", lambda r: (
                f"{r['check cold'] / r['yaml floor']:.2f}× ({r['check cold']:.2f} s / "
                f"{r['yaml floor']:.2f} s)"))),
        row("`check FILE`, one file edited (was 4.13 s at 5,000)", "≤ 0.5 s",
            maybe("check file", lambda r: f"{r['check file']:.2f} s")),
        row("cold build, PDFs stubbed", "–",
            lambda r: f"{r['build']:.1f} s, {r['build rss']:.0f} MB"),
        row("plain MkDocs + Material, same pages", "–", lambda r: f"{r['plain']:.1f} s"),
        row("cold build / plain MkDocs", "≤ 1.3× at 5,000",
            lambda r: f"{r['build'] / r['plain']:.2f}×"),
        row("warm build, every PDF cached (was 2.03× plain, 884 MiB at 1,000)",
            "≤ 1.1× cold stubbed, ≤ 400 MB", maybe("warm", lambda r: (
                f"{r['warm']:.1f} s, {r['warm rss']:.0f} MB; "
                f"{r['warm'] / r['build']:.2f}× cold stubbed"))),
        row("course page, cold phone load (HTML+CSS+JS, gzip; was 69.0 KiB)", "≤ 60 KB",
            lambda r: kb(r["page weight"])),
        row(f"first search for \"{WORD}\" (gzip; was 190.8 KiB at 5,000)", "≤ 200 KB at 10,000",
            lambda r: kb(r["search"])),
        row("`serve`: a course's new title saved → in the browser (was 22.2 s / 156.9 s)",
            "≤ 2 s", maybe("serve", lambda r: (
                f"{r['serve']['edit']:.1f} s (median of {len(r['serve']['edits'])}; load "
                f"{max(r['serve']['loads']):.1f}); first build {r['serve']['serve first']:.0f} s"))),
        row("term catalogue PDF (WeasyPrint, no cache)", "≤ 15 s, ≤ 400 MB at 1,000",
            maybe("pdf", lambda r: f"{r['pdf']:.1f} s, {r['pdf rss']:.0f} MB peak process, "
                                   f"{r['pdf bytes'] / 1e6:.1f} MB file")),
    ]
    if brands:
        largest = max(r["courses"] for r in results)
        lines.append(row(
            f"{brands['count']} brands, `--all-sites --jobs {brands['jobs']}`, PDFs stubbed",
            "–", lambda r: (f"{brands['total']:.0f} s in all; per brand {brands['median']:.1f} s"
                            f" median, {brands['slowest']:.1f} s slowest; "
                            f"{brands['rss']:.0f} MB peak process")
            if r["courses"] == largest else "–"))
    return "\n".join(lines)


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,5000").split(",") if s]
    count = int(os.environ.get("BENCH_BRANDS", "98"))
    jobs = int(os.environ.get("BENCH_JOBS", str(os.cpu_count() or 1)))
    pdf_max = int(os.environ.get("BENCH_PDF_MAX", "1000"))
    load_before = os.getloadavg()
    began = time.perf_counter()
    results, brands = [], None
    searches: dict[int, tuple[int, float]] = {}

    def write(final: bool) -> str:
        """The table so far: a long run leaves what it has measured if it is stopped."""
        load_after = os.getloadavg()
        body = table(results, brands) + search_rows(searches)
        note = (f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} cores "
                f"(load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; the "
                f"run took {(time.perf_counter() - began) / 60:.0f} min"
                f"{'' if final else ', stopped before the end'}), Python "
                f"{sys.version.split()[0]}. Course page measured: `{results[0]['page']}`.")
        (HERE / "results.md").write_text(
            "# Benchmark results\n\nWritten by `make bench` (benchmarks/bench.py; how each "
            "figure is measured is in its docstring).\n\n" + body + "\n\n" + note + "\n",
            encoding="utf-8")
        return body + "\n\n" + note

    for n in sizes:
        print(f"… {n:,} courses", file=sys.stderr, flush=True)
        results.append(one_size(n, pdf_max))
        write(final=False)
    for n in [int(s) for s in os.environ.get("BENCH_SEARCH_SIZES", "10000").split(",") if s]:
        print(f"… search index of {n:,} courses", file=sys.stderr, flush=True)
        searches[n] = search_at(n)
        write(final=False)
    if count:
        print(f"… {count} brands over {max(sizes):,} courses", file=sys.stderr, flush=True)
        root = catalogue_root(max(sizes), "brands")  # the sites measured above stay to look at
        brands = brands_build(root, count, jobs)
    print(write(final=True))

if __name__ == "__main__":
    main()
