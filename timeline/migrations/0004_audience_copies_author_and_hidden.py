import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Copy each post's author and moderation state onto its shares, in one statement per column.
FILL = """
UPDATE timeline_postaudience SET
    author_id = (SELECT p.author_id FROM timeline_post p WHERE p.id = timeline_postaudience.post_id),
    hidden = (SELECT p.moderation_state = 'hidden' FROM timeline_post p WHERE p.id = timeline_postaudience.post_id)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0003_comment_moderation_and_hidden_reasons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="postaudience",
            name="author",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="postaudience",
            name="hidden",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="postaudience",
            name="author",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
