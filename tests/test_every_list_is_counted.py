"""Issue 12: every list view and API list has a constant-query test (one object and three, the same
number of SQL statements).

The URLconf is read, not a hand-kept list of pages: every named URL must be either in
:data:`LISTS`, naming the test that counts its queries, or in one of the groups of
:data:`NOT_LISTS`, which say why it is not a list. A new page fails here until it is placed, so a
new list cannot arrive without its constant-query test.
"""

from __future__ import annotations

import importlib
import inspect
import re

from tests.url_scan import all_routes

#: A list page or API list → the test (``module::function``) that counts its queries for one
#: object and for three.
LISTS: dict[str, str] = {
    # registry
    "registry:employer_list": "tests.test_list_queries_more::test_the_employer_list_costs_the_same_for_three_employers",
    "registry:employee_list": "tests.registry.test_employee_views::test_list_query_count_does_not_grow_with_rows",
    "registry:search": "tests.registry.test_search::test_the_search_is_paginated_and_costs_the_same_for_three_results",
    "registry:employee_absence": "tests.registry.test_file_tabs::test_the_absence_tabs_cost_the_same_for_three_cases",
    "registry:employee_documents": "tests.registry.test_file_tabs::test_the_absence_tabs_cost_the_same_for_three_cases",
    "registry:employee_history": "tests.registry.test_file_tabs::test_the_absence_tabs_cost_the_same_for_three_cases",
    "registry:employee_journal": "tests.registry.test_file_tabs::test_the_journal_tab_costs_the_same_for_three_entries",
    "registry:employee_medical": "tests.registry.test_file_tabs::test_the_medical_tab_costs_the_same_for_three_notes",
    "medical:file": "tests.registry.test_file_tabs::test_the_medical_tab_costs_the_same_for_three_notes",
    "registry:employee_prevention": "tests.registry.test_file_tabs::test_the_prevention_tab_costs_the_same_for_three_exams",
    "prevention:employee": "tests.registry.test_file_tabs::test_the_prevention_tab_costs_the_same_for_three_exams",
    # identity
    "identity:user_list": "tests.test_list_queries_more::test_the_user_list_costs_the_same_for_three_more_users",
    "identity:my_login_attempts": "tests.test_list_queries_more::test_the_login_attempts_cost_the_same_for_three",
    "identity:user_login_attempts": "tests.test_list_queries_more::test_the_login_attempts_cost_the_same_for_three",
    "identity:access_review": "tests.identity.test_provisioning::test_the_access_review_lists_invitations_not_taken_up",
    # care and medical
    "care:emergency_review": "tests.test_list_queries_more::test_the_emergency_review_costs_the_same_for_three_accesses",
    "care:emergency_detail": "tests.test_list_queries_more::test_the_emergency_access_page_costs_the_same_for_three_reads",
    "care:emergency_widenings": "tests.test_list_queries_more::test_the_emergency_widenings_cost_the_same_for_three",
    "care:requests": "tests.access.test_care_requests::test_the_requests_page_queries_do_not_grow",
    "medical:agenda": "tests.medical.test_consultations::test_agenda_queries_do_not_grow_with_the_appointments",
    "medical:letters_pending": "tests.test_list_queries_more::test_the_letters_awaiting_paper_destruction_cost_the_same_for_three",
    "medical:mine": "tests.test_list_queries_more::test_my_medical_overview_costs_the_same_for_three_appointments",
    # absence
    "absence:case_list": "tests.absence.test_constant_queries::test_absence_pages_cost_the_same_for_one_and_three_cases",
    "absence:caseload": "tests.absence.test_constant_queries::test_absence_pages_cost_the_same_for_one_and_three_cases",
    "absence:case_documents": "tests.absence.test_documents::test_documents_page_queries_do_not_grow_with_documents",
    # prevention
    "prevention:applicant_list": "tests.prevention.test_views::test_the_applicant_list_has_no_n_plus_1",
    "prevention:outcomes": "tests.prevention.test_pre_employment_http::test_the_employer_list_has_no_n_plus_1",
    # portal and consent
    "portal:work": "tests.portal.test_work_home::test_the_casemanagers_home_lists_the_cases_audits_them_and_costs_the_same_queries",
    "portal:who_saw_my_file": "tests.test_list_queries::test_who_saw_my_file_costs_the_same_for_three_readers",
    "portal:inbox": "tests.privacy.test_breaches::test_register_and_inbox_lists_take_constant_queries",
    "consent:mine": "tests.consent.test_register::test_the_consent_list_has_constant_queries",
    "consent:my_disclosures": "tests.consent.test_disclosure::test_the_disclosure_list_has_constant_queries",
    "visitation:list": "tests.consent.test_visitation::test_the_visitation_list_has_constant_queries",
    "visitation:detail": "tests.consent.test_visitation::test_the_sample_list_has_constant_queries",
    "recipients:list": "tests.consent.test_recipients::test_the_recipient_list_has_constant_queries",
    # audit, privacy office, retention
    "audit:viewer": "tests.test_list_queries_more::test_the_audit_viewer_costs_the_same_for_three_more_actors",
    "privacy:breach_register": "tests.privacy.test_breaches::test_register_and_inbox_lists_take_constant_queries",
    "privacy:complaint_list": "tests.privacy.test_complaints::test_complaint_list_takes_constant_queries",
    "privacy:complaint_mine": "tests.test_list_queries_more::test_my_complaints_cost_the_same_for_three",
    "privacy:register": "tests.test_list_queries_more::test_the_processing_register_costs_the_same_for_three_activities",
    "privacy:processor_list": "tests.privacy.test_processors::test_processor_list_takes_constant_queries",
    "privacy:rights_register": "tests.privacy.test_rights_flow::test_the_register_costs_the_same_queries_for_one_or_three_requests",
    "privacy:rights_mine": "tests.test_list_queries_more::test_my_rights_requests_cost_the_same_for_three",
    "retention:schedule": "tests.test_list_queries_more::test_the_retention_schedule_costs_the_same_for_three_rules_and_changes",
    "retention:holds": "tests.retention.test_office::test_holds_list_costs_the_same_for_one_or_three",
    # reports (figures per group: the same queries however many employees or employers)
    "reporting:dashboard": "tests.reporting.test_dashboard::test_the_dashboard_costs_the_same_queries_for_more_employees",
    "reporting:management": "tests.reporting.test_management::test_the_management_view_costs_the_same_queries_for_more_employers",
    # API
    "api:employee_list": "tests.absence.test_constant_queries::test_api_lists_cost_the_same_for_one_and_three_rows",
    "api:absence_list": "tests.absence.test_constant_queries::test_api_lists_cost_the_same_for_one_and_three_rows",
    "api:client_list": "tests.test_list_queries_more::test_the_api_client_list_costs_the_same_for_three_clients",
}


def _names(text: str) -> set[str]:
    return set(text.split())


#: Every other named URL, by why it is not a list.
NOT_LISTS: dict[str, set[str]] = {
    "a form, or an action answering a POST (it lists nothing, or only the form's choices)": _names(
        """
        home set_language identity:user_new identity:invitation_resend identity:invitation_accept
        identity:team_join identity:team_leave identity:doctor_team_add identity:doctor_team_end
        identity:user_deactivate identity:user_reset_mfa identity:function_request
        identity:declaration_record identity:leaving_record identity:function_approve
        identity:function_reject identity:function_revoke registry:employer_create registry:employer_edit
        registry:employee_create registry:employee_edit registry:roster_upload registry:roster_commit
        access:matrix_change_approve access:matrix_change_reject care:break_the_glass
        care:emergency_mark_reviewed care:request_treating_doctor care:care_request_approve
        care:care_request_reject care:care_request_withdraw care:consult_colleague journal:add_entry
        medical:add_note medical:plan medical:record_past medical:file_letter medical:add_information_consent
        medical:add_information_request medical:add_fml medical:employer_released medical:reschedule
        medical:cancel medical:held medical:no_show medical:set_reason medical:save_advice
        medical:release_advice medical:record_report_consent medical:add_slots medical:delete_slot
        medical:paper_destroyed medical:withdraw_information_consent medical:answer_information_request
        medical:mine_advice_seen medical:mine_advice_consent absence:calculator absence:document_new
        absence:document_edit absence:document_finalise absence:document_release absence:document_review
        absence:report_sick absence:report_recovery absence:therapeutic_work absence:withdraw
        absence:correct_period absence:correct_recovery absence:assign_casemanager absence:complete_milestone
        absence:record_deviation prevention:add_periodic_exam prevention:add_exposure
        prevention:add_pre_employment_exam prevention:applicant_informed prevention:release_decision
        consent:withdraw consent:visitation_objection consent:compose consent:disclosure_consent
        visitation:end recipients:create recipients:edit privacy:breach_report privacy:breach_assess
        privacy:breach_decide privacy:breach_notice privacy:breach_affected privacy:breach_letters
        privacy:breach_posted privacy:breach_measures privacy:breach_close privacy:complaint_register
        privacy:complaint_file privacy:complaint_assign privacy:complaint_acknowledge
        privacy:complaint_extend privacy:complaint_decide privacy:register_edit privacy:processor_new
        privacy:support_window_grant privacy:support_window_revoke privacy:rights_new privacy:rights_file
        privacy:rights_identity privacy:rights_extend privacy:rights_send_for_review privacy:rights_review
        privacy:rights_decide privacy:rights_lift privacy:rights_posted retention:lift retention:change
        retention:decide
        api:absence_recovery api:client_create api:client_revoke
        """
    ),
    "one object, or one person's page whose lists have their own URL above (tabs, registers)": _names(
        """
        identity:user_detail registry:employer_detail registry:employee_detail registry:my_data
        registry:roster_preview registry:roster_progress medical:consultation_detail absence:case_detail
        absence:document_detail absence:uwv_sheet prevention:applicant prevention:outcome portal:letter
        visitation:file privacy:breach_detail privacy:complaint_detail privacy:processor_detail
        privacy:rights_detail privacy:rights_download_page privacy:statement privacy:statement_version privacy:support_home
        api:employee_detail api:absence_detail
        """
    ),
    "a fixed table or figures, not rows per object (the matrix, counts, a computed timeline)": _names(
        """
        access:matrix privacy:home retention:dry_run reporting:research api:poortwachter_timeline
        api:privacy_deadline api:privacy_retention api:reports_absence api-schema api-docs
        """
    ),
    "a download of one document or of a list page's rows (files, PDFs, CSV, iCalendar)": _names(
        """
        identity:access_review_csv medical:invitation_pdf medical:invitation_ics medical:letter_download
        absence:uwv_sheet_pdf absence:document_pdf consent:download privacy:breach_ap_json
        privacy:breach_ap_pdf privacy:register_csv privacy:register_pdf privacy:rights_letter
        privacy:rights_download privacy:rights_staff_package reporting:export
        """
    ),
    "outside the application: allauth's account and MFA pages, health checks, static files": _names(
        """
        account_login account_logout account_inactive account_signup account_reauthenticate account_email
        account_email_verification_sent account_change_password account_set_password account_reset_password
        account_confirm_login_code account_confirm_email account_reset_password_from_key_done
        account_reset_password_from_key account_reset_password_done mfa_index mfa_authenticate
        mfa_reauthenticate mfa_activate_totp mfa_deactivate_totp mfa_view_recovery_codes
        mfa_generate_recovery_codes mfa_download_recovery_codes mfa_list_webauthn mfa_add_webauthn
        mfa_reauthenticate_webauthn mfa_remove_webauthn mfa_edit_webauthn usersessions_list healthz readyz
        favicon
        """
    ),
}


def _url_names() -> set[str]:
    return {f"{ns}:{name}" if ns else name for ns, name, _route in all_routes() if name}


def test_every_named_url_is_a_counted_list_or_says_why_it_is_not() -> None:
    placed = list(LISTS) + [name for names in NOT_LISTS.values() for name in names]
    doubled = sorted({name for name in placed if placed.count(name) > 1})
    assert doubled == [], f"placed twice: {doubled}"
    names = _url_names()
    unplaced = sorted(names - set(placed))
    assert unplaced == [], (
        f"new URLs: a list needs a constant-query test named in LISTS, anything else a place in NOT_LISTS: {unplaced}"
    )
    gone = sorted(set(placed) - names)
    assert gone == [], f"no longer in the URLconf: {gone}"


def test_each_named_test_exists_and_counts_queries() -> None:
    for url_name, reference in LISTS.items():
        module_name, function_name = reference.split("::")
        function = getattr(importlib.import_module(module_name), function_name, None)
        assert callable(function), f"{url_name}: {reference} does not exist"
        source = inspect.getsource(function)
        assert re.search(r"quer|_count\(", source), f"{url_name}: {reference} does not count queries"
