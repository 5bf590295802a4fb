"""Token predicates and negation scope of the structural polarity reader (for
``_polarity_read.py``): which words are content, light or barriers, where a negation cue
is rooted and which tokens it holds. The cues are the closed-class words of
``resources/polarity.json``."""

from __future__ import annotations

from typing import Any

from evident.verify._polarity_cues import (
    contrasted,
    cues,
    denial_forms,
    effect_classes,
    norm,
    token_stem,
    wordlike,
)
from evident.verify._words import words

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
_MODIFIER_DEPS = frozenset(
    {"compound", "amod", "nmod", "poss", "det", "nummod", "advmod", "npadvmod", "prt", "aux"}
    | {"auxpass", "neg", "punct", "cc", "case", "quantmod", "predet", "preconj", "intj"}
)
_CORE_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "prt"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "parataxis", "appos", "dep", "acl"})
_OBJECT_DEPS = frozenset({"dobj", "attr", "acomp", "xcomp", "ccomp", "oprd"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_SPLIT_DEPS = frozenset({"advcl", "parataxis", "intj", "mark"})
_FINITE_TAGS = frozenset({"VBZ", "VBP"})
# what a barrier head ("stop", "avoid") governs as its complement
_COMPLEMENT_DEPS = frozenset(
    {"xcomp", "ccomp", "dobj", "pcomp", "acl", "prep", "advcl", "relcl", "conj"}
)


def _denial(t: Any) -> bool:
    return bool(t.lemma_.lower() in cues().denial_verbs or t.lower_ in denial_forms())


def _content(t: Any) -> bool:
    c = cues()
    if t.lower_ in c.distinguishing:
        return True  # "any other joint pain?" asks about more of it, not about it
    return bool(
        wordlike(t.lower_)  # "covid-19", "x-ray" name what is denied as words do
        and not t.is_stop
        and not _denial(t)
        and t.pos_ in _CONTENT_POS
        and t.lemma_.lower() not in c.light_lemmas
        and t.lower_ not in c.light_lemmas
    )


def _light(t: Any) -> bool:
    c = cues()
    lem = t.lemma_.lower()
    return bool(
        t.pos_ == "AUX"
        or lem in c.light_lemmas
        or _denial(t)
        or t.lower_ in c.negators
        or t.lower_ in c.absence_words
        or t.is_stop
    )


# auxiliaries a past participle follows (perfect, passive): a verb joined to their verb
# in the past form may share them
_PARTICIPLE_AUXILIARIES = frozenset({"have", "be"})


def _own_clause(t: Any) -> bool:
    """A conjunct with its own subject ("... and I exercise"), its own tense ("do not
    occur at night and *are* random", "denies tobacco and *drinks* wine": a finite verb,
    where "does not smoke or *drink*" shares the negated auxiliary) or after a contrast
    word."""
    if any(ch.dep_ in _SUBJECT_DEPS for ch in t.children):
        return True
    if t.dep_ == "conj" and _finite(t):
        return True
    contrast = cues().contrast_words
    return any(
        sib.dep_ in {"cc", "punct", "advmod"} and sib.lower_ in contrast and sib.i < t.i
        for sib in t.head.children
    ) or any(ch.dep_ == "cc" and ch.lower_ in contrast for ch in t.children)


def _finite(t: Any) -> bool:
    """A verb with its own tense: present ("drinks", "are"), or past where it cannot be a
    participle sharing its head's auxiliary ("was"; "denied ... and reported", "did not
    smoke and *drank*": "do" and the modals take no participle; but not "has not been
    sick or *had* any fevers", where "have" or "be" may take it)."""
    if t.tag_ in _FINITE_TAGS:
        return True
    return t.tag_ == "VBD" and (
        t.lemma_ == "be"
        or not any(
            ch.dep_ in {"aux", "auxpass"} and ch.lemma_ in _PARTICIPLE_AUXILIARIES
            for ch in t.head.children
        )
    )


def _barrier(t: Any) -> bool:
    """A verb of aspect or implication ("stop", "avoid", "prevent"): its
    complement's polarity is not its own ("can't stop sneezing" affirms the sneezing)."""
    return t.lemma_.lower() in cues().barrier_heads


def _behind_barrier(t: Any) -> bool:
    """The complement of a barrier head ("stop *smoking*", "avoid *eating* sugar")."""
    if t.dep_ not in _COMPLEMENT_DEPS | {"pobj"}:
        return False
    g = t.head
    return _barrier(g) or (g.dep_ == "prep" and g.head.i != g.i and _barrier(g.head))


def _scope(root: Any, cue: Any, *, barriers: bool = True) -> set[int]:
    """Token indices a negation rooted at ``root`` holds: its subtree, less clauses of
    their own (advcl, parataxis, a conjunct with its own subject or after "but") and,
    with ``barriers``, less a barrier head's complement ("can't stop *sneezing*") and a
    clause or phrase that says when ("does not have pain every time *he eats*", "*after
    six months of taking it*, she no longer had headaches")."""
    out: set[int] = set()
    stack = [root]
    while stack:
        tok = stack.pop()
        out.add(tok.i)
        blocked = barriers and _barrier(tok)
        for ch in tok.children:
            if (
                (blocked and ch.dep_ in _COMPLEMENT_DEPS)
                or ch.dep_ in _SPLIT_DEPS
                or (ch.dep_ == "ccomp" and ch.i < tok.i)  # "I stopped it, it didn't help"
                or (ch.dep_ == "conj" and _own_clause(ch))
                or (barriers and (time_clause(ch) or _time_adjunct(ch)))
                or (ch.dep_ in {"conj", "appos"} and _own_negation(ch))
                or _set_off_negation(ch)
            ):
                continue
            stack.append(ch)
    out.discard(cue.i)
    return out


def time_clause(clause: Any) -> bool:
    """A clause that says when another holds: "when you walk" (whose wh-adverb the
    parse does not mark), "every time you eat", "the day I fell" (a relative clause of a
    time phrase). A negation of the other does not deny it, and a yes or a no to a
    question answers the other, not it."""
    if clause.dep_ == "advcl" and clause.left_edge.lower_ in WHEN_WORDS:
        return True
    return clause.dep_ == "relcl" and clause.head.dep_ == "npadvmod"


#: what opens a clause that says when ("pain *when* you cough")
WHEN_WORDS = frozenset({"when", "whenever", "while"})
_TIME_PREPS = words("time_preps")


def under_time_adjunct(t: Any) -> bool:
    """Whether a token lies in a phrase of time ("after *walking*", "since *her
    surgery*"): it is said as when, neither asserted nor denied."""
    return any(_time_adjunct(a) for a in t.ancestors)


def _time_adjunct(t: Any) -> bool:
    """A preposition of time ("after", "since", "until"; ``words.json``'s
    ``time_preps``): what it names is when, not what is denied."""
    return t.dep_ == "prep" and t.lower_ in _TIME_PREPS


def _set_off_negation(t: Any) -> bool:
    """A negating phrase set off by a comma ("not enlarged*, without nodules*"): a
    modifier of its own, which the head's negation does not hold ("does not walk
    without a cane", with no comma, is one denial of another)."""
    return (
        t.dep_ == "prep" and t.lower_ in cues().negators and t.i > 0 and t.doc[t.i - 1].text == ","
    )


def _bound(t: Any) -> bool:
    """A comparative that opens a bound ("no *more* than", "not *later* than", "no *less*
    than 2 liters"): with its negation it sets a limit, it denies nothing."""
    doc = t.doc
    return t.tag_ in {"JJR", "RBR"} and any(
        doc[k].lower_ == "than" for k in range(t.i + 1, min(len(doc), t.i + 3))
    )


def _own_negation(t: Any) -> bool:
    """A conjunct that carries its own negation or result ("no pain and *no problem*
    emptying", "negative nausea, *negative* vomiting", "negative Spurling test,
    *positive* Phalen test"): that alone decides it, not the first conjunct's negation
    as well (which would cancel or deny it)."""
    c = cues()
    return any(
        ch.dep_ in {"neg", "det", "amod", "compound"}
        and (
            ch.lower_ in c.negators or ch.lower_ in c.absence_words or ch.lower_ in c.presence_words
        )
        for ch in t.children
    )


def _np_fragment(v: Any) -> bool:
    """A noun phrase parsed as subject + verb ("No extra heart sounds.")."""
    kids = [ch for ch in v.children if ch.dep_ != "punct"]
    if not (v.tag_ == "VBZ" and len(kids) == 1 and kids[0].dep_ == "nsubj"):
        return False
    subj = kids[0]
    # "No extra heart sounds." as a sentence; "... any extra heart sounds" inside one
    return subj.i == v.i - 1 and (
        v.dep_ == "ROOT" or any(ch.lower_ in {"any", "no"} for ch in subj.children)
    )


def _subject_of(subj: Any, verb: Any) -> bool:
    """Whether ``subj`` is the verb's subject as written: a verb after it with nothing
    but auxiliaries and adverbs between ("no pain ever radiates"), not a list item the
    parse hung on the next clause ("No fever, but has chills")."""
    if verb.pos_ not in {"VERB", "AUX"} or verb.i < subj.i:
        return False
    between = subj.doc[subj.i + 1 : verb.i]
    return not any(t.is_punct or t.dep_ == "cc" for t in between)


def _cue_root(t: Any) -> Any | None:
    """Where the negation that ``t`` carries is rooted, or None when ``t`` negates nothing."""
    c = cues()
    low = t.lower_
    nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
    if low == "nor" and nxt is not None and nxt.pos_ == "AUX" and nxt.head.i != nxt.i:
        return nxt.head  # "..., nor does he put sugar in it": the inverted clause is denied
    if low in c.negators or t.dep_ == "neg":
        if t.i > 0 and t.doc[t.i - 1].lower_ == "or" and low in {"not", "without"}:
            return None  # an alternative: "believe it or not", "with or without food"
        if low == "no" and (nxt is None or nxt.is_punct):
            return _postposed(t)  # "diarrhea no"
        contrast = contrasted(t, nxt)
        if contrast is not None:
            return contrast  # "my sister had the stroke, not me": me, not the stroke
        if nxt is None or nxt.is_punct or nxt.lower_ in c.pseudo_heads:
            return None  # "not only", "there's no ..."
        if _bound(nxt):
            return None  # "no more than three times a day": a limit, no denial
        if nxt.lower_ in c.pseudo_nouns and nxt.pos_ in {"NOUN", "PROPN"}:
            return None  # "no change" is a finding; "did not change" denies
        if low in {"not", "n't", "never"} and (nxt.lower_ == "without" or _denial(nxt)):
            return nxt  # "not without difficulty", "does not deny": the negation negated
        if t.dep_ == "intj":  # an answer, unless a noun follows ("so, no vision problems")
            return _phrase_head(nxt) if nxt.pos_ in {"NOUN", "PROPN", "ADJ"} else None
        adv = t.head
        if (
            adv.lower_ in c.continuation_adverbs
            and adv.dep_ in {"advmod", "amod"}
            and adv.head.i != adv.i
        ):  # "no longer smokes", "is no longer painful", "no longer tobacco use"
            return adv.head  # the predicate
        if low in {"without", "none", "nothing"} and t.dep_ not in _SUBJECT_DEPS:
            # "without pain", "none of the above", "nothing tingling"
            return t if any(True for _ in t.children) else t.head
        root = t.head
        if root.dep_ == "compound" and root.pos_ in {"NOUN", "PROPN"}:
            root = _phrase_head(root)  # "never tobacco use": the phrase, not its first noun
        if t.dep_ == "det":
            root = _phrase_head(root)  # "No focal motor or sensory deficit": the phrase
            if root.dep_ == "dobj":
                if any(ch.dep_ == "dobj" and ch.i < root.i for ch in root.head.children):
                    return root  # "got edema of the ankles no calf tenderness": run-on items
                return root.head  # "takes no medications" does not take them
            if root.dep_ in _SUBJECT_DEPS and _subject_of(root, root.head):
                root = root.head  # "no pain radiates", "no extra heart sounds": the verb
        return None if root.i == t.i or _pseudo(root) else root
    if _denial(t):
        return t if any(ch.dep_ != "punct" for ch in t.children) else t.head
    preps = c.absence_words.get(low, ())
    if preps and "amod" in preps and t.dep_ in {"amod", "compound"}:
        if effect_classes().get(norm(t.head.lower_)) == "any":
            return None  # "a negative correlation" is a direction, not a result
        return named(t.head)  # "negative nausea", "negative HIV", "negative Murphy sign"
    if preps:
        for ch in t.children:
            if (ch.dep_ == "prep" and ch.lower_ in preps) or (
                ch.dep_ in preps and ch.dep_ not in _SLOTS
            ):
                return ch  # "free of X", "negative for X", "unable to walk"
        if "subject" in preps:
            subj = said_of(t)
            return named(subj[0]) if subj else (t.head if t.dep_ == "amod" else None)
    return None


# slots of a result word that name where it stands, not a dependent of it: "amod" (the
# noun it modifies: "negative Murphy sign") and "subject" (what it is said of); an
# adjective or a noun under a result word ("Urine" in a parse of "Urine pregnancy test
# negative.") is not what the result denies
_SLOTS = frozenset({"amod", "subject"})


def said_of(t: Any) -> list[Any]:
    """What a predicate adjective is said of: its own compound ("she is *HIV*
    negative"), else its subject ("*pulses* are absent", "*Phalen test* positive"), also
    as the complement of another verb ("the *test* came back positive", "turned out
    negative": the parser's ``oprd``, or ``advcl`` for an adjective with no clause of
    its own)."""
    own = [ch for ch in t.children if ch.dep_ in _SUBJECT_DEPS | {"compound"}]
    if own or t.dep_ not in _PREDICATE_DEPS:
        return own[:1]
    return [ch for ch in t.head.children if ch.dep_ in _SUBJECT_DEPS | {"compound"}][:1]


# where an adjective stands as what its head (a noun, or a verb's subject) is said to be
_PREDICATE_DEPS = frozenset({"acomp", "amod", "oprd", "advcl"})


def named(t: Any) -> Any:
    """What a result word speaks of, for the noun it reaches: the noun a chain of
    compounds leads to ("Murphy" in "negative Murphy sign" hangs on "sign"), and for a
    light noun ("sign", "test" where light) the content word compounded with it."""
    while t.dep_ == "compound" and t.head.i != t.i and t.head.pos_ in {"NOUN", "PROPN"}:
        t = t.head
    if t.pos_ in {"NOUN", "PROPN", "VERB"} and not _content(t):
        return next((ch for ch in t.children if ch.dep_ == "compound" and _content(ch)), t)
    return t


def result_heads(sent: Any) -> set[int]:
    """What the sentence's presence words affirm (``polarity.json``'s ``presence_words``
    with their slots): "positive for fever", "positive Murphy sign", "Lachman is
    positive", "Phalen test positive", "edema is present"."""
    return _results(sent, cues().presence_words, ("amod", "subject", "for"))


def tested(sent: Any) -> set[int]:
    """What a result word is said of as a test or sign, not as the finding itself: the
    noun it modifies or its subject ("negative *Murphy* sign", "*review* of systems is
    negative"); what "negative for" or "positive for" names is the finding."""
    c = cues()
    slots = ("amod", "subject")
    return _results(sent, c.presence_words, slots) | _results(sent, c.absence_words, slots)


def _results(sent: Any, table: dict[str, tuple[str, ...]], wanted: tuple[str, ...]) -> set[int]:
    """The content words the sentence's result words of ``table`` are said of, through
    the slots in ``wanted`` (each item of a list, a light noun's compound for it)."""
    out: set[int] = set()
    low = sent.text.lower()
    if not any(word in low for word in table):
        return out  # most sentences: no result word, no walk over their tokens
    for w in sent:
        slots = [x for x in table.get(w.lower_, ()) if x in wanted]
        if not slots or w.pos_ not in {"ADJ", "PROPN"}:
            continue  # "Positive Lachman test." may be tagged a proper noun; "present" a verb
        found: list[Any] = []
        if "amod" in slots and w.dep_ in {"amod", "compound"}:
            found = [w.head]
        elif "subject" in slots and w.dep_ != "amod":
            found = said_of(w)
        if "for" in slots:
            found += [
                o
                for p in w.children
                if p.dep_ == "prep" and p.lower_ == "for"
                for o in p.children
                if o.dep_ == "pobj"
            ]
        for n in (named(x) for t in found for x in conjuncts(t)):
            if _content(n) and not _behind_barrier(n):
                out.add(n.i)
    return out


def conjuncts(t: Any) -> list[Any]:
    """``t`` and what is listed with it ("*lachman* and *mcmurray* tests are positive")."""
    out, stack = [], [t]
    while stack:
        x = stack.pop()
        out.append(x)
        stack.extend(ch for ch in x.children if ch.dep_ == "conj")
    return out


def _pseudo(t: Any) -> bool:
    """A head whose negation denies nothing ("no doubt", "I do not know"), or a noun
    that is a finding of its own when negated ("no change"; "has not changed" denies).
    A noun that a content word modifies is no idiom: "no *medical* problems" denies."""
    c = cues()
    lemma = t.lemma_.lower()
    if t.pos_ in {"NOUN", "PROPN"} and lemma in c.pseudo_nouns:
        return True
    if lemma not in c.pseudo_heads:
        return False
    return not (
        t.pos_ in {"NOUN", "PROPN"}
        and any(ch.dep_ in {"amod", "compound"} and _content(ch) for ch in t.children)
    )


def knowing(t: Any) -> bool:
    """A verb or adjective whose negation denies nothing ("know", "remember", "sure")."""
    return t.pos_ not in {"NOUN", "PROPN"} and t.lemma_.lower() in cues().pseudo_heads


def known_clause(t: Any) -> bool:
    """Whether ``t`` is in a clause that a knowing word takes ("do you know *what kind
    of inhaler it was*?", "do you remember *if you had a fever*?"), not in its object
    ("do you know of anyone *with neuropathy*?" asks whether there is one)."""
    prev = t
    for a in t.ancestors:
        if knowing(a):
            return prev.dep_ in {"ccomp", "xcomp", "csubj", "advcl"}
        prev = a
    return False


def negated_pseudo(t: Any) -> bool:
    """A verb or adjective whose negation denies nothing else, negated ("does not know
    the type", "is not sure", "neither ... can remember"): the claim reader reads it as
    a denial of the knowing alone, not of what is known."""
    if not knowing(t):
        return False  # a noun keeps its reading ("no problems with methotrexate")
    negators = cues().negators
    # "is not sure": the negation of a predicate adjective hangs from its copula
    holders = (t, t.head) if t.dep_ in {"acomp", "attr"} else (t,)
    return any(
        ch.dep_ == "neg" or (ch.dep_ in {"det", "preconj"} and ch.lower_ in negators)
        for h in holders
        for ch in h.children
    )


def _phrase_head(t: Any) -> Any:
    """The head noun of the phrase a modifier belongs to."""
    for _ in range(10):
        if t.dep_ not in {"amod", "compound", "nmod"} or t.head.i == t.i:
            break
        t = t.head
    return t


def _postposed(t: Any) -> Any | None:
    """A "no" after a noun ends a short reply that denies it ("diarrhea no")."""
    sent = t.sent
    if t.i == sent.start or len(sent) > 5:
        return None
    prev = t.doc[t.i - 1]
    return _phrase_head(prev) if prev.pos_ in {"NOUN", "PROPN"} else None


def _governor(t: Any) -> Any:
    g = t.head
    if t.dep_ == "pobj" and g.head.i != g.i:
        g = g.head
    return g


def _denied_change(t: Any) -> Any | None:
    """The noun of a denied change or difference ("*no* change in her pain", "*no*
    significant difference in pain scores"; ``polarity.json``'s ``pseudo_nouns``): the
    negation holds the noun alone, so the change is denied and what changed is not."""
    c = cues()
    if t.dep_ != "det" or t.lower_ not in c.negators:
        return None
    noun = _phrase_head(t.head) if t.head.i != t.i else t
    if noun.pos_ in {"NOUN", "PROPN"} and noun.lemma_.lower() in c.pseudo_nouns:
        return noun
    return None


def _objects(t: Any) -> frozenset[str]:
    """The content stems of a verb's direct objects and of its prepositions' objects,
    with their modifiers ("use her *albuterol inhaler*", "associated with *a change in
    mortality*"); nothing for another head."""
    if t.pos_ != "VERB":
        return frozenset()
    heads = [ch for ch in t.children if ch.dep_ == "dobj"]
    heads += [g for ch in t.children if ch.dep_ == "prep" for g in ch.children if g.dep_ == "pobj"]
    return frozenset(
        token_stem(x) for h in heads for x in h.subtree if _content(x) and not x.like_num
    )


def _antecedents(clause: Any) -> frozenset[str]:
    """The nouns of the sentence before ``clause`` (where a pronoun subject's referent
    is named: "I tried ibuprofen but *it* didn't help")."""
    start = clause.left_edge.i
    return frozenset(
        token_stem(t)
        for t in clause.sent
        if t.i < start and t.pos_ in {"NOUN", "PROPN"} and _content(t)
    )


def _subordinate(clause: Any) -> bool:
    """An adverbial clause with its marker ("when he walks", "if it hurts"), or a clause
    that asks rather than says ("we asked *whether* it helps", "see *if* it hurts"). A
    clause of cause or concession (``polarity.json``'s ``asserting_marks``: "because",
    "although", "as") says what it says, as a main clause does."""
    marks = [ch.lower_ for ch in clause.children if ch.dep_ == "mark"]
    if any(m in cues().asserting_marks for m in marks) and clause.head.pos_ != "ADV":
        # "as she has not been traveling": a cause or concession is said ("as long as
        # it does not hurt", hung on the adverb, is a condition)
        return False
    if clause.dep_ == "relcl" and clause.left_edge.lower_ in WHEN_WORDS:
        return True  # "any pain *when you cough*?": a when-clause hung on a noun
    return bool(marks) and (clause.dep_ == "advcl" or any(m in _ASKING for m in marks))


_ASKING = frozenset({"whether", "if"})


def _subject_stems(t: Any, clause: Any) -> frozenset[str]:
    """The content stems of the subject of ``t`` or of its clause ("*the chest pain*
    radiates"); empty for a pronoun subject."""
    return frozenset(
        token_stem(x)
        for h in {t, clause}
        for ch in h.children
        if ch.dep_ in _SUBJECT_DEPS
        for x in ch.subtree
        if _content(x)
    )
