"""The read API over a database indexed from the indexer tests' anvil session."""

from tests.api.market_support import pool_trades  # noqa: F401  (pool swaps on ALPHA's pair)
from tests.indexer.conftest import (  # noqa: F401  (fixtures re-exported for this package)
    accounts,
    chain,
    db,
    node,
    pg_session,
    scenario,
    sqlite_db,
)
