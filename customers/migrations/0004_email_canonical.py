"""Key accounts by the canonical form of their e-mail instead of PostgreSQL's lower()."""

from django.db import migrations, models
from django.db.models import Count

from customers.email_address import canonical_email

BATCH = 2000


def fill_canonical_emails(apps, schema_editor):
    customer_model = apps.get_model("customers", "Customer")
    batch = []
    for customer in customer_model.objects.only("pk", "email").iterator(chunk_size=BATCH):
        customer.email_canonical = canonical_email(customer.email)
        batch.append(customer)
        if len(batch) == BATCH:
            customer_model.objects.bulk_update(batch, ["email_canonical"])
            batch = []
    customer_model.objects.bulk_update(batch, ["email_canonical"])
    shared = (
        customer_model.objects.values("email_canonical")
        .annotate(accounts=Count("pk"))
        .filter(accounts__gt=1)
        .order_by("email_canonical")
        .first()
    )
    if shared is not None:
        raise RuntimeError(
            f"Several customers are spellings of one mailbox ({shared['email_canonical']}): "
            "change their e-mails so that one is left before migrating."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_session_epoch"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="email_canonical",
            field=models.CharField(editable=False, max_length=320, null=True),
        ),
        migrations.RunPython(fill_canonical_emails, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="customer",
            name="email_canonical",
            field=models.CharField(editable=False, max_length=320),
        ),
        migrations.RemoveConstraint(
            model_name="customer",
            name="customer_email_ci_unique",
        ),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.UniqueConstraint(
                fields=("email_canonical",), name="customer_email_canonical_unique"
            ),
        ),
    ]
