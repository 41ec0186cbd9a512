"""Sign-In with Ethereum (EIP-4361): message builder, parser and verifier.

Written here rather than taken from a package: the format is small and fixed, and the checks a
server must make (domain, nonce, time window, chain, signer) are clearer next to the code that
relies on them. Signatures are EIP-191 ``personal_sign`` over the exact message text, recovered
with eth-account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils.address import is_checksum_address

_HEADER = " wants you to sign in with your Ethereum account:"
_FIELDS = {
    "URI": "uri",
    "Version": "version",
    "Chain ID": "chain_id",
    "Nonce": "nonce",
    "Issued At": "issued_at",
    "Expiration Time": "expiration_time",
    "Not Before": "not_before",
    "Request ID": "request_id",
}
_NONCE_RE = re.compile(r"^[A-Za-z0-9]{8,}$")


class SiweError(ValueError):
    """The message is malformed or fails verification (the text says which check)."""


@dataclass
class SiweMessage:
    domain: str
    address: str
    uri: str
    version: str
    chain_id: int
    nonce: str
    issued_at: str
    statement: str | None = None
    expiration_time: str | None = None
    not_before: str | None = None
    request_id: str | None = None
    resources: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"{self.domain}{_HEADER}", self.address, ""]
        if self.statement:
            lines += [self.statement, ""]
        lines += [
            f"URI: {self.uri}",
            f"Version: {self.version}",
            f"Chain ID: {self.chain_id}",
            f"Nonce: {self.nonce}",
            f"Issued At: {self.issued_at}",
        ]
        if self.expiration_time:
            lines.append(f"Expiration Time: {self.expiration_time}")
        if self.not_before:
            lines.append(f"Not Before: {self.not_before}")
        if self.request_id is not None:
            lines.append(f"Request ID: {self.request_id}")
        if self.resources:
            lines.append("Resources:")
            lines += [f"- {r}" for r in self.resources]
        return "\n".join(lines)


def _time(value: str, name: str) -> datetime:
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SiweError(f"{name} is not an RFC 3339 time") from exc
    if t.tzinfo is None:
        raise SiweError(f"{name} has no time zone")
    return t


def parse(text: str) -> SiweMessage:
    lines = text.split("\n")
    if len(lines) < 8 or not lines[0].endswith(_HEADER):
        raise SiweError("not a Sign-In with Ethereum message")
    domain = lines[0][: -len(_HEADER)]
    if not domain or " " in domain:
        raise SiweError("bad domain")
    address = lines[1]
    if not is_checksum_address(address):
        raise SiweError("address must be an EIP-55 checksummed address")
    i = 2
    if lines[i] != "":
        raise SiweError("expected an empty line after the address")
    i += 1
    statement = None
    if not lines[i].startswith("URI: "):
        statement = lines[i]
        i += 1
        if i >= len(lines) or lines[i] != "":
            raise SiweError("expected an empty line after the statement")
        i += 1
    values: dict[str, str] = {}
    resources: list[str] = []
    order = list(_FIELDS)
    pos = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == "Resources:":
            resources = [ln[2:] for ln in lines[i:] if ln.startswith("- ")]
            if len(resources) != len(lines[i:]):
                raise SiweError("bad resources list")
            break
        key, sep, value = line.partition(": ")
        if not sep or key not in _FIELDS:
            raise SiweError(f"unexpected line {line!r}")
        if key not in order[pos:]:
            raise SiweError(f"field {key!r} out of order or repeated")
        pos = order.index(key) + 1
        values[_FIELDS[key]] = value
    for required in ("uri", "version", "chain_id", "nonce", "issued_at"):
        if required not in values:
            raise SiweError(f"missing {required}")
    if values["version"] != "1":
        raise SiweError("version must be 1")
    if not values["chain_id"].isdigit():
        raise SiweError("bad chain id")
    if not _NONCE_RE.match(values["nonce"]):
        raise SiweError("nonce must be at least 8 alphanumeric characters")
    for t in ("issued_at", "expiration_time", "not_before"):
        if t in values:
            _time(values[t], t)
    return SiweMessage(
        domain=domain,
        address=address,
        uri=values["uri"],
        version="1",
        chain_id=int(values["chain_id"]),
        nonce=values["nonce"],
        issued_at=values["issued_at"],
        statement=statement,
        expiration_time=values.get("expiration_time"),
        not_before=values.get("not_before"),
        request_id=values.get("request_id"),
        resources=resources,
    )


def verify(
    text: str,
    signature: str,
    *,
    domain: str,
    chain_id: int | None = None,
    now: datetime | None = None,
) -> SiweMessage:
    """Parse and check everything but the nonce's freshness (the caller consumes the nonce).

    Returns the message; raises :class:`SiweError` naming the failed check.
    """
    msg = parse(text)
    if msg.domain != domain:
        raise SiweError(f"message is for domain {msg.domain!r}, not {domain!r}")
    if chain_id is not None and msg.chain_id != chain_id:
        raise SiweError(f"message is for chain {msg.chain_id}, not {chain_id}")
    now = now or datetime.now(UTC)
    if msg.expiration_time and _time(msg.expiration_time, "expiration_time") <= now:
        raise SiweError("message expired")
    if msg.not_before and _time(msg.not_before, "not_before") > now:
        raise SiweError("message not yet valid")
    try:
        signer = Account.recover_message(encode_defunct(text=text), signature=signature)
    except Exception as exc:  # malformed signature bytes of any kind
        raise SiweError("invalid signature") from exc
    if signer.lower() != msg.address.lower():
        raise SiweError("signature is not from the message's address")
    return msg


def sign(message: SiweMessage, private_key: str) -> str:
    """Sign a message as a wallet would (``personal_sign``); for the CLI and tests."""
    signed = Account.sign_message(encode_defunct(text=message.text()), private_key=private_key)
    sig: bytes = bytes(signed.signature)
    return "0x" + sig.hex()
