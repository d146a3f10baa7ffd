"""A GIN index for full-text search of free-text answers and comments, on
PostgreSQL only (SQLite searches with icontains). The expressions match
what consultation.analysis filters on, so the planner uses them."""

from django.db import migrations

ANSWER = (
    "CREATE INDEX IF NOT EXISTS consultation_answer_text_search ON consultation_answer "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(\"text\", '')))"
)
COMMENT = (
    "CREATE INDEX IF NOT EXISTS consultation_comment_text_search ON consultation_draftcomment "
    "USING GIN (to_tsvector('english'::regconfig, COALESCE(\"text\", '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ANSWER)
        schema_editor.execute(COMMENT)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS consultation_answer_text_search")
        schema_editor.execute("DROP INDEX IF EXISTS consultation_comment_text_search")


class Migration(migrations.Migration):
    dependencies = [("consultation", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
