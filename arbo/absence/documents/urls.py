"""WvP documents and the UWV 42nd-week data sheet, included at /absence/ in namespace ``absence``."""

from django.urls import path

from arbo.absence.documents import views

urlpatterns = [
    path("cases/<int:case_id>/documents/", views.case_documents, name="case_documents"),
    path("cases/<int:case_id>/documents/new/", views.document_new, name="document_new"),
    path("cases/<int:case_id>/uwv-42nd-week/", views.uwv_sheet, name="uwv_sheet"),
    path("cases/<int:case_id>/uwv-42nd-week/pdf/", views.uwv_sheet_pdf, name="uwv_sheet_pdf"),
    path("documents/<int:document_id>/", views.document_detail, name="document_detail"),
    path("documents/<int:document_id>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:document_id>/finalise/", views.document_finalise, name="document_finalise"),
    path("documents/<int:document_id>/release/", views.document_release, name="document_release"),
    path("documents/<int:document_id>/review/", views.document_review, name="document_review"),
    path("documents/<int:document_id>/pdf/", views.document_pdf, name="document_pdf"),
]
