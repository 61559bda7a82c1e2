"""Print the current TOTP code of a demo user, so the demo can be tried without a phone."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from arbo.demo.cast import CAST, totp_secret


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (DEBUG only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", choices=[p.username for p in CAST])

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_totp is for the demo only; DEBUG is off.")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(totp_secret(username), counter)))
