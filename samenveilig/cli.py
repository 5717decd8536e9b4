"""`samenveilig`: the one command line of the platform.

Each subcommand is a Django management command of the same name (so `samenveilig SUBCOMMAND --help` tells its
options), and `samenveilig manage …` passes anything else through to Django.
"""

import os
import sys

SUBCOMMANDS = {
    "serve": "serve the web interface and the API (with --demo: set up and run the demo on SQLite)",
    "demo": "build the fictional demo municipality 'Gemeente Voorbeeld' (deterministic per --seed)",
    "migrate": "create or update the database tables",
    "worker": "run a background worker (the scale configuration; `serve` runs one in-process on SQLite)",
    "live": "serve the live channel, server-sent events on /live/ (`serve` starts one on the port after its own)",
    "token": "create, list or revoke API tokens (`samenveilig token create USERNAME`)",
    "bench": "run a benchmark and print its figures as JSON",
    "check-text": "run the text checks on JSON lines from standard input (moderation)",
    "setup": "prepare an installation: migrations, static files, translations",
    "manage": "any Django management command, e.g. `samenveilig manage check --deploy`",
}

USAGE = "usage: samenveilig SUBCOMMAND [options]\n\nsubcommands:\n" + "\n".join(
    f"  {name:<10} {text}" for name, text in SUBCOMMANDS.items()
)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return
    command, rest = args[0], args[1:]
    if command not in SUBCOMMANDS:
        print(f"samenveilig: unknown subcommand {command!r}\n\n{USAGE}", file=sys.stderr)
        raise SystemExit(2)
    if command == "serve" and "--demo" in rest:
        # Demo mode must be known before the settings load (demo logins, e-mail to files).
        os.environ["SAMENVEILIG_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenveilig.settings")
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["samenveilig manage", *rest])
    else:
        execute_from_command_line(["samenveilig", command.replace("-", "_"), *rest])


if __name__ == "__main__":
    main()
