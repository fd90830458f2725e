"""The command line of DATA_CONTRACT.md: build, check, load, versions, rollback (and synth, for benchmarks;
deck, for committee packs).

Messages go to standard error, in French; the exit status says whether it worked.
"""

from __future__ import annotations

import argparse
import sys

from atlas import writes
from atlas.contract import DATASETS, dataset
from atlas.errors import AtlasError
from atlas.imports.ingest import Report, check_file
from atlas.store import ROOT, Database, runner
from atlas.store.decks import Decks


def say(text: str = "") -> None:
    print(text, file=sys.stderr)


def show(report: Report) -> None:
    for notice in report.notices:
        say(f"note : {notice}")
    if report.ok:
        say(f"{report.file_name} : valide ({report.rows} lignes).")
    else:
        say(f"{report.file_name} : {report.problem_count} problème(s), rien n'a été écrit.")
        for line in report.shown():
            say(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m atlas", description="Atlas des relations internationales")
    parser.add_argument("--db", help="fichier DuckDB (défaut : $ATLAS_DB, sinon data/atlas.duckdb)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="recrée la base depuis l'échantillon de data/sample")
    check = sub.add_parser("check", help="valide un fichier sans rien écrire")
    load = sub.add_parser("load", help="valide puis importe un fichier comme nouvelle version")
    for p in (check, load):
        p.add_argument("dataset", choices=list(DATASETS))
        p.add_argument("file")
    load.add_argument("--mode", choices=writes.MODES, default="replace")
    load.add_argument("--force", action="store_true", help="accepte un import qui supprime plus de la moitié des lignes")
    sub.add_parser("versions", help="liste les versions")
    rollback = sub.add_parser("rollback", help="restaure l'état d'une version")
    rollback.add_argument("version", type=int)
    synth = sub.add_parser("synth", help="écrit des jeux de données synthétiques (mesures de performance)")
    synth.add_argument("out_dir", help="dossier où écrire un CSV par jeu (jamais data/sample)")
    synth.add_argument("--oda-rows", type=int, required=True, help="nombre de lignes ODA (jusqu'à 10 000 000)")
    synth.add_argument("--seed", type=int, default=1, help="graine : mêmes fichiers pour la même graine")
    deck = sub.add_parser("deck", help="écrit le jeu de diapositives du comité en PowerPoint (et en PDF)")
    deck.add_argument("out", help="fichier PowerPoint à écrire (.pptx)")
    deck.add_argument("--pdf", help="écrit aussi le PDF dans ce fichier")
    deck.add_argument("--deck", dest="deck_name", help="jeu enregistré depuis la page Présentation (défaut : toutes les diapositives)")
    deck.add_argument("--lang", choices=("fr", "nl", "en"), default="fr")
    briefing = sub.add_parser("briefing", help="écrit la fiche pays d'un pays (Word, PDF ou Excel, selon l'extension)")
    briefing.add_argument("iso3", help="code ISO 3166-1 alpha-3 du pays (COD)")
    briefing.add_argument("--out", required=True, help="fichier à écrire : .docx, .pdf ou .xlsx")
    briefing.add_argument("--lang", choices=("fr", "nl", "en"), default="fr")
    for p in sub.choices.values():
        p.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    db = Database(args.db)
    try:
        return run(db, args)
    except AtlasError as err:
        say(f"erreur : {err.message}")
        return 1
    except FileNotFoundError as err:
        say(f"erreur : fichier introuvable : {err.filename}")
        return 1


def run(db: Database, args) -> int:
    if args.command == "build":
        version = writes.build(at=db)
        say(f"base créée : {db.path} (version {version}).")
        return 0
    if args.command == "check":
        report = check_file(dataset(args.dataset), args.file)
        show(report)
        return 0 if report.ok else 1
    if args.command == "load":
        result = writes.load(args.dataset, args.file, mode=args.mode, force=args.force, at=db)
        show(result.report)
        if not result.report.ok:
            return 1
        for name, change in result.changes.items():
            say(
                f"{name} : {change.added} ajoutée(s), {change.changed} modifiée(s), "
                f"{change.removed} supprimée(s) — version {result.version}."
            )
        for part in result.replaced:
            what = " ".join(str(v) for k, v in part.items() if not k.startswith("rows_"))
            say(f"  remplacé : {what} — {part['rows_in_file']} ligne(s) du fichier, {part['rows_removed']} "
                f"des {part['rows_before']} ligne(s) d'avant retirée(s) ; le reste du jeu est intact.")
        return 0
    if args.command == "versions":
        say("version | date | action | jeu | mode | fichier | sha256 | ajoutées/modifiées/supprimées")
        for v, at, action, ds, mode, file_name, sha, user, added, changed, removed in writes.history(at=db):
            say(
                f"{v} | {at:%Y-%m-%d %H:%M:%S} | {action} | {ds} | {mode or ''} | {file_name or ''} | "
                f"{sha or ''} | {added}/{changed}/{removed}" + (f" | {user}" if user else "")
            )
        return 0
    if args.command == "rollback":
        version, changes = writes.rollback(args.version, at=db)
        for name, change in changes.items():
            if change.total:
                say(f"{name} : {change.added} ajoutée(s), {change.changed} modifiée(s), {change.removed} supprimée(s).")
        say(f"état de la version {args.version} restauré : version {version}.")
        return 0
    if args.command == "deck":
        return write_deck(db, args)
    if args.command == "briefing":
        return write_briefing(db, args)
    if args.command == "synth":
        # The generator is a benchmark tool, not part of the app: benchmarks/synth.py.
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import synth

        written = synth.generate(args.out_dir, args.oda_rows, seed=args.seed)
        for name, path in written.items():
            say(f"{name} : {path}")
        say(f"données synthétiques écrites ({args.oda_rows} lignes ODA, graine {args.seed}).")
        return 0
    return 2


def write_deck(db: Database, args) -> int:
    """The committee pack: both files are built in memory first, then each written whole."""
    import datetime as dt

    from atlas.figures import deck_files as deck
    from atlas.figures import slides

    run = runner(db)
    spec = slides.load_deck(Decks(db).frame(), args.deck_name) if args.deck_name else slides.DeckSpec()
    built = slides.build_deck(run, spec, args.lang, dt.date.today())
    files = deck.build_files(built, pdf=bool(args.pdf))
    deck.write_atomic(args.out, files.pptx)
    if args.pdf:
        deck.write_atomic(args.pdf, files.pdf)
    say(f"{len(built.slides)} diapositives écrites : {args.out}" + (f" et {args.pdf}" if args.pdf else "")
        + f" ({files.seconds:.1f} s de rendu).")
    return 0


def write_briefing(db: Database, args) -> int:
    """The country briefing note in the format its extension names, built in memory, then written whole."""
    import datetime as dt
    from pathlib import Path

    from atlas.figures import briefing_files
    from atlas.figures.briefing import build_briefing
    from atlas.figures.deck_files import write_atomic
    from atlas.geography.countries import countries
    from atlas.store import execute

    kind = briefing_files.FORMATS.get(Path(args.out).suffix.lower())
    if kind is None:
        say(f"erreur : {args.out} : extension inconnue ; choisissez .docx, .pdf ou .xlsx.")
        return 1
    iso3 = args.iso3.strip().upper()
    if iso3 not in countries():
        say(f"erreur : « {args.iso3} » n'est pas un code ISO 3166-1 alpha-3 connu (par exemple COD).")
        return 1
    con = db.reader()
    try:
        note = build_briefing(lambda name, base=None, **params: execute(con, name, params, base).df(),
                              iso3, args.lang, dt.date.today())
    finally:
        con.close()
    files = briefing_files.build_files(note, (kind,))
    write_atomic(args.out, getattr(files, kind))
    say(f"fiche pays {iso3} écrite : {args.out} ({files.seconds:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
