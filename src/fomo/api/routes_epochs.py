"""Epoch and reward endpoints: the published data files, claimable amounts with proofs, and the
explainer (SPEC §8.5–§8.7). Data files are served byte for byte as written."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from fomo.api.routes_common import ERRORS, DbSession, parse_address
from fomo.db.models import Epoch as EpochRow
from fomo.db.models import GmLock, RewardClaim, Settlement
from fomo.economics.epoch_claims import claims_for
from fomo.economics.epoch_explain import LockInfo, explain
from fomo.economics.epoch_file import EpochDataError, EpochFile
from fomo.epochs import engine as eng
from fomo.epochs import gather

router = APIRouter(tags=["epochs"], responses=ERRORS)

DAY_PATTERN = r"^([0-9]{1,7}|[0-9]{4}-[0-9]{2}-[0-9]{2})$"
_DAY_HELP = "The epoch: a UTC day `YYYY-MM-DD` or its day number (days since 1970-01-01)."
Day = Annotated[str, Path(pattern=DAY_PATTERN, description=_DAY_HELP, examples=["2026-11-21"])]
DayQuery = Annotated[
    str | None, Query(pattern=DAY_PATTERN, description=_DAY_HELP + " Latest if omitted.")
]


class EpochOut(BaseModel):
    epoch: int = Field(description="Days since 1970-01-01 (UTC).")
    day: str = Field(description="The same day as YYYY-MM-DD.")
    status: str = Field(description="open → computed → proposed → live (or cancelled).")
    root: str | None = Field(description="Merkle root of the day's cumulative rewards.")
    emission_paid: str = Field(description="Emission paid for the day, base units.")
    data_sha256: str | None
    proposed_tx: str | None


class EpochList(BaseModel):
    epochs: list[EpochOut] = Field(description="Newest first.")
    files: list[str] = Field(description="Days with a published data file (YYYY-MM-DD).")


class RewardClaimOut(BaseModel):
    token: str = Field(description="Reward token (FLOCK or an MT).")
    cumulative: str = Field(description="Cumulative amount in the tree, base units.")
    claimed: str = Field(description="Already claimed (indexed), base units.")
    claimable: str = Field(description="cumulative − claimed.")
    proof: list[str] = Field(description="Merkle proof for RewardDistributor.claim.")


class Rewards(BaseModel):
    account: str
    epoch: int
    root: str
    claims: list[RewardClaimOut]


def _datadir(request: Request) -> FsPath:
    return FsPath(request.app.state.settings.data_dir)


def _day(day: str | None, datadir: FsPath) -> int:
    try:
        d = eng.parse_day(day) if day else eng.latest_day(datadir)
    except eng.EpochError as exc:
        raise HTTPException(422, str(exc)) from None
    if d is None:
        raise HTTPException(404, "no epoch has been published yet")
    return d


def _data(datadir: FsPath, epoch: int) -> bytes:
    try:
        return eng.load_day(datadir, epoch)
    except eng.EpochError as exc:
        raise HTTPException(404, str(exc)) from None


def _read(datadir: FsPath, epoch: int) -> EpochFile:
    try:
        return EpochFile.from_bytes(_data(datadir, epoch))
    except EpochDataError as exc:
        raise HTTPException(500, f"the data file of epoch {epoch} is malformed: {exc}") from None


@router.get("/api/epochs", response_model=EpochList)
def list_epochs(request: Request, session: DbSession) -> dict[str, Any]:
    """Every epoch the engine recorded, newest first, with status and root."""
    rows = session.scalars(select(EpochRow).order_by(EpochRow.epoch.desc())).all()
    return {
        "epochs": [
            {
                "epoch": r.epoch,
                "day": eng.day_label(r.epoch),
                "status": r.status,
                "root": r.merkle_root,
                "emission_paid": str(r.emission),
                "data_sha256": r.data_sha256,
                "proposed_tx": r.proposed_tx,
            }
            for r in rows
        ],
        "files": eng.list_days(_datadir(request)),
    }


@router.get("/api/epochs/{day}")
def get_epoch(day: Day, request: Request, session: DbSession) -> dict[str, Any]:
    """Operator view: revenue and settlements, emission per MT, roll-over/burns, top earners."""
    epoch = _day(day, _datadir(request))
    summ = eng.summary(_read(_datadir(request), epoch))
    row = session.get(EpochRow, epoch)
    summ["status"] = row.status if row is not None else "unknown"
    summ["settlements"] = [
        {
            "token": x.token,
            "paid_nano_usd": str(x.paid_nano_usd),
            "compute_cost_nano_usd": str(x.compute_cost_nano_usd),
            "net_nano_usd": str(x.net_nano_usd),
            "carry_forward_nano_usd": str(x.carry_forward_nano_usd),
            "usdc_amount": str(x.usdc_amount),
            "status": x.status,
            "tx_hash": x.tx_hash,
        }
        for x in session.scalars(select(Settlement).where(Settlement.epoch == epoch))
    ]
    return summ


@router.get(
    "/api/epochs/{day}/data",
    response_class=Response,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
def get_epoch_data(day: Day, request: Request) -> Response:
    """The epoch's data file, exactly the bytes `fomo epoch verify` checks."""
    epoch = _day(day, _datadir(request))
    return Response(_data(_datadir(request), epoch), media_type="application/json")


@router.get("/api/rewards/{account}", response_model=Rewards)
def get_rewards(
    account: str, request: Request, session: DbSession, day: DayQuery = None
) -> dict[str, Any]:
    """Cumulative amounts, already claimed (indexed), claimable and Merkle proofs per token."""
    acct = parse_address(account, "account")
    epoch = _day(day, _datadir(request))
    claimed: dict[str, int] = {}
    for row in session.scalars(select(RewardClaim).where(RewardClaim.account == acct)):
        claimed[row.token] = claimed.get(row.token, 0) + row.amount
    try:
        doc, items = claims_for(_data(_datadir(request), epoch), acct, claimed)
    except EpochDataError as exc:
        raise HTTPException(500, str(exc)) from None
    return {
        "account": acct,
        "epoch": epoch,
        "root": doc.root,
        "claims": [i.to_json() for i in items],
    }


@router.get("/api/rewards/{account}/explain")
def get_explain(
    account: str, request: Request, session: DbSession, day: DayQuery = None
) -> dict[str, Any]:
    """Why the account earned what it did that day (shares, α, multiplier, scores, reasons)."""
    acct = parse_address(account, "account")
    epoch = _day(day, _datadir(request))
    doc = _read(_datadir(request), epoch)
    lock_row = session.get(GmLock, acct)
    lock = LockInfo(lock_row.amount, lock_row.unlock_time) if lock_row is not None else None
    unattributed = gather.unattributed_spend(session.connection(), epoch, acct)
    return explain(doc, acct, unattributed_spend=unattributed, lock=lock)
