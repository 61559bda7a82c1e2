from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.static import static
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from arbo.identity import views as identity_views
from arbo.operations import views as operations_views

urlpatterns = [
    path("", identity_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("arbo.identity.urls")),
    path("registry/", include("arbo.registry.urls")),
    path("access/", include("arbo.access.urls")),
    path("care/", include("arbo.access.urls_care")),
    path("journal/", include("arbo.journal.urls")),
    path("medical/", include("arbo.medical.urls")),
    path("absence/", include("arbo.absence.urls")),
    path("prevention/", include("arbo.prevention.urls")),
    path("portal/", include("arbo.portal.urls")),
    path("consent/", include("arbo.consent.urls")),
    path("visitation/", include("arbo.consent.urls_visitation")),
    path("recipients/", include("arbo.consent.urls_recipients")),
    path("audit/", include("arbo.audit.urls")),
    path("privacy/", include("arbo.privacy.urls")),
    path("retention/", include("arbo.retention.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script (CSP). Swagger UI sets
    # style attributes from its script, so this one page (no personal data) allows inline style.
    path(
        "api/docs/",
        login_required(
            csp_update({"style-src": ["'unsafe-inline'"]})(
                SpectacularSwaggerSplitView.as_view(url_name="api-schema")
            )
        ),
        name="api-docs",
    ),
    path("api/v1/", include("arbo.api.urls")),
    path("reports/", include("arbo.reporting.urls")),
    # Issue 11: health checks for the load balancer, and the favicon browsers ask for.
    path("healthz", operations_views.healthz, name="healthz"),
    path("readyz", operations_views.readyz, name="readyz"),
    path("favicon.ico", operations_views.favicon, name="favicon"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Issue 19: under /api/ every error is JSON, elsewhere Django's pages.
handler400 = "arbo.api.errors.bad_request"
handler403 = "arbo.api.errors.permission_denied"
handler404 = "arbo.api.errors.page_not_found"
handler500 = "arbo.api.errors.server_error"
