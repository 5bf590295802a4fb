"""Leak check of stored records with evident.privacy.find_leaks (synthetic names only)."""

from __future__ import annotations

import json

import pytest

from evident.audit import open_store
from evident.cli.main import main
from evident.types import Section, Source, Statement
from tests.audit.factories import make_run

ORIGINALS = {"Zelda Quibblestone": "NAME", "555-201-7788": "PHONE"}


def _run(source_text: str, statement: str, params: dict | None = None):
    run = make_run(("supported",))
    source = Source(id="visit", kind="text", text=source_text, segments=())
    draft = run.draft.model_copy(
        update={
            "sections": (Section(name="Plan", statements=(Statement(id="st1", text=statement),)),)
        }
    )
    return run.model_copy(update={"sources": (source,), "draft": draft, "params": params or {}})


@pytest.fixture
def filled(sqlite_url):
    clean = _run("Patient [NAME] called from [PHONE].", "Zelda Quibblestone called.")
    leaky = _run(
        "Patient Zelda Quibblestone called from 555 201 7788.",
        "Patient called.",
        params={"note": "ask zelda quibblestone"},
    )
    with open_store(sqlite_url) as store:
        store.record_run(clean)
        store.record_run(leaky)
        store.record_action(
            clean.id, user="dr.a", statement_id="st1", action="edit", after="Call 555.201.7788."
        )
    return sqlite_url, clean.id, leaky.id


def test_protected_scope_finds_only_leaks(filled):
    url, clean_id, leaky_id = filled
    with open_store(url) as store:
        found = store.scan_for_leaks(ORIGINALS)
        by_list = store.scan_for_leaks(list(ORIGINALS))
        only_clean = store.scan_for_leaks(ORIGINALS, run_id=clean_id)
    assert [(f.seq, f.run_id, f.field, f.counts) for f in found] == [
        (2, leaky_id, "sources", {"NAME": 1, "PHONE": 1}),
        (2, leaky_id, "params", {"NAME": 1}),
    ]
    assert [f.counts for f in by_list] == [{"PHI": 2}, {"PHI": 1}]
    assert only_clean == []


def test_all_scope_includes_reidentified_parts(filled):
    url, clean_id, _ = filled
    with open_store(url) as store:
        found = store.scan_for_leaks(ORIGINALS, scope="all")
    fields = {(f.run_id, f.field) for f in found}
    assert (clean_id, "draft") in fields and (clean_id, "action") in fields
    assert (clean_id, "sources") not in fields


def test_cli_leaks_exit_4_without_values(filled, tmp_path, capsys):
    url, _, leaky_id = filled
    path = tmp_path / "originals.json"
    path.write_text(json.dumps(ORIGINALS))
    assert main(["audit", "leaks", "--db", url, "--originals", str(path)]) == 4
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == f"seq 2: run {leaky_id}: sources: NAME 1, PHONE 1"
    assert "Zelda" not in captured.out + captured.err
    plain = tmp_path / "originals.txt"
    plain.write_text("Nobody Atall\n\n")
    assert main(["audit", "leaks", "--db", url, "--originals", str(plain)]) == 0
    assert capsys.readouterr().out.startswith("OK: no original value found in 1 value(s)")


@pytest.mark.parametrize("content", ['{"a": 1}', "{not json", b"\xff\xfe\x00"])
def test_cli_leaks_bad_originals_file(sqlite_url, tmp_path, content):
    path = tmp_path / "bad"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["audit", "leaks", "--db", sqlite_url, "--originals", str(path)]) == 2
