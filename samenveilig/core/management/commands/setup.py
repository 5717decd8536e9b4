from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare this installation: apply migrations, compile translations, collect static files."

    def add_arguments(self, parser):
        parser.add_argument("--no-static", action="store_true", help="skip collecting static files")

    def handle(self, *args, **options):
        from samenveilig.core.i18n import compile_catalogues

        compiled = compile_catalogues()
        self.stdout.write(f"translations compiled: {', '.join(compiled) or 'none'}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        if not options["no_static"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("static files collected")
