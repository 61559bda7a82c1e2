from django import forms
from django.utils.translation import gettext_lazy as _


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ik trek deze toestemming in. Wat al gedeeld is, blijft gedeeld; nieuw gebruik stopt meteen."
        ),
        error_messages={"required": _("Vink aan dat je de toestemming wilt intrekken.")},
    )
