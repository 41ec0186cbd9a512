# pragma version ~=0.4.3
"""
@title model_registry
@license AGPL-3.0-only
@notice The Launchpad's registry of model types (SPEC §2): the admin registers a model type once
        (its raise bounds and how a raise is split can never change afterwards) and may disable
        it for new launches. A launch copies what it needs at creation, so neither call can alter
        a sale under way.
"""

from contracts.auth import roles

uses: roles

BPS: constant(uint256) = 10_000
WAD: constant(uint256) = 10**18
# Hard bounds on a model type's raise.
MIN_RAISE_FLOOR: constant(uint256) = 1_000 * WAD
MAX_RAISE_CAP: constant(uint256) = 100_000_000 * WAD


struct ModelType:
    base_model: String[64]
    pricing_tier: bytes32
    min_raise: uint256
    max_raise: uint256
    lp_bps: uint256
    reserved_bps: uint256
    protocol_bps: uint256
    enabled: bool


event ModelTypeRegistered:
    modelTypeId: indexed(bytes32)
    baseModel: String[64]
    pricingTier: bytes32
    minRaise: uint256
    maxRaise: uint256
    lpBps: uint256
    reservedBps: uint256
    protocolBps: uint256

event ModelTypeEnabled:
    modelTypeId: indexed(bytes32)
    enabled: bool


model_types: public(HashMap[bytes32, ModelType])
model_type_count: public(uint256)
model_type_at: public(HashMap[uint256, bytes32])



@external
def register_model_type(
    model_type_id: bytes32,
    base_model: String[64],
    pricing_tier: bytes32,
    min_raise: uint256,
    max_raise: uint256,
    lp_bps: uint256,
    reserved_bps: uint256,
    protocol_bps: uint256,
):
    """
    @notice Register a model type. Admin only. Its parameters can never change afterwards
            (it can only be disabled for new launches).
    @param model_type_id keccak256 of `base_model` (checked).
    @param base_model Base model name, e.g. "qwen3-30b-a3b-instruct".
    @param pricing_tier Off-chain pricing tier id.
    @param min_raise Minimum raise in FLOCK wei (>= 1,000 FLOCK).
    @param max_raise Maximum raise in FLOCK wei (min_raise <= max_raise <= 100M FLOCK).
    @param lp_bps Share of the raise paired in the DEX pool (> 5000).
    @param reserved_bps Share sent to the RewardDistributor as Reserved FLOCK.
    @param protocol_bps Share sent to the treasury; the three sum to 10000.
    """
    roles._check_admin()
    assert model_type_id == keccak256(base_model), "id mismatch"
    assert self.model_types[model_type_id].max_raise == 0, "model type exists"
    assert min_raise >= MIN_RAISE_FLOOR, "min raise too low"
    assert min_raise <= max_raise, "min above max"
    assert max_raise <= MAX_RAISE_CAP, "max raise too high"
    assert lp_bps > 5000, "lp share too low"
    assert lp_bps + reserved_bps + protocol_bps == BPS, "shares must sum to 10000"
    self.model_types[model_type_id] = ModelType(
        base_model=base_model,
        pricing_tier=pricing_tier,
        min_raise=min_raise,
        max_raise=max_raise,
        lp_bps=lp_bps,
        reserved_bps=reserved_bps,
        protocol_bps=protocol_bps,
        enabled=True,
    )
    n: uint256 = self.model_type_count
    self.model_type_at[n] = model_type_id
    self.model_type_count = n + 1
    log ModelTypeRegistered(
        modelTypeId=model_type_id,
        baseModel=base_model,
        pricingTier=pricing_tier,
        minRaise=min_raise,
        maxRaise=max_raise,
        lpBps=lp_bps,
        reservedBps=reserved_bps,
        protocolBps=protocol_bps,
    )


@external
def set_model_type_enabled(model_type_id: bytes32, enabled: bool):
    """
    @notice Allow or stop new launches of a model type. Admin only; live launches are unaffected.
    @param model_type_id The model type.
    @param enabled Whether `create_launch` accepts it.
    """
    roles._check_admin()
    assert self.model_types[model_type_id].max_raise != 0, "unknown model type"
    self.model_types[model_type_id].enabled = enabled
    log ModelTypeEnabled(modelTypeId=model_type_id, enabled=enabled)
