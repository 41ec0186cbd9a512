"""Hard bounds of the gateway's integer inputs, shared by the handlers (fomo.gateway.routes_*)
and the OpenAPI declarations (fomo.gateway.openapi) so the schema states exactly what is
accepted."""

MAX_USAGE_DAYS = 3660
"""``GET /v1/account/usage?days=``: ten years of daily rows is more than any account has."""
MAX_KEY_ID = 2**63 - 1
"""Key ids are 64-bit database ids; a larger number cannot name a key (and overflows SQLite)."""
MAX_KEY_LIMIT = 2**31 - 1
"""Per-key rpm/tpm limits are stored as 32-bit integers."""
