"""How the consent register's audit events are described to the person (portal "who saw my file")."""

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "consent.recorded": _("legde een toestemming van je vast"),
    "consent.withdrawn": _("legde vast dat je een toestemming introk"),
    "consent.own_list_viewed": _("bekeek je toestemmingen"),
}
