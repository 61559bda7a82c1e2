"""Staff functions of an arbodienst (shared/domain.md §3; seed 003 annex 2).

The function decides which data categories a staff member may reach (see ``arbo.access.matrix``).
Names are kept in Dutch where the Dutch term is the one used in the field.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffFunction(models.TextChoices):
    DIRECTEUR = "directeur", _("Directeur")
    SECRETARIAAT = "secretariaat", _("Secretariaat")
    FINANCIEEL_MEDEWERKER = "financieel_medewerker", _("Financieel medewerker")
    PLANNER = "planner", _("Planner")
    BEDRIJFSARTS = "bedrijfsarts", _("Bedrijfsarts")
    BASISARTS = "basisarts", _("Basisarts")
    STAFARTS = "stafarts", _("Stafarts")
    CASEMANAGER = "casemanager", _("Casemanager")
    ARBEIDSDESKUNDIGE = "arbeidsdeskundige", _("Arbeidsdeskundige")
    ARBEIDSHYGIENIST = "arbeidshygienist", _("Arbeidshygiënist")
    VEILIGHEIDSKUNDIGE = "veiligheidskundige", _("Hogere veiligheidskundige")
    AO_DESKUNDIGE = "ao_deskundige", _("A&O-deskundige")
    REGIOMANAGER = "regiomanager", _("Regiomanager")
    MANAGER_SSC = "manager_ssc", _("Manager SSC")
    MEDISCH_MANAGER = "medisch_manager", _("Medisch manager")
    CASEMANAGER_TAAKDELEGATIE = "casemanager_taakdelegatie", _("Casemanager taakdelegatie")
    PRAKTIJKONDERSTEUNER = "praktijkondersteuner", _("Praktijkondersteuner bedrijfsarts (POB)")
    APPLICATIEBEHEERDER = "applicatiebeheerder", _("Functioneel beheerder verzuimapplicatie")
    ADMINISTRATIEF_MEDEWERKER = "administratief_medewerker", _("Administratief medewerker contract")
    TEAMLEIDER_KLANT = "teamleider_klant", _("Teamleider klant/contract")
    TEAMLEIDER_FINANCIEEL = "teamleider_financieel", _("Teamleider financieel")
    VERZUIMMEDEWERKER_GEHEIMHOUDING = (
        "verzuimmedewerker_geheimhouding",
        _("Verzuimmedewerker met afgeleid beroepsgeheim"),
    )
    VERZUIMMEDEWERKER = "verzuimmedewerker", _("Verzuimmedewerker / back office")
    MANDAAT_VERZUIM_SUPPORT = "mandaat_verzuim_support", _("Mandaat verzuim support")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer (FG)")


#: Functions that treat patients: the only ones that can be a "treating doctor".
DOCTOR_FUNCTIONS = frozenset({StaffFunction.BEDRIJFSARTS, StaffFunction.BASISARTS, StaffFunction.STAFARTS})
#: Functions that can be named casemanager of an absence (Regeling procesgang art. 4 lid 2c).
CASE_HANDLER_FUNCTIONS = frozenset({StaffFunction.CASEMANAGER, StaffFunction.CASEMANAGER_TAAKDELEGATIE})
