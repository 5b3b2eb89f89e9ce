"""An index of customers' live refresh tokens on django-oauth-toolkit's table.

Every rotation and revocation leaves a revoked row until the purge (a month); starting a session
counts the customer's live ones (``end_sessions_past_the_cap``), and log out everywhere revokes
them, each reading the live rows alone through this index.
"""

from django.db import migrations

INDEX = "auth_live_refresh_tokens"


class Migration(migrations.Migration):
    dependencies = [("auth_api", "0003_create_spent_authorization_code")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON oauth2_provider_refreshtoken (user_id, created) "
            "WHERE revoked IS NULL",
            f"DROP INDEX {INDEX}",
        )
    ]
