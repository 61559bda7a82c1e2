"""A supplier account works only inside an approved support window, and every request is audited."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arbo.access.policy import is_supplier_user
from arbo.audit import log
from arbo.privacy.processors.models import SupportWindow

#: Requests of a supplier account that are not worth a record of their own.
_QUIET_PREFIXES = ("/static/", "/favicon.ico")


class SupportWindowMiddleware:
    """For an account of kind ``supplier``: outside a current window, log out and say why; inside
    one, write an audit record of the request (method and path, the window's ticket)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and is_supplier_user(user)):
            return self.get_response(request)
        window = SupportWindow.objects.current(timezone.now()).filter(engineer__user=user).first()
        if window is None:
            return self._end(request)
        response = self.get_response(request)
        if not request.path.startswith(_QUIET_PREFIXES):
            log.record(
                user,
                log.Action.READ if request.method in ("GET", "HEAD") else log.Action.EXECUTE,
                "privacy.support_request",
                obj=window,
                request=request,
                outcome=log.Outcome.ALLOWED if response.status_code < 400 else log.Outcome.DENIED,
                data={"method": request.method, "path": request.path[:200], "status": response.status_code},
            )
        return response

    def _end(self, request: HttpRequest) -> HttpResponse:
        log.record(
            request.user,
            log.Action.LOGOUT,
            "privacy.support_window_closed",
            request=request,
            outcome=log.Outcome.DENIED,
            data={"path": request.path[:200]},
        )
        logout(request)
        response = HttpResponseRedirect(reverse("account_login"))
        storage = default_storage(request)
        storage.add(
            messages.INFO,
            _("Je ondersteuningsvenster is niet (meer) open. Vraag de privacy officer om een nieuw venster."),
        )
        storage.update(response)
        return response
