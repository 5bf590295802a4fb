"""Vault encryption, policy, protect → restore on a Source, leak detection, log filter."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pytest

from evident.errors import ConfigError, PrivacyError
from evident.privacy import (
    PhiLogFilter,
    PolicyPrivacy,
    PolicyProtection,
    Vault,
    find_leaks,
    install_log_filter,
)
from evident.types import Draft, ModelInfo, Section, Segment, Source, Statement

NOTE = "Wanda Fleming, MRN 00482913, was seen by Dr. Irene Barrowman on 03/14/2023.\n"


@dataclass
class FakeBackend:
    spec: str = "fake"
    name: str = "fake"
    model: str = "fake"
    offline: bool = False
    local: bool = False

    def generate(self, request: object) -> object:
        raise AssertionError("the privacy tests never call the model")


def _source(text: str = NOTE, patient: str = "p1") -> Source:
    end = text.index(".", 60) + 1
    segs = (Segment(id="s1", text=text[:end], start=0, end=end),)
    return Source(kind="note", text=text, segments=segs, meta={"patient": patient})


def _draft(*texts: str) -> Draft:
    statements = tuple(Statement(id=f"st{i}", text=t) for i, t in enumerate(texts, 1))
    return Draft(
        task="t",
        sections=(Section(name="S", statements=statements),),
        model=ModelInfo(spec="fake", backend="fake", name="fake"),
        prompt_version="t/1",
    )


def test_protect_rewrites_text_segments_and_offsets(tmp_path: Path) -> None:
    hook = PolicyPrivacy("remote-only", vault=Vault())
    prot = hook.protect([_source()], FakeBackend())
    src = prot.sources[0]
    for value in ("Wanda", "Fleming", "00482913", "Irene Barrowman", "03/14/2023"):
        assert value not in src.text
    seg = src.segments[0]
    assert src.text[seg.start : seg.end] == seg.text
    record = prot.record()
    assert record["protected"] is True and record["policy"] == "remote-only"
    assert record["counts"]["NAME"] == 2 and record["counts"]["MRN"] == 1
    assert "Wanda" not in repr(record)


def test_restore_round_trip() -> None:
    prot = PolicyPrivacy("always", vault=Vault()).protect([_source()], FakeBackend(local=True))
    protected = prot.sources[0].text
    restored = prot.restore(_draft(protected.strip()))
    assert restored.statements[0].text == NOTE.strip()
    # a model that shortens the name still gets the original back, word by word
    surname = protected.split(",")[0].split()[-1]
    assert prot.restore(_draft(f"Ms. {surname} is well.")).statements[0].text == (
        "Ms. Fleming is well."
    )
    assert prot.record()["leaks_in_output"] == 0


def test_leaks_in_output_are_counted() -> None:
    prot = PolicyPrivacy("always", vault=Vault()).protect([_source()], FakeBackend())
    prot.restore(_draft("Wanda Fleming came back."))
    assert prot.record()["leaks_in_output"] == 1
    assert isinstance(prot, PolicyProtection)
    assert prot.originals["Wanda Fleming"] == "NAME"


@pytest.mark.parametrize(
    ("policy", "local", "protected"),
    [
        ("remote-only", False, True),
        ("remote-only", True, False),
        ("always", True, True),
        ("never", False, False),
    ],
)
def test_policy(policy: str, local: bool, protected: bool) -> None:
    prot = PolicyPrivacy(policy, vault=Vault()).protect([_source()], FakeBackend(local=local))
    assert prot.record()["protected"] is protected
    assert ("Wanda" in prot.sources[0].text) is not protected


def test_policy_from_env_and_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENT_PRIVACY", "always")
    assert PolicyPrivacy(vault=Vault()).policy == "always"
    monkeypatch.setenv("EVIDENT_PRIVACY", "sometimes")
    with pytest.raises(ConfigError):
        PolicyPrivacy(vault=Vault())


def test_default_pipeline_hook_protects_remote(monkeypatch: pytest.MonkeyPatch) -> None:
    from evident.pipeline import _default_privacy

    monkeypatch.delenv("EVIDENT_PRIVACY", raising=False)
    assert isinstance(_default_privacy(), PolicyPrivacy)


def test_vault_encrypted_round_trip_and_wrong_key(tmp_path: Path) -> None:
    vault = Vault(tmp_path, "correct horse battery staple")
    vault.add("p1", "Alden Blackwood", "Wanda Fleming", "NAME")
    path = vault.save("p1")
    assert b"Wanda" not in path.read_bytes() and "p1" not in path.name
    again = Vault(tmp_path, "correct horse battery staple")
    assert again.load("p1") == 1
    assert again.originals("p1") == {"Wanda Fleming": "NAME"}
    with pytest.raises(PrivacyError):
        Vault(tmp_path, "wrong key").load("p1")


def test_vault_needs_key_to_persist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        Vault(tmp_path, None).save("p1")
    with pytest.raises(ConfigError):
        Vault(None, "secret").save("p1")


def test_policy_persists_to_vault_and_keeps_surrogates_across_runs(tmp_path: Path) -> None:
    one = PolicyPrivacy("always", vault=Vault(tmp_path, "s3cret")).protect(
        [_source()], FakeBackend()
    )
    two = PolicyPrivacy("always", vault=Vault(tmp_path, "s3cret")).protect(
        [_source()], FakeBackend()
    )
    assert one.sources[0].text == two.sources[0].text
    assert list(tmp_path.glob("*.vault"))


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Patient wanda fleming is well", 1),
        ("call 555 123 4567 now", 1),
        ("MRN 00482913 and 00482913", 2),
        ("nothing here", 0),
        ("Flemingworth is a different word", 0),
    ],
)
def test_find_leaks(text: str, n: int) -> None:
    originals = {"Wanda Fleming": "NAME", "555-123-4567": "PHONE", "00482913": "MRN"}
    spans = find_leaks(text, originals)
    assert len(spans) == n
    assert all(s.type in originals.values() for s in spans)


def test_log_filter_redacts_phi(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("evident.test.privacy")
    phi_filter = PhiLogFilter(["Wanda Fleming"])
    logger.addFilter(phi_filter)
    try:
        with caplog.at_level(logging.INFO, logger="evident.test.privacy"):
            logger.info("loaded %s from file", "Wanda Fleming")
        assert "Wanda" not in caplog.text and "[PHI]" in caplog.text
    finally:
        logger.removeFilter(phi_filter)


def test_install_log_filter_learns_from_protection(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("evident.test.install")
    phi_filter = install_log_filter(logger)
    try:
        PolicyPrivacy("always", vault=Vault()).protect([_source()], FakeBackend())
        with caplog.at_level(logging.INFO, logger="evident.test.install"):
            logger.info("note about Irene Barrowman")
        assert "Irene Barrowman" not in caplog.text
    finally:
        logger.removeFilter(phi_filter)


class EchoTask:
    """A task that repeats what it was given: the model side sees only surrogates."""

    name = "echo"
    prompt_version = "echo/1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def draft(self, sources, backend, options):  # type: ignore[no-untyped-def]
        from evident.types import Usage

        self.seen = [s.text for s in sources]
        return _draft(sources[0].segments[0].text), Usage()


def test_run_task_protects_remote_backend_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    from evident.pipeline import run_task

    monkeypatch.delenv("EVIDENT_PRIVACY", raising=False)
    monkeypatch.delenv("EVIDENT_PRIVACY_VAULT", raising=False)
    task = EchoTask()
    run = run_task(task, [_source()], FakeBackend(offline=True))  # type: ignore[arg-type]
    assert "Wanda" not in task.seen[0] and "Wanda" not in run.sources[0].text
    assert run.privacy["protected"] is True and run.privacy["counts"]["NAME"] == 2
    assert run.draft.statements[0].text == NOTE.strip()


@pytest.mark.parametrize(
    ("label", "kept"),
    [
        ("Walter Blackwood", False),  # a name as the speaker label
        ("Wanda Fleming", False),
        ("Dr. Irene Barrowman", True),  # a title makes it the role "doctor"
        ("Patient", True),
        ("Speaker 3", True),  # no PHI: kept as written
    ],
)
def test_speaker_labels_that_are_names_are_protected(label: str, kept: bool) -> None:
    from evident.sources import load_source
    from evident.tasks.scribe.prompt import build_messages

    text = f"{label}: I have had chest pain since Monday.\nDoctor: How long does it last?\n"
    source = load_source(text, kind="transcript", name="t")
    prot = PolicyPrivacy("always", vault=Vault()).protect([source], FakeBackend())
    speaker = prot.sources[0].segments[0].speaker or ""
    sent = " ".join(str(m) for m in build_messages(prot.sources, {"Subjective": ["HPI"]}))
    if kept:
        assert speaker == (source.segments[0].speaker or "")
    else:
        assert speaker and speaker != source.segments[0].speaker
        for word in label.lower().split():
            assert word not in speaker and word not in sent.lower()
    assert prot.record()["leaks_in_input"] == 0
