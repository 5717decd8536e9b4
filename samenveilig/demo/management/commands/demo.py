"""`samenveilig demo [--seed N] [--reset] [--residents N]`: build the fictional municipality "Gemeente Voorbeeld".

Refuses to build over a database that already holds people, unless --reset is given. --reset deletes the demo data
only (the municipality GM9999 with its wijken, buurten and communities, every @demo.samenveilig.nl person, and the
partner organisations that work only there); other data in the database stays.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = (
        "Build the demo municipality Gemeente Voorbeeld: wijken, buurten, 5,000 residents, communities of every type "
        "and phase, partner organisations and a known login for every role. Deterministic for the same --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed builds the same demo")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the existing demo data first (only the demo's own people, areas, communities and partners)",
        )
        parser.add_argument("--residents", type=int, default=None, help="number of residents (default 5000)")
        parser.add_argument(
            "--totp", action="store_true", help="print the current 2FA code of the demo partner accounts and stop"
        )
        parser.add_argument("--digest", action="store_true", help="print a digest of the demo content and stop")

    def handle(self, *args, **options):
        from samenveilig.demo import builder
        from samenveilig.demo.accounts import current_totp_code

        if options["totp"]:
            self.stdout.write(current_totp_code())
            return
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `samenveilig setup` (or `samenveilig migrate`).")
        if options["digest"]:
            self.stdout.write(builder.content_digest())
            return
        started = time.monotonic()
        if options["reset"]:
            deleted = builder.reset()
            self.stdout.write(f"Deleted the demo data ({deleted:,} demo people).")
        elif not builder.is_empty():
            raise CommandError(
                "The database is not empty. Use --reset to delete the demo data and build it again "
                "(other data stays), or point SAMENVEILIG_DATA_DIR / DATABASE_URL at an empty database."
            )
        residents = options["residents"] if options["residents"] is not None else builder.DEFAULT_RESIDENTS
        summary = builder.build(seed=options["seed"], residents=residents)
        self.stdout.write(self.style.SUCCESS(summary))
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s. Demo accounts:")
        for line in builder.account_lines():
            self.stdout.write(f"  {line}")
