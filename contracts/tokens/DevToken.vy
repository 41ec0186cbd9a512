# pragma version ~=0.4.3
"""
@title DevToken
@license AGPL-3.0-only
@notice ERC-20 + EIP-2612 dev token (FLOCK 18 decimals, USDC 6 decimals) for devnet and tests.
        Built on snekmate's `erc20` module (AGPL-3.0). Holders can `burn` (buybacks burn FLOCK
        through it: Transfer(to=0) and a lower totalSupply). The deployer is owner and minter and
        seeds balances with `mint`. A bounded public `faucet` exists only when it was enabled at
        deployment; the flag is immutable so a token deployed for a real chain can never grow one.
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed

implements: IERC20
implements: IERC20Detailed

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: erc20.__interface__


# The largest faucet cap a deployment may choose; keeps a mis-typed cap from minting unbounded
# amounts on a shared devnet (1e12 whole tokens of an 18-decimal token).
MAX_FAUCET_CAP: public(constant(uint256)) = 10**30

FAUCET_ENABLED: public(immutable(bool))
FAUCET_CAP: public(immutable(uint256))


event Faucet:
    caller: indexed(address)
    to: indexed(address)
    amount: uint256


@deploy
def __init__(
    name_: String[25],
    symbol_: String[5],
    decimals_: uint8,
    faucet_enabled_: bool,
    faucet_cap_: uint256,
):
    """
    @notice Deploy a dev token. The deployer becomes owner and minter.
    @param name_ Token name (also the EIP-712 domain name for permit).
    @param symbol_ Token symbol.
    @param decimals_ Decimal places (18 for FLOCK, 6 for USDC).
    @param faucet_enabled_ Whether `faucet` works; immutable, false on any real chain.
    @param faucet_cap_ Largest amount one `faucet` call may mint (base units).
    """
    assert decimals_ <= 36, "bad decimals"
    assert faucet_cap_ <= MAX_FAUCET_CAP, "faucet cap too high"
    if faucet_enabled_:
        assert faucet_cap_ > 0, "zero faucet cap"
    ownable.__init__()
    erc20.__init__(name_, symbol_, decimals_, name_, "1")
    FAUCET_ENABLED = faucet_enabled_
    FAUCET_CAP = faucet_cap_


@external
def faucet(to: address, amount: uint256):
    """
    @notice Mint up to `FAUCET_CAP` tokens to `to`. Anyone may call; only where enabled.
    @param to Receiver of the new tokens.
    @param amount Amount in base units, 0 < amount <= FAUCET_CAP.
    """
    assert FAUCET_ENABLED, "faucet disabled"
    assert amount > 0, "zero amount"
    assert amount <= FAUCET_CAP, "over faucet cap"
    erc20._mint(to, amount)
    log Faucet(caller=msg.sender, to=to, amount=amount)
