# pragma version ~=0.4.3
"""
@title ModelToken
@license AGPL-3.0-only
@notice The fixed-supply Model Token ($MT) of one deployment (SPEC §3): ERC-20 + EIP-2612
        permit, 18 decimals, burnable by holders. The Launchpad deploys it from a blueprint at
        `create_launch` with zero supply and mints it exactly once, at graduation, with
        `mint_once`; after that call minting is closed forever, so `totalSupply` is the whole
        truth about how many MT exist (unsold sale MT and unused LP MT are simply never minted).
        Built on snekmate's `erc20` module (AGPL-3.0); snekmate's own `mint`/`set_minter`/
        ownership functions are not exported, so no account can ever mint again.
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed
from contracts.interfaces import IBurnableERC20

implements: IERC20
implements: IERC20Detailed
implements: IBurnableERC20

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: (
    erc20.transfer,
    erc20.transferFrom,
    erc20.approve,
    erc20.balanceOf,
    erc20.allowance,
    erc20.totalSupply,
    erc20.decimals,
    erc20.burn,
    erc20.burn_from,
    erc20.permit,
    erc20.nonces,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
)

# snekmate caps name/symbol at 25/5 characters; tickers such as "QWENALICE" are longer, so the
# metadata lives here and snekmate's immutables hold a fixed placeholder that is not exported.
name: public(immutable(String[32]))
symbol: public(immutable(String[16]))
# The Launchpad that deployed this token; the only account that may call `mint_once`.
minter: public(immutable(address))
minting_closed: public(bool)

MAX_RECIPIENTS: constant(uint256) = 8


event MintingClosed:
    total_minted: uint256


@deploy
def __init__(name_: String[32], symbol_: String[16]):
    """
    @notice Deploy an unminted Model Token; the deployer (the Launchpad) becomes the minter.
    @param name_ Token name, also the EIP-712 domain name used by `permit`.
    @param symbol_ Token symbol (ticker).
    """
    assert len(name_) > 0, "empty name"
    assert len(symbol_) > 0, "empty symbol"
    ownable.__init__()
    erc20.__init__("FOMO Model Token", "MT", 18, name_, "1")
    name = name_
    symbol = symbol_
    minter = msg.sender


@external
def mint_once(
    receivers: DynArray[address, MAX_RECIPIENTS], amounts: DynArray[uint256, MAX_RECIPIENTS]
):
    """
    @notice Mint the whole supply in one call, then close minting forever.
    @dev Minter (the Launchpad, at graduation) only. A second call reverts "minting closed".
    @param receivers Receivers of the new tokens.
    @param amounts Amount for each receiver (base units), same length as `receivers`.
    """
    assert msg.sender == minter, "not minter"
    assert not self.minting_closed, "minting closed"
    assert len(receivers) == len(amounts), "length mismatch"
    self.minting_closed = True
    for i: uint256 in range(len(receivers), bound=MAX_RECIPIENTS):
        erc20._mint(receivers[i], amounts[i])
    log MintingClosed(total_minted=erc20.totalSupply)
