"""Parsers: every input format, with provenance, and malformed input as one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from evident.errors import InputError
from evident.kb import chunk_document, iter_documents

FIXTURES = Path(__file__).parent / "fixtures"

_ARTICLE = (
    b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
    b"<ArticleTitle>&x;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    b"</PubmedArticleSet>"
)
# An entity-expansion bomb (a billion copies) and an external entity: neither may expand.
_LAUGHS = (
    b'<!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    )
    + b'<!ENTITY x "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">]>'
    + _ARTICLE
)
_EXTERNAL = b'<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file:///etc/hostname">]>' + _ARTICLE


def _docs(name: str) -> dict:
    path = FIXTURES / name
    return {d.id: d for d in iter_documents(path, path.parent)}


@pytest.mark.parametrize(
    ("name", "doc_id", "title", "source", "date", "url", "sections"),
    [
        (
            "articles.xml",
            "pmid:90000001",
            "Home blood pressure telemonitoring in adults with resistant hypertension",
            "pubmed",
            "2021-03-04",
            "https://pubmed.ncbi.nlm.nih.gov/90000001/",
            ["Background", "Results"],
        ),
        ("articles.xml", "pmid:90000002", None, "pubmed", "1998", None, [""]),
        ("articles.xml", "pmid:90000003", "A title-only record", "pubmed", "2019-11", None, [""]),
        ("pubmedqa.json", "pmid:91000001", "PMID 91000001", "pubmedqa", "2022", None,
         ["Background", "Results"]),
        ("qa.jsonl", None, "Gout", "medquad/InventedHealth_QA", "", "https://example.org/gout",
         [""]),
        ("hypertension.md", "hypertension", "Invented hypertension guideline",
         "Evident test society", "2012-05-01", "https://example.org/htn",
         ["Invented hypertension guideline", "Diagnosis", "First-line treatment"]),
        ("asthma.html", "asthma", "Invented asthma guidance", "Evident test society",
         "2024-02-10", "https://example.org/asthma", ["Reliever therapy", "Controller therapy"]),
        ("handwashing.txt", "handwashing", "Hand hygiene note, written for the Evident tests.",
         "handwashing.txt", "", "", [""]),
    ],
)  # fmt: skip
def test_parser_provenance(name, doc_id, title, source, date, url, sections):
    docs = _docs(name)
    doc = docs[doc_id] if doc_id else next(iter(docs.values()))
    if title is not None:
        assert doc.title == title
    assert doc.source == source
    assert doc.date == date
    if url is not None:
        assert doc.url == url
    assert [h for h, _ in doc.sections] == sections


def test_pubmed_xml_flattens_inline_markup_and_keeps_journal():
    doc = _docs("articles.xml")["pmid:90000001"]
    assert "<i>" not in doc.title and "adults" in doc.title
    assert dict(doc.meta)["journal"] == "Journal of Invented Cardiology"


def test_pubmedqa_does_not_index_the_question():
    doc = _docs("pubmedqa.json")["pmid:91000001"]
    text = " ".join(b for _, b in doc.sections) + doc.title
    assert "Does invented drug" not in text


def test_medquad_skips_empty_answers_and_keeps_question_as_meta():
    docs = _docs("qa.jsonl")
    assert len(docs) == 2
    assert {dict(d.meta)["qtype"] for d in docs.values()} == {"treatment", "symptoms"}
    assert all(d.startswith("medquad:") for d in docs)


def test_html_drops_scripts_styles_and_navigation_and_decodes_entities():
    doc = _docs("asthma.html")["asthma"]
    body = " ".join(b for _, b in doc.sections)
    assert "document.write" not in body and "color: red" not in body and "About" not in body
    assert "inhaler & use" in body and "<before>" in body


def test_markdown_strips_inline_syntax():
    doc = _docs("hypertension.md")["hypertension"]
    body = " ".join(b for _, b in doc.sections)
    assert "**" not in body and "](" not in body and "the table" in body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.xml", b"<PubmedArticleSet><PubmedArticle>", "not well-formed XML"),
        ("other.xml", b"<root><a/></root>", "not a PubmedArticleSet"),
        ("lol.xml", _LAUGHS, "not well-formed XML"),
        ("ext.xml", _EXTERNAL, "not well-formed XML"),
        ("bad.json", b'{"1": {"CONTEXTS": ["x"]', "not valid JSON"),
        ("list.json", b"[1, 2]", "keyed by PMID"),
        ("nopmid.json", b'{"abc": {"CONTEXTS": ["x"]}}', "not a PMID"),
        ("noctx.json", b'{"123": {"QUESTION": "q"}}', "no CONTEXTS"),
        ("labels.json", b'{"123": {"CONTEXTS": ["a", "b"], "LABELS": ["X"]}}', "LABELS"),
        ("bad.jsonl", b'{"text": "ok"}\n{"text": \n', "line 2: malformed JSON"),
        ("arr.jsonl", b"[1]\n", "line 1: not a JSON object"),
        ("odd.jsonl", b'{"foo": "bar"}\n', "line 1: neither"),
        ("unknown.jsonl", b'{"text": "x", "colour": "red"}\n', "unknown field 'colour'"),
        ("hash.jsonl", b'{"id": "a#1", "text": "x"}\n', "may not contain '#'"),
        ("empty.txt", b"   \n", "is empty"),
        ("latin1.txt", "caf\u00e9 na\u00efve".encode("latin-1"), "not UTF-8"),
        ("binary.md", b"\x00\x01\x02binary", "binary"),
        ("front.md", b"---\n[unclosed\n---\nbody text here\n", "malformed front matter"),
        ("scalar.md", b"---\njust a string\n---\nbody\n", "not a mapping"),
        ("onlyscript.html", b"<script>var x = 1;</script>", "has no text"),
    ],
)
def test_malformed_input_is_a_one_line_input_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        list(iter_documents(path, tmp_path))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_chunk_ids_are_stable_and_sequential():
    doc = _docs("hypertension.md")["hypertension"]
    first = chunk_document(doc)
    again = chunk_document(next(iter(_docs("hypertension.md").values())))
    assert [p.id for p in first] == [p.id for p in again]
    assert [p.id for p in first] == [f"hypertension#{i}" for i in range(1, len(first) + 1)]
    assert first[1].title == "Diagnosis"


def test_long_sections_split_at_sentences_within_the_word_limit():
    from evident.kb.model import Document

    sentence = "Blood pressure should be measured twice in each arm at the first visit."
    doc = Document("long", "Long", "test", (("Measure", " ".join([sentence] * 40)),))
    passages = chunk_document(doc, max_words=60, min_words=10)
    assert len(passages) > 5
    assert all(len(p.text.split()) <= 60 for p in passages)
    assert all(p.text.endswith(".") for p in passages)
    assert [p.ordinal for p in passages] == list(range(1, len(passages) + 1))


@pytest.mark.parametrize(
    ("text", "title", "body_starts"),
    [
        ("Metformin and kidneys\n\nStop metformin when eGFR falls below 30.",
         "Metformin and kidneys", "Stop metformin"),
        ("# Gout basics\nGout is an arthritis.", "Gout basics", "Gout is"),
        ("Only one line of text here.", "notes", "Only one line"),
        ("x" * 130 + "\nsecond line", "notes", "x"),
    ],
)  # fmt: skip
def test_text_title_is_the_first_line_and_not_glued_to_the_text(text, title, body_starts):
    from evident.kb.parse_docs import parse_text

    doc = parse_text(text, "notes", "notes.txt")
    assert doc.title == title
    body = doc.sections[0][1]
    assert (body.startswith(body_starts) and title not in body[: len(title)]) or title == "notes"
