"""Models of the access app. Care relationships and break-the-glass live in models_care.py."""

from arbo.access.models_care import CareRelationship, DoctorTeamMember, EmergencyAccess  # noqa: F401
from arbo.access.models_matrix import Level, MatrixCell, MatrixChangeRequest, MatrixVersion  # noqa: F401
