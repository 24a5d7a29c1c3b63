import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The notification models move here from `reports` (a mechanism every app uses, not a part of the camat report).

    State only: the tables were made by reports' migrations and keep their names and rows (`db_table`), so an existing
    database changes nothing, on SQLite and PostgreSQL alike. Reports drops the models from its own state in its
    migration 0005, which runs after this one.
    """

    initial = True

    dependencies = [
        ("reports", "0004_kecamatan_code_collation_c"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(blank=True, max_length=30, verbose_name='type')),
                ('key', models.CharField(blank=True, max_length=200)),
                ('text', models.CharField(max_length=500, verbose_name='text')),
                ('url', models.CharField(blank=True, max_length=300, verbose_name='link')),
                ('created_at', models.DateTimeField(verbose_name='created at')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'db_table': 'reports_notification',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', 'read_at'], name='notification_unread')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('user', 'key'), name='one_notification_per_user_key')],
            },
        ),
        migrations.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=30, verbose_name='type')),
                ('email', models.BooleanField(default=True, verbose_name='email')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'reports_notificationpreference',
                'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='one_preference_per_user_kind')],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]
