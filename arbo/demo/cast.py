"""The demo cast: who logs in to the demo arbodienst, and with which credentials.

Demo only: the passwords and TOTP secrets below are public (they are printed by ``seed_demo`` and
listed in the README). ``seed_demo`` refuses to run with DEBUG off unless forced.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from arbo.identity.roles import StaffFunction as F

DEMO_PASSWORD = "Arbo-demo-2026!"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    kind: str  # identity.User.Kind value
    functions: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()  # demo employer keys ("bakkerij", "bouw")


EMPLOYERS = {
    "bakkerij": {"name": "Bakkerij De Gouden Korst BV", "kvk_number": "12345678", "city": "Utrecht"},
    "bouw": {"name": "Bouwbedrijf Van Dijk & Zonen BV", "kvk_number": "87654321", "city": "Zwolle"},
}

CAST: tuple[DemoPerson, ...] = (
    DemoPerson("bram.arts", "Bram", "de Vries", "staff", (F.BEDRIJFSARTS,), ("bakkerij", "bouw")),
    DemoPerson("carla.cm", "Carla", "Jansen", "staff", (F.CASEMANAGER,), ("bakkerij", "bouw")),
    DemoPerson("tim.td", "Tim", "Bakker", "staff", (F.CASEMANAGER_TAAKDELEGATIE,), ("bakkerij",)),
    DemoPerson("vera.vm", "Vera", "Visser", "staff", (F.VERZUIMMEDEWERKER,), ("bakkerij", "bouw")),
    DemoPerson("sara.sec", "Sara", "Smit", "staff", (F.SECRETARIAAT,), ("bakkerij", "bouw")),
    DemoPerson("anna.beheer", "Anna", "Meijer", "staff", (F.APPLICATIEBEHEERDER,), ()),
    DemoPerson("piet.privacy", "Piet", "Mulder", "staff", (F.PRIVACY_OFFICER,), ()),
    DemoPerson("dirk.directeur", "Dirk", "de Boer", "staff", (F.DIRECTEUR,), ()),
    DemoPerson("paul.planner", "Paul", "Koster", "staff", (F.PLANNER,), ("bakkerij", "bouw")),
    DemoPerson("mia.mm", "Mia", "Dekker", "staff", (F.MEDISCH_MANAGER,), ("bakkerij", "bouw")),
    DemoPerson("wim.hr", "Wim", "Peters", "employer", (), ("bakkerij",)),
    DemoPerson("hanna.hr", "Hanna", "Hendriks", "employer", (), ("bouw",)),
    DemoPerson("eva.werknemer", "Eva", "van Leeuwen", "employee", (), ("bakkerij",)),
)


def totp_secret(username: str) -> str:
    """A fixed, public base32 TOTP secret per demo user, so the README can list it."""
    digest = hashlib.sha256(f"arbodossier-demo:{username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def person(username: str) -> DemoPerson:
    return next(p for p in CAST if p.username == username)
