"""Reads of the register of processors and of the supplier support windows: the privacy officer's.

Each function checks who asks (404 for anyone else), so the pages hold no queries of their own.
Processors are organisations; a window names a supplier's engineer (category D, staff data of the
supplier): neither is data about the people the arbodienst serves, so these reads are not audited.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from arbo.identity.models import User
from arbo.privacy.policies import require_privacy_officer
from arbo.privacy.processors.models import Processor, SupportWindow

#: The newest windows shown on a processor's page.
WINDOWS_SHOWN = 50


def processors_for(user: User) -> QuerySet[Processor]:
    require_privacy_officer(user)
    return Processor.objects.all()


def processor_for(user: User, processor_id: int) -> Processor:
    require_privacy_officer(user)
    return get_object_or_404(Processor, pk=processor_id)


def windows_of(user: User, processor: Processor) -> list[SupportWindow]:
    require_privacy_officer(user)
    return list(
        SupportWindow.objects.filter(engineer__processor=processor).select_related(
            "engineer__user", "granted_by"
        )[:WINDOWS_SHOWN]
    )


def window_for(user: User, window_id: int) -> SupportWindow:
    require_privacy_officer(user)
    return get_object_or_404(SupportWindow.objects.select_related("engineer"), pk=window_id)
