from django.db import migrations

FIRST_PARTY_CLIENT_ID = "storefront-api"


def create_first_party_client(apps, schema_editor):
    application_model = apps.get_model("oauth2_provider", "Application")
    application_model.objects.get_or_create(
        client_id=FIRST_PARTY_CLIENT_ID,
        defaults={
            "name": "Storefront API (first-party)",
            "client_type": "public",
            "authorization_grant_type": "password",
            "client_secret": "",
            "skip_authorization": True,
        },
    )


def remove_first_party_client(apps, schema_editor):
    apps.get_model("oauth2_provider", "Application").objects.filter(
        client_id=FIRST_PARTY_CLIENT_ID
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("oauth2_provider", "__latest__")]

    operations = [migrations.RunPython(create_first_party_client, remove_first_party_client)]
