from django.apps import AppConfig


class ReadersContentConfig(AppConfig):
    """Reader accounts: the profile that marks an account as a reader's (never an editor's)."""

    name = "broadsheet.content.readers"
    label = "reader_accounts"
    verbose_name = "Reader accounts"
    default_auto_field = "django.db.models.BigAutoField"
