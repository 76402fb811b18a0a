"""Who may open which page: the gate lives in `oneseal.core.access`, where every layer can
use it (docs/adr/0003-layers.md); re-exported here for the modules that import it from
accounts."""

from oneseal.core.access import (
    OTP_VERIFY_URL,
    has_any_role,
    needs_second_factor,
    require_roles,
    staff_required,
    verified_login_required,
)

__all__ = ["OTP_VERIFY_URL", "has_any_role", "needs_second_factor", "require_roles",
           "staff_required", "verified_login_required"]
