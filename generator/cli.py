"""The `catalogue` command: check, build, serve, new, schema, editor, diff.

Exit codes: 0 fine, 1 problems in the sources, 2 wrong usage, 3 the program itself failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import diagnostics as diag
from .catalogue import find_root, read_catalogue, source_files
from .cli_strings import SEE_HELP, danish
from .dates import resolve_today

FORMATS = {"text": diag.format_text, "json": diag.format_json, "github": diag.format_github}


class _Parser(argparse.ArgumentParser):
    """argparse in Danish (see cli_strings): every method that writes text runs in `danish()`."""

    def __init__(self, *args, **kwargs):
        with danish():  # the section titles and the -h help are looked up here
            super().__init__(*args, **kwargs)

    def parse_known_args(self, *args, **kwargs):
        with danish():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args, **kwargs):  # it reports unknown arguments itself
        with danish():
            return super().parse_args(*args, **kwargs)

    def format_usage(self):
        with danish():
            return super().format_usage()

    def format_help(self):
        with danish():
            return super().format_help()

    def error(self, message):  # argparse exits 2 on usage errors, which is our contract too
        self.print_usage(sys.stderr)
        print(f"catalogue: {message}", file=sys.stderr)
        print(SEE_HELP.format(prog=self.prog), file=sys.stderr)
        raise SystemExit(2)


def _today_arg(parser):
    parser.add_argument("--today", metavar="ÅÅÅÅ-MM-DD",
                        help="dato, der regnes som i dag (ellers SOURCE_DATE_EPOCH eller dags dato)")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"skal være et helt tal på mindst 1, ikke {text!r}")
    return int(text)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="catalogue", description="Kursuskatalog for recoveryskoler.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                     metavar="KOMMANDO")

    check = commands.add_parser("check", help="tjek kildefilerne for fejl")
    check.add_argument("paths", nargs="*", type=Path, metavar="STI",
                       help="filer eller mapper at vise fejl for (standard: hele kataloget)")
    check.add_argument("--format", choices=sorted(FORMATS), default="text",
                       help="text (standard) til at læse, github til GitHub Actions, json til "
                            "programmer")
    check.add_argument("--strict", action="store_true", help="advarsler tæller som fejl")
    _today_arg(check)

    build = commands.add_parser("build", help="tjek og byg kataloget til site/")
    which = build.add_mutually_exclusive_group()
    which.add_argument("--site", metavar="NAVN", help="byg ét brand fra sites/NAVN/")
    which.add_argument("--all-sites", action="store_true",
                       help="byg alle brands i sites/ til MAPPE/<navn>/")
    build.add_argument("--out", type=Path, default=None, metavar="MAPPE",
                       help="mappe at bygge til (standard: site)")
    build.add_argument("--jobs", type=_positive, default=1, metavar="N",
                       help="med --all-sites: byg N brands ad gangen, hvert i sin egen proces "
                            "(standard: 1)")
    build.add_argument("--strict", action="store_true", help="advarsler tæller som fejl")
    _today_arg(build)

    serve = commands.add_parser("serve", help="vis kataloget på http://127.0.0.1:8000")
    serve.add_argument("--site", metavar="NAVN", help="vis ét brand fra sites/NAVN/")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="ADRESSE",
                       help="adresse og port (standard: 127.0.0.1:8000)")
    serve.add_argument("--verbose", action="store_true",
                       help="vis alt, MkDocs og WeasyPrint skriver (standard: kun fejl og tider)")
    _today_arg(serve)

    new = commands.add_parser("new", help="lav et nyt kursus, en underviser, en skole eller et "
                                          "brand ud fra en skabelon")
    new.add_argument("kind", choices=["course", "teacher", "school", "site"],
                     help="course: kursus, teacher: underviser, school: skole, site: brand")
    new.add_argument("name", metavar="NAVN",
                     help="kursets titel, underviserens eller skolens navn, eller brandets "
                          "mappe i sites/ (fx favrskov)")
    new.add_argument("--school", action="append", default=[], metavar="ID", dest="schools",
                     help="kun for site: en skole, hvis kurser er med (kan gentages; standard: "
                          "skoler, hvis navn eller kommune passer til brandet)")

    export = commands.add_parser("export", help="eksportér åbne data")
    export.add_argument("what", choices=["datapackage"])
    export.add_argument("--out", type=Path, required=True, metavar="MAPPE",
                        help="mappe at skrive til")
    export.add_argument("--site", metavar="NAVN", help="kun ét brands skoler")
    _today_arg(export)

    importing = commands.add_parser("import", help="indlæs hold fra et regneark (CSV)")
    importing.add_argument("what", choices=["offerings"])
    importing.add_argument("file", type=Path, metavar="FIL",
                           help="CSV med én række pr. undervisningsgang")
    importing.add_argument("--dry-run", action="store_true",
                           help="vis ændringerne uden at skrive dem")
    _today_arg(importing)

    editor = commands.add_parser("editor", help="lav browser-editoren (Decap CMS) til en mappe")
    editor.add_argument("--out", type=Path, required=True, help="mappe at skrive editoren til")
    editor.add_argument("--backend", choices=["github", "gitlab", "gitea"], default="github",
                        help="hvor kataloget ligger (standard: github)")
    editor.add_argument("--repo", default="OWNER/REPO", help="repository, fx kommune/katalog")
    editor.add_argument("--branch", default="main", help="gren at gemme på (standard: main)")
    editor.add_argument("--app-id", help="OAuth-applikationens id (GitLab og Gitea: PKCE)")
    editor.add_argument("--base-url", help="adressen på jeres egen GitLab/Gitea, https://...")
    editor.add_argument("--api-root", help="API-adressen, hvis den ikke er standard")
    editor.add_argument("--local-url", default="http://127.0.0.1:8081/api/v1",
                        help="decap-server på egen maskine (standard: %(default)s)")
    editor.add_argument("--no-local", action="store_true",
                        help="ingen lokal backend (til en editor, der lægges på nettet)")

    diff = commands.add_parser("diff", help="vis, hvad der ændrer sig for borgerne mellem to "
                                            "versioner af kataloget")
    diff.add_argument("before", metavar="FØR",
                      help="en git-revision (fx main eller HEAD~1) eller en mappe med et katalog")
    diff.add_argument("after", nargs="?", metavar="EFTER",
                      help="en git-revision eller en mappe (standard: filerne, som de er nu)")
    diff.add_argument("--format", choices=["markdown", "text"], default="text",
                      help="text (standard) til at læse, markdown til en kommentar på en "
                           "pull request")
    diff.add_argument("--site", metavar="NAVN", help="kun ét brands skoler")
    _today_arg(diff)

    schema = commands.add_parser("schema", help="skriv JSON Schema-filer til editorer")
    schema.add_argument("--out", type=Path, default=Path("schemas"), metavar="MAPPE",
                        help="mappe at skrive til (standard: schemas)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - bad input never gets here; bugs do
        print(f"catalogue: intern fejl ({type(error).__name__}: {error}). Dette er en fejl i "
              f"programmet, ikke i dine filer; meld den gerne.", file=sys.stderr)
        return 3


def _today(args):
    try:
        return resolve_today(args.today)
    except ValueError as error:
        print(f"catalogue: {error}", file=sys.stderr)
        raise SystemExit(2)


def cmd_check(args) -> int:
    today = _today(args)
    paths = [p.resolve() for p in args.paths] or [find_root(Path.cwd())]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"catalogue: findes ikke: {', '.join(str(p) for p in missing)}", file=sys.stderr)
        return 2
    root = find_root(paths[0])
    # Always the whole catalogue: rules that compare files (double bookings, references) must
    # see every file. A clash between two files is reported in both, so it shows here whichever
    # of them is named; any other error elsewhere is counted in the note, as it stops the build.
    result = read_catalogue(root, today)
    if paths == [root]:
        print(FORMATS[args.format](result.diagnostics, result.files))
        return _exit_code(result.diagnostics, args.strict)
    shown = [d for d in result.diagnostics if any(_covers(p, root / d.pos.file) for p in paths)]
    checked = sum(1 for names in source_files(root).values() for name in names
                  if any(_covers(p, root / name) for p in paths))
    report = FORMATS[args.format](shown, checked)
    if args.format == "text":  # json and github stay as machines expect them
        body, _, last = report.rpartition("\n")
        whole = f"Tjekket mod hele kataloget ({diag.files_da(result.files)})."
        named = set(shown)
        elsewhere, _ = diag.count(d for d in result.diagnostics if d not in named)
        if elsewhere:  # the catalogue will not build, even if the named files are fine
            whole += (f" Andre filer har {elsewhere} fejl; kør 'catalogue check' uden filnavn "
                      f"for at se dem.")
        report = "\n".join(part for part in (body, whole, last) if part)
    print(report)
    return _exit_code(shown, args.strict)


def _covers(path: Path, file: Path) -> bool:
    return file == path or file.is_relative_to(path)


def _exit_code(diagnostics, strict: bool) -> int:
    errors, warnings = diag.count(diagnostics)
    return 1 if errors or (strict and warnings) else 0


def cmd_build(args) -> int:
    from .publish import build_all_sites, build_site

    if args.all_sites:
        return build_all_sites(Path.cwd(), _today(args), out=args.out, strict=args.strict,
                               jobs=args.jobs)
    if args.jobs != 1:
        print("catalogue: --jobs hører kun til 'catalogue build --all-sites'.", file=sys.stderr)
        return 2
    return build_site(Path.cwd(), _today(args), out=args.out, strict=args.strict,
                      brand=args.site)


def cmd_serve(args) -> int:
    from .publish import serve_site

    return serve_site(Path.cwd(), _today(args), args.dev_addr, brand=args.site,
                      verbose=args.verbose)


def cmd_new(args) -> int:
    from .scaffold import new_site, new_source

    if args.kind == "site":
        return new_site(find_root(Path.cwd()), args.name, args.schools)
    if args.schools:
        print("catalogue: --school hører kun til 'catalogue new site'.", file=sys.stderr)
        return 2
    return new_source(find_root(Path.cwd()), args.kind, args.name)


def cmd_schema(args) -> int:
    from .schema import EDITOR_SCHEMAS, json_schema

    args.out.mkdir(parents=True, exist_ok=True)
    for name in EDITOR_SCHEMAS:
        target = args.out / f"{name}.schema.json"
        target.write_text(json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
        print(f"skrev {target}")
    return 0


def cmd_editor(args) -> int:
    from .editor import Backend, write_editor

    backend = Backend(args.backend, args.repo, args.branch, args.app_id, args.base_url,
                      args.api_root, None if args.no_local else args.local_url)
    return write_editor(find_root(Path.cwd()), args.out, backend)


def cmd_export(args) -> int:
    from .brands import BrandError, site_for_build
    from .render.opendata import PackageInvalid, write_package
    from .select import Selection

    root = find_root(Path.cwd())
    today = _today(args)
    result = read_catalogue(root, today)
    if not result.ok:
        print(diag.format_text(result.diagnostics, result.files), file=sys.stderr)
        return 1
    try:
        site = site_for_build(root, args.site)
    except BrandError as error:
        print(f"catalogue: {error}", file=sys.stderr)
        return 2
    brand = result.catalogue.brands.get(args.site) if args.site else None
    selection = Selection.for_brand(result.catalogue, today, brand)
    try:
        written = write_package(selection, site, args.out)
    except PackageInvalid as error:
        print(f"catalogue: de åbne data er ikke gyldige (frictionless):\n{error}", file=sys.stderr)
        return 1
    print(f"Skrev {len(written)} filer til {args.out}.")
    return 0


def cmd_import(args) -> int:
    from .importer import import_offerings

    if not args.file.is_file():
        print(f"catalogue: {args.file} findes ikke", file=sys.stderr)
        return 2
    return import_offerings(find_root(Path.cwd()), args.file.resolve(), _today(args),
                            args.dry_run)


def cmd_diff(args) -> int:
    from .diff import VersionError, diff_versions, render

    root = find_root(Path.cwd())
    if args.site and not (root / "sites" / args.site / "brand.yaml").is_file():
        print(f"catalogue: brandet '{args.site}' findes ikke i sites/.", file=sys.stderr)
        return 2
    try:
        report = diff_versions(root, args.before, args.after, _today(args), args.site)
    except VersionError as error:
        print(f"catalogue: '{error}' er hverken en mappe eller en git-revision i {root}.",
              file=sys.stderr)
        return 2
    print(render(report, args.format), end="")
    return 1 if report.problems else 0


COMMANDS = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "new": cmd_new,
            "export": cmd_export, "import": cmd_import, "schema": cmd_schema, "editor": cmd_editor,
            "diff": cmd_diff}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
