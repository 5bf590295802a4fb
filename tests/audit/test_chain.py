"""The hash chain without a database: canonical JSON, hashes, and verify_rows cases."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest

from evident.audit.chain import GENESIS, ChainRow, canonical_json, record_hash, verify_rows


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"b": 1, "a": [1, 2]}, '{"a":[1,2],"b":1}'),
        ({"z": {"y": None, "x": True}}, '{"z":{"x":true,"y":null}}'),
        ({"t": "café"}, '{"t":"caf\\u00e9"}'),
        ({"t": "a\x00b"}, '{"t":"a\\u0000b"}'),
        ({"t": "\ud800"}, '{"t":"\\ud800"}'),
        ({"f": 0.1}, '{"f":0.1}'),
    ],
)
def test_canonical_json(value, expected):
    assert canonical_json(value) == expected
    assert json.loads(canonical_json(value)) == value


@pytest.mark.parametrize("bad", [{"x": float("nan")}, {"x": float("inf")}, {"x": object()}])
def test_canonical_json_refuses_non_json(bad):
    with pytest.raises((ValueError, TypeError)):
        canonical_json(bad)


def test_record_hash_is_sha256_of_prev_payload_seq():
    expected = hashlib.sha256(f"{GENESIS}{{}}1".encode()).hexdigest()
    assert record_hash(GENESIS, "{}", 1) == expected
    assert record_hash(GENESIS, "{}", 2) != expected


def _chain(n: int) -> list[ChainRow]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        payload = canonical_json({"kind": "run", "run_id": f"r{seq}"})
        digest = record_hash(prev, payload, seq)
        rows.append(ChainRow(seq, f"r{seq}", payload, prev, digest))
        prev = digest
    return rows


def _found(rows, head_seq=None, head_hash=None):
    return [(p.seq, p.kind, p.run_id) for p in verify_rows(rows, head_seq, head_hash)]


def test_intact_and_empty_chains_verify():
    rows = _chain(4)
    assert _found(rows, 4, rows[-1].hash) == []
    assert _found(list(reversed(rows)), 4, rows[-1].hash) == []  # order of reading is free
    assert _found([], 0, GENESIS) == []


def test_cases_without_database():
    rows = _chain(5)
    head = (5, rows[-1].hash)
    edited = [*rows[:2], replace(rows[2], payload=rows[2].payload.replace("r3", "rX")), *rows[3:]]
    assert _found(edited, *head) == [(3, "modified", "r3")]
    bad_columns = [*rows[:1], replace(rows[1], columns_ok=False), *rows[2:]]
    assert _found(bad_columns, *head) == [(2, "modified", "r2")]
    assert _found(rows[:2] + rows[3:], *head) == [(3, "deleted", None)]
    assert _found(rows[:3], *head) == [(4, "deleted", None)]
    swapped = [rows[0], replace(rows[2], seq=2), replace(rows[1], seq=3), *rows[3:]]
    assert _found(swapped, *head) == [(2, "reordered", "r3"), (3, "reordered", "r2")]
    assert _found(rows, 5, "f" * 64) == [(5, "modified", "r5")]
    wrong_start = [
        replace(rows[0], prev_hash="1" * 64, hash=record_hash("1" * 64, rows[0].payload, 1))
    ]
    assert _found(wrong_start + rows[1:], *head)[0][:2] == (1, "modified")


def test_fork_names_the_record_nothing_chains_to():
    rows = _chain(3)
    payload = canonical_json({"kind": "action", "run_id": "evil"})
    forged = ChainRow(4, "evil", payload, rows[1].hash, record_hash(rows[1].hash, payload, 4))
    assert _found([*rows, forged], 3, rows[-1].hash) == [(4, "inserted", "evil")]
