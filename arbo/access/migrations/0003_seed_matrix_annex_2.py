"""Seed the effective matrix with annex 2 of seed 003 (shared/domain.md §3).

A literal copy of ``arbo.access.matrix.MATRIX`` as it was when this migration was written:
migrations do not import app code. tests/access/test_matrix.py checks that the two agree.
"""

import uuid

from django.db import migrations

CATEGORIES = "ABCD"

#: function → levels for categories A, B, C, D (– none · R read · M change · V delete).
ANNEX_2 = {
    "directeur": "---V",
    "secretariaat": "---V",
    "financieel_medewerker": "---V",
    "planner": "---V",
    "basisarts": "MMMM",
    "bedrijfsarts": "MMMM",
    "stafarts": "MMMM",
    "casemanager": "MM-M",
    "arbeidsdeskundige": "RR-R",
    "arbeidshygienist": "---R",
    "veiligheidskundige": "---R",
    "ao_deskundige": "---R",
    "regiomanager": "---R",
    "manager_ssc": "---R",
    "medisch_manager": "---R",
    "casemanager_taakdelegatie": "MMMM",
    "praktijkondersteuner": "MMMM",
    "applicatiebeheerder": "VV-V",
    "administratief_medewerker": "---M",
    "teamleider_klant": "---M",
    "teamleider_financieel": "---M",
    "verzuimmedewerker_geheimhouding": "MMMR",
    "verzuimmedewerker": "MM-R",
    "mandaat_verzuim_support": "RR-R",
    # Not in annex 2: the privacy officer reviews the matrix and the log, no category access.
    "privacy_officer": "----",
}


def seed(apps, schema_editor):
    MatrixCell = apps.get_model("access", "MatrixCell")
    MatrixVersion = apps.get_model("access", "MatrixVersion")
    db = schema_editor.connection.alias
    if MatrixCell.objects.using(db).exists():
        return  # already seeded (by AccessConfig's post_migrate handler after a partial migrate)
    MatrixCell.objects.using(db).bulk_create(
        MatrixCell(function=function, category=category, level=levels[i])
        for function, levels in ANNEX_2.items()
        for i, category in enumerate(CATEGORIES)
    )
    MatrixVersion.objects.using(db).all().delete()
    MatrixVersion.objects.using(db).create(token=uuid.uuid4())


def unseed(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("access", "MatrixCell").objects.using(db).all().delete()
    apps.get_model("access", "MatrixVersion").objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_matrix_cells"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
