from django.db import migrations


class Migration(migrations.Migration):
    """Notices move to accounts, which sends every app's (accounts.notices): same rows, new table name.

    The database keeps every notice (the table is renamed, not copied); only Django's idea of
    which app owns the model changes. accounts' 0006_notice takes the model up.
    """

    dependencies = [
        ("innovation", "0003_portfolio_order_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="notice", table="accounts_notice")],
            state_operations=[migrations.DeleteModel(name="notice")],
        ),
    ]
