"""The reward calculator's file format: whole-token decimal strings in, exact strings out.

This is the human-facing schema of ``fomo rewards day`` (documented in
``docs/reward-calculator.md``). It is pure: it turns an already-parsed JSON mapping into a
:class:`~fomo.economics.day.DayInput` (base units) and a :class:`~fomo.economics.day.DayResult`
back into a JSON-ready mapping. Reading files and printing belong to the CLI.

Amounts are decimal strings (JSON numbers are accepted too when the JSON was parsed with
``parse_float=Decimal``; binary floats are refused because ``0.1`` is not 0.1). Token amounts are
whole tokens with at most 18 decimals, USD amounts at most 9 (nano-USD). Outputs are exact
decimal strings floored to 18 decimals.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from fomo.economics.day import DayInput, DayResult, DeploymentInput, ParticipantInput
from fomo.economics.exact import floor_to_places
from fomo.economics.params import DEFAULT_PARAMS, ISSUER_BONUS_MAX_BPS, EconomicsParams
from fomo.economics.units import FLOCK_DECIMALS, NANO_PER_USD, format_units

OUTPUT_PLACES = 18
_UINT256 = 2**256
_MAX_EXPONENT = 80


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError(
            f'must be a decimal string such as "1.5" (got the binary number {value!r})'
        )
    if isinstance(value, int | Decimal):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"must be a decimal number (got {value!r})") from None
    else:
        raise ValueError(f"must be a decimal string (got {type(value).__name__})")
    if not d.is_finite():
        raise ValueError(f"must be a finite number (got {value!r})")
    if d < 0:
        raise ValueError(f"must not be negative (got {value!r})")
    # Refuse absurd exponents before anything turns them into million-digit integers.
    if d and abs(d.adjusted()) > _MAX_EXPONENT:
        raise ValueError(f"is out of range (got {value!r})")
    return d


def _scaled(places: int, what: str) -> BeforeValidator:
    def parse(value: object) -> int:
        # Fraction, not Decimal.scaleb: scaleb rounds to the ambient context's precision.
        scale: int = 10**places
        scaled = Fraction(_decimal(value)) * scale
        if scaled.denominator != 1:
            raise ValueError(f"{what} has at most {places} decimal places (got {value!r})")
        if scaled.numerator >= _UINT256:
            raise ValueError(f"{what} does not fit in 256 bits of base units (got {value!r})")
        return scaled.numerator

    return BeforeValidator(parse)


def _ratio(value: object) -> Fraction:
    if isinstance(value, str) and "/" in value:
        # Exact rationals such as an age of 1/3 day round-trip as "n/d".
        try:
            q = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"must be a decimal or a fraction n/d (got {value!r})") from None
        if q < 0:
            raise ValueError(f"must not be negative (got {value!r})")
        if max(q.numerator, q.denominator) >= _UINT256:
            raise ValueError(f"is out of range (got {value!r})")
        return q
    return Fraction(_decimal(value))


TokenAmount = Annotated[int, _scaled(FLOCK_DECIMALS, "a token amount")]
"""Whole tokens as a decimal string → base units (wei)."""
UsdAmount = Annotated[int, _scaled(9, "a USD amount")]
"""USD as a decimal string → nano-USD."""
Ratio = Annotated[Fraction, BeforeValidator(_ratio)]
"""A non-negative decimal string (or ``"n/d"``) → exact Fraction."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class ParticipantIn(_Strict):
    account: str = Field(min_length=1)
    gross_spend_usd: UsdAmount
    stake: TokenAmount = 0
    effective_gmflock: TokenAmount = 0
    multiplier: Ratio | None = None


class DeploymentIn(_Strict):
    token: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    age_days: Ratio
    paid_revenue_usd: UsdAmount
    reserved_flock_released: TokenAmount = 0
    mt_reward_released: TokenAmount = 0
    alpha: Ratio | None = None
    participants: list[ParticipantIn] = Field(default_factory=list)


class DayFile(_Strict):
    global_emission: TokenAmount | None = None
    issuer_bonus_bps: int | None = Field(None, ge=0, le=ISSUER_BONUS_MAX_BPS, strict=True)
    params: dict[str, Any] = Field(default_factory=dict)
    deployments: list[DeploymentIn]


class DayFileError(ValueError):
    """Bad calculator input; the message is one or more plain sentences naming each field."""


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "input"


def explain(exc: ValidationError, prefix: str = "") -> str:
    """A pydantic error as sentences: ``field.path: what is wrong.``"""
    lines = []
    for err in exc.errors(include_url=False):
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "is not a known field"
        elif err["type"] == "missing":
            msg = "is required"
        loc = _loc(tuple(err["loc"]))
        lines.append(f"{prefix}{loc}: {msg}.")
    return "\n".join(lines)


def parse_day(data: Mapping[str, Any]) -> tuple[DayInput, EconomicsParams]:
    """Validate a calculator input mapping. Raises :class:`DayFileError` with readable text."""
    if not isinstance(data, Mapping):
        raise DayFileError("input: must be a JSON object.")
    try:
        f = DayFile.model_validate(data)
    except ValidationError as exc:
        raise DayFileError(explain(exc)) from None
    try:
        params = DEFAULT_PARAMS.with_overrides(f.params) if f.params else DEFAULT_PARAMS
    except ValidationError as exc:
        raise DayFileError(explain(exc, prefix="params.")) from None
    day = DayInput(
        deployments=tuple(
            DeploymentInput(
                token=d.token,
                issuer=d.issuer,
                age_days=d.age_days,
                paid_revenue=d.paid_revenue_usd,
                reserved_flock_released=d.reserved_flock_released,
                mt_reward_released=d.mt_reward_released,
                alpha=d.alpha,
                participants=tuple(
                    ParticipantInput(
                        account=p.account,
                        gross_spend=p.gross_spend_usd,
                        stake=p.stake,
                        effective_gmflock=p.effective_gmflock,
                        multiplier=p.multiplier,
                    )
                    for p in d.participants
                ),
            )
            for d in f.deployments
        ),
        global_emission=f.global_emission,
        issuer_bonus_bps=f.issuer_bonus_bps,
    )
    return day, params


def _ratio_str(q: Fraction) -> str:
    """Exact text of a ratio: a plain decimal when it has one, else ``"n/d"``."""
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        return f"{q.numerator}/{q.denominator}"
    places = 0
    while (q * 10**places).denominator != 1:
        places += 1
    return floor_to_places(q, places)


def _params_overrides(params: EconomicsParams) -> dict[str, Any]:
    ours = params.model_dump(mode="json")
    default = DEFAULT_PARAMS.model_dump(mode="json")
    return {k: v for k, v in ours.items() if v != default[k]}


def day_to_json(day: DayInput, params: EconomicsParams = DEFAULT_PARAMS) -> dict[str, Any]:
    """A :class:`DayInput` in this file format, exactly (``parse_day`` reads it back equal).

    The epoch engine can publish this as the epoch's input data; only parameters that differ
    from the defaults are written.
    """
    out: dict[str, Any] = {}
    if day.global_emission is not None:
        out["global_emission"] = format_units(day.global_emission, FLOCK_DECIMALS, strip=True)
    if day.issuer_bonus_bps is not None:
        out["issuer_bonus_bps"] = day.issuer_bonus_bps
    overrides = _params_overrides(params)
    if overrides:
        out["params"] = overrides
    out["deployments"] = []
    for d in day.deployments:
        dep: dict[str, Any] = {
            "token": d.token,
            "issuer": d.issuer,
            "age_days": _ratio_str(d.age_days),
            "paid_revenue_usd": format_units(d.paid_revenue, 9, strip=True),
            "reserved_flock_released": format_units(
                d.reserved_flock_released, FLOCK_DECIMALS, strip=True
            ),
            "mt_reward_released": format_units(d.mt_reward_released, FLOCK_DECIMALS, strip=True),
        }
        if d.alpha is not None:
            dep["alpha"] = _ratio_str(d.alpha)
        dep["participants"] = []
        for p in d.participants:
            part: dict[str, Any] = {
                "account": p.account,
                "gross_spend_usd": format_units(p.gross_spend, 9, strip=True),
                "stake": format_units(p.stake, FLOCK_DECIMALS, strip=True),
                "effective_gmflock": format_units(p.effective_gmflock, FLOCK_DECIMALS, strip=True),
            }
            if p.multiplier is not None:
                part["multiplier"] = _ratio_str(p.multiplier)
            dep["participants"].append(part)
        out["deployments"].append(dep)
    return out


def _tok(wei: int) -> str:
    return floor_to_places(Fraction(wei, 10**FLOCK_DECIMALS), OUTPUT_PLACES)


def _q(x: Fraction) -> str:
    return floor_to_places(x, OUTPUT_PLACES)


def result_to_json(result: DayResult) -> dict[str, Any]:
    """The result as JSON-ready data: every number an exact decimal string floored to 18 places."""
    return {
        "global_emission": _tok(result.global_emission),
        "issuer_bonus_bps": result.issuer_bonus_bps,
        "emission_allocated": _tok(result.emission_allocated),
        "emission_paid": _tok(result.emission_paid),
        "emission_dust": _tok(result.emission_dust),
        "deployments": [
            {
                "token": d.token,
                "issuer": d.issuer,
                "age_days": _q(d.age_days),
                "alpha": _q(d.alpha),
                "age_factor": _q(d.age_factor),
                "score": _q(d.score / NANO_PER_USD),
                "emission_share": _q(d.emission_share),
                "emission": _tok(d.emission),
                "issuer_bonus": _tok(d.issuer_bonus),
                "users_emission": _tok(d.users_emission),
                "global_paid": _tok(d.global_paid),
                "global_dust": _tok(d.global_dust),
                "reserved_flock_released": _tok(d.reserved_flock_released),
                "reserved_flock_paid": _tok(d.reserved_flock_paid),
                "reserved_flock_rolled_over": _tok(d.reserved_flock_rolled_over),
                "mt_reward_released": _tok(d.mt_reward_released),
                "mt_reward_paid": _tok(d.mt_reward_paid),
                "mt_reward_rolled_over": _tok(d.mt_reward_rolled_over),
                "participants": [
                    {
                        "account": p.account,
                        "usage_share": _q(p.usage_share),
                        "stake_share": _q(p.stake_share),
                        "alpha": _q(p.alpha),
                        "multiplier": _q(p.multiplier),
                        "global_score": _q(p.global_score),
                        "incentive_score": _q(p.incentive_score),
                        "global_share": _q(p.global_share),
                        "incentive_share": _q(p.incentive_share),
                        "global_flock": _tok(p.global_flock),
                        "reserved_flock": _tok(p.reserved_flock),
                        "mt_reward": _tok(p.mt_reward),
                    }
                    for p in d.participants
                ],
            }
            for d in result.deployments
        ],
    }
