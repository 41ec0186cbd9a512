# pragma version ~=0.4.3
"""
@title ModelToken
@license AGPL-3.0-only
@notice The fixed-supply Model Token ($MT) of one deployment (SPEC §3): ERC-20 + EIP-2612
        permit, 18 decimals, burnable by holders. Minted exactly once, with `mint_once`; after
        that call minting is closed forever, so `totalSupply` is the whole truth about how many
        MT exist (unsold sale MT and unused LP MT are simply never minted).
        The Launchpad deploys one implementation of this contract (from a blueprint, so the
        Launchpad is its `minter`) and every launch's token is an EIP-1167 minimal proxy to it,
        named once with `initialize` in `create_launch`. A proxy shares the implementation's
        immutables (`minter`, decimals), so name and symbol are per-token storage, packed in
        two slots, and the EIP-712 domain (name = the token's name, as before) is built from
        them. Deployed directly (tests), the deployer is the minter and the constructor names it.
        Built on snekmate's `erc20` module (AGPL-3.0); snekmate's own `mint`/`set_minter`/
        ownership functions are not exported, so no account can ever mint again, and its
        `permit` is replaced by one whose domain name is read from storage.
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
    erc20.nonces,
)

from snekmate.utils import ecdsa

# snekmate caps name/symbol at 25/5 characters and keeps them in immutables (shared by every
# proxy), so its placeholders are not exported and the metadata lives in storage:
# `_name_word` holds the name's bytes left-aligned; `_meta` holds the symbol's bytes in its top
# 16 bytes, the name length in bits 8-15, the symbol length in bits 0-7 (0 = not named yet) and
# "minting closed" in bit 16 (so closing minting rewrites a live slot instead of a fresh one).
_name_word: bytes32
_meta: uint256
# The Launchpad that deployed the implementation (or the direct deployer): the only account that
# may call `initialize` and `mint_once`. Immutable, so every proxy shares it.
minter: public(immutable(address))
MINTING_CLOSED_BIT: constant(uint256) = 1 << 16

MAX_RECIPIENTS: constant(uint256) = 8
_EIP712_TYPE_HASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
_PERMIT_TYPE_HASH: constant(bytes32) = keccak256(
    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)
_HASHED_VERSION: constant(bytes32) = keccak256("1")


event MintingClosed:
    total_minted: uint256


@deploy
def __init__(name_: String[32], symbol_: String[16]):
    """
    @notice Deploy an unminted Model Token; the deployer becomes the minter.
    @dev Deployed by the Launchpad this is the implementation every launch's proxy runs.
    @param name_ Token name, also the EIP-712 domain name used by `permit`.
    @param symbol_ Token symbol (ticker).
    """
    ownable.__init__()
    erc20.__init__("FOMO Model Token", "MT", 18, "FOMO Model Token", "1")
    minter = msg.sender
    self._set_metadata(name_, symbol_)


@internal
def _set_metadata(name_: String[32], symbol_: String[16]):
    assert len(name_) > 0, "empty name"
    assert len(symbol_) > 0, "empty symbol"
    self._name_word = convert(convert(name_, Bytes[32]), bytes32)
    symbol_word: uint256 = convert(convert(convert(symbol_, Bytes[16]), bytes32), uint256)
    self._meta = symbol_word | (len(name_) << 8) | len(symbol_)


@external
def initialize(name_: String[32], symbol_: String[16]):
    """
    @notice Name a freshly created proxy. Minter only, once per token.
    @dev The Launchpad calls this in `create_launch`, in the transaction that creates the proxy.
    @param name_ Token name, also the EIP-712 domain name used by `permit`.
    @param symbol_ Token symbol (ticker).
    """
    assert msg.sender == minter, "not minter"
    assert self._meta == 0, "already initialized"
    self._set_metadata(name_, symbol_)


@internal
@view
def _name() -> String[32]:
    n: uint256 = (self._meta >> 8) & 255
    return convert(slice(self._name_word, 0, n), String[32])


@external
@view
def name() -> String[32]:
    """
    @notice The token's name.
    """
    return self._name()


@external
@view
def symbol() -> String[16]:
    """
    @notice The token's symbol (ticker).
    """
    meta: uint256 = self._meta
    return convert(slice(convert(meta, bytes32), 0, meta & 255), String[16])


@internal
@view
def _domain_separator() -> bytes32:
    return keccak256(
        abi_encode(
            _EIP712_TYPE_HASH, keccak256(self._name()), _HASHED_VERSION, chain.id, self
        )
    )


@external
@view
def DOMAIN_SEPARATOR() -> bytes32:
    """
    @notice The EIP-712 domain separator of `permit` (name = the token's name, version "1").
    """
    return self._domain_separator()


@external
@view
def eip712Domain() -> (bytes1, String[50], String[20], uint256, address, bytes32, DynArray[uint256, 32]):
    """
    @notice EIP-5267 description of the EIP-712 domain (name, version, chain id, this contract).
    """
    return (0x0f, self._name(), "1", chain.id, self, empty(bytes32), empty(DynArray[uint256, 32]))


@external
def permit(
    owner: address,
    spender: address,
    amount: uint256,
    deadline: uint256,
    v: uint8,
    r: bytes32,
    s: bytes32,
):
    """
    @notice EIP-2612: set `spender`'s allowance over `owner`'s tokens from `owner`'s signature.
    @dev Same checks and messages as snekmate's `permit`, with this token's own domain.
    @param owner The signer whose tokens are approved.
    @param spender The approved account.
    @param amount The allowance.
    @param deadline Latest block timestamp the signature is valid for.
    @param v Signature v.
    @param r Signature r.
    @param s Signature s.
    """
    assert block.timestamp <= deadline, "erc20: expired deadline"
    nonce: uint256 = erc20.nonces[owner]
    erc20.nonces[owner] = unsafe_add(nonce, 1)
    struct_hash: bytes32 = keccak256(
        abi_encode(_PERMIT_TYPE_HASH, owner, spender, amount, nonce, deadline)
    )
    digest: bytes32 = keccak256(concat(x"1901", self._domain_separator(), struct_hash))
    signer: address = ecdsa._recover_vrs(
        digest, convert(v, uint256), convert(r, uint256), convert(s, uint256)
    )
    assert signer == owner, "erc20: invalid signature"
    erc20._approve(owner, spender, amount)


@external
@view
def minting_closed() -> bool:
    """
    @notice Whether `mint_once` has run (then no MT can ever be minted again).
    """
    return self._meta & MINTING_CLOSED_BIT != 0


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
    meta: uint256 = self._meta
    assert meta & MINTING_CLOSED_BIT == 0, "minting closed"
    assert len(receivers) == len(amounts), "length mismatch"
    self._meta = meta | MINTING_CLOSED_BIT
    for i: uint256 in range(len(receivers), bound=MAX_RECIPIENTS):
        erc20._mint(receivers[i], amounts[i])
    log MintingClosed(total_minted=erc20.totalSupply)
