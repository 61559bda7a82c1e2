"""arbo.identity.adapter.MFAAdapter: secrets encrypted at rest, TOTP cannot be switched off."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP
from django.test import override_settings

from tests import factories as f
from tests.identity import flows
from tests.identity.flows import ACTIVATE_URL, code_at, logged_in_user_id, password_step, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_mfa_adapter")]


@pytest.fixture
def _mfa_adapter():  # type: ignore[no-untyped-def]
    with override_settings(MFA_ADAPTER="arbo.identity.adapter.MFAAdapter"):
        yield


def test_enrolment_stores_the_secrets_encrypted(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    password_step(client, casemanager_carla.username)
    client.get(ACTIVATE_URL)
    secret = client.session[SECRET_SESSION_KEY]
    assert client.post(ACTIVATE_URL, {"code": code_at(secret)})["Location"] == "/accounts/2fa/recovery-codes/"

    totp = Authenticator.objects.get(user=casemanager_carla, type=Authenticator.Type.TOTP)
    rc = Authenticator.objects.get(user=casemanager_carla, type=Authenticator.Type.RECOVERY_CODES)
    assert totp.data["secret"].startswith("v1:")
    assert secret not in totp.data["secret"]
    assert rc.data["seed"].startswith("v1:")
    codes = RecoveryCodes(rc).get_unused_codes()
    assert len(codes) == 10

    client.post("/accounts/logout/")
    flows.log_in(client, casemanager_carla, secret, code=code_at(secret, 30))
    client.post("/accounts/logout/")
    password_step(client, casemanager_carla.username)
    assert flows.code_step(client, codes[3])["Location"] == "/"
    assert logged_in_user_id(client) == casemanager_carla.pk


def test_secrets_stored_before_encryption_still_work(client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    Authenticator.objects.create(
        user=casemanager_carla, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    flows.log_in(client, casemanager_carla, secret)


def test_totp_cannot_be_switched_off(mfa_client, casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    client = mfa_client(casemanager_carla)
    reauth = client.get("/accounts/2fa/totp/deactivate/")["Location"]
    assert reauth.startswith("/accounts/reauthenticate/")
    client.post(reauth, {"password": f.TEST_PASSWORD})

    page = client.get("/accounts/2fa/totp/deactivate/")
    html = text(page)
    assert "Je kunt twee-factor-authenticatie niet deactiveren." in html
    assert "<button" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=casemanager_carla, type=Authenticator.Type.TOTP).exists()


def test_factories_and_allauth_share_the_adapter(casemanager_carla) -> None:  # type: ignore[no-untyped-def]
    secret = f.enrol_totp(casemanager_carla)
    instance = Authenticator.objects.get(user=casemanager_carla, type=Authenticator.Type.TOTP)
    assert instance.data["secret"].startswith("v1:")
    assert TOTP(instance).validate_code(code_at(secret))
