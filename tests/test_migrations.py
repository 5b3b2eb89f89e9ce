"""The migrations describe the models: a model change without its migration fails here."""

from io import StringIO

from django.core.management import call_command


def test_every_model_change_has_its_migration(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        raise AssertionError(f"Migrations are missing:\n{out.getvalue()}") from missing
