"""Launch metadata through the read API: ``POST /api/metadata`` validates and stores by sha256,
``GET`` serves the exact bytes and the image, and a launch whose creator committed the hash
on-chain (``MetadataSet``, indexed) shows ``description``, ``image_url`` and ``links``."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fomo.launches.metadata import MAX_IMAGE_BYTES
from tests.api.test_read_api import _client
from tests.indexer.conftest import ALPHA_IMAGE, ALPHA_METADATA, Chain, Db, Scenario

pytestmark = pytest.mark.anvil

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _post(client: TestClient, **body: object) -> tuple[int, dict]:
    res = client.post("/api/metadata", json=body)
    return res.status_code, res.json()


def test_post_then_get_document_and_image(chain: Chain, db: Db, tmp_path: Path) -> None:
    client = _client(chain, db, tmp_path)
    code, out = _post(
        client,
        description="  A model for SQL.  ",
        links=["https://sql.example", "https://x.example/sqlbot"],
        image_base64=base64.b64encode(PNG).decode(),
    )
    assert code == 201
    h = out["content_hash"]
    assert out["description"] == "A model for SQL."
    assert out["image_url"] == f"/api/metadata/{h}/image"
    doc = client.get(f"/api/metadata/{h}")
    assert doc.status_code == 200
    assert "0x" + hashlib.sha256(doc.content).hexdigest() == h  # content-addressed, verifiable
    body = doc.json()
    assert body["links"] == ["https://sql.example", "https://x.example/sqlbot"]
    assert body["image"] == {
        "media_type": "image/png",
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "size": len(PNG),
    }
    img = client.get(out["image_url"])
    assert img.status_code == 200 and img.content == PNG
    assert img.headers["content-type"] == "image/png"
    # Idempotent: the same document answers the same hash.
    assert _post(
        client,
        description="A model for SQL.",
        links=["https://sql.example", "https://x.example/sqlbot"],
        image_base64=base64.b64encode(PNG).decode(),
    ) == (201, out)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"description": "x" * 2_001}, "the limit is 2,000"),
        ({"links": [f"https://l{i}.example" for i in range(6)]}, "the limit is 5"),
        ({"links": ["http://plain.example"]}, "must be an https:// URL"),
        ({"links": ["https://a.example/ b"]}, "spaces or control characters"),
        ({"image_base64": base64.b64encode(b"GIF89a....").decode()}, "PNG, JPEG or WebP"),
        (
            {"image_base64": base64.b64encode(PNG + b"\x00" * MAX_IMAGE_BYTES).decode()},
            "the limit is 262,144 bytes",
        ),
        ({"image_base64": "not base64!"}, "not valid base64"),
        ({}, "The metadata is empty"),
    ],
)
def test_limits_answer_422_with_one_sentence(
    chain: Chain, db: Db, tmp_path: Path, body: dict, needle: str
) -> None:
    client = _client(chain, db, tmp_path)
    code, out = _post(client, **body)
    assert code == 422
    assert isinstance(out["detail"], str) and needle in out["detail"]
    assert out["detail"].count(". ") == 0  # one sentence


def test_unknown_and_malformed_hashes(chain: Chain, db: Db, tmp_path: Path) -> None:
    client = _client(chain, db, tmp_path)
    assert client.get("/api/metadata/0x" + "00" * 32).status_code == 404
    assert client.get("/api/metadata/nothex").status_code == 422
    _, out = _post(client, description="no image")
    assert client.get(f"/api/metadata/{out['content_hash']}/image").status_code == 404


def test_launch_summary_shows_committed_metadata(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path
) -> None:
    client = _client(chain, db, tmp_path)
    # Committed on-chain but not uploaded here yet: the hash shows, the fields are null.
    before = client.get(f"/api/launches/{scenario.graduated}").json()
    assert before["metadata_hash"] == ALPHA_METADATA.content_hash()
    assert (before["description"], before["image_url"], before["links"]) == (None, None, None)
    code, out = _post(
        client,
        description=ALPHA_METADATA.description,
        links=list(ALPHA_METADATA.links),
        image_base64=base64.b64encode(ALPHA_IMAGE).decode(),
    )
    assert code == 201 and out["content_hash"] == ALPHA_METADATA.content_hash()
    listed = {x["token"]: x for x in client.get("/api/launches").json()["launches"]}
    alpha = listed[scenario.graduated]
    assert alpha["description"] == "Alpha: Qwen3 30B tuned for code review."
    assert alpha["links"] == ["https://alpha.example/docs"]
    assert client.get(alpha["image_url"]).content == ALPHA_IMAGE
    detail = client.get(f"/api/launches/{scenario.graduated}").json()
    assert detail["description"] == alpha["description"]
    beta = listed[scenario.failed]
    assert (beta["metadata_hash"], beta["description"], beta["image_url"], beta["links"]) == (
        None,
        None,
        None,
        None,
    )
