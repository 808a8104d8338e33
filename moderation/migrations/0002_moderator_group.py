"""The "moderator" group: exactly what staff need to work the moderation queue."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "moderator"
PERMISSIONS = {
    "moderation": {"report": ["view", "change"], "moderationaction": ["view"]},
    # Hiding is a change; deleting content is a delete.
    "timeline": {"post": ["view", "change", "delete"], "comment": ["view", "change", "delete"]},
    # Suspending a person is a change.
    "accounts": {"user": ["view", "change"]},
}


def create_moderator_group(apps, schema_editor):
    # Permissions are made after all migrations ran (post_migrate): on a new
    # database they do not exist yet, so make them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = [
        (app_label, f"{verb}_{model}")
        for app_label, models in PERMISSIONS.items()
        for model, verbs in models.items()
        for verb in verbs
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename) for app_label, codename in wanted
    ]
    group.permissions.set(permissions)


def delete_moderator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_reports_and_audit_trail"),
        ("timeline", "0003_comment_moderation_and_hidden_reasons"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_moderator_group, delete_moderator_group)]
