"""Long documents: the lookups that replaced a scan of the whole document give the scan's answer, for any
input (hypothesis), so that a long document costs time in proportion to its length with the same rows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textlake.nlp.analyse import NameFinder, TaggedSpans
from textlake.nlp.quotes import Quotation
from textlake.nlp.quotes.found import Found
from textlake.nlp.quotes.positions import ByPosition


def names_as_the_expression_finds_them(names: set[str], text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """What `NameFinder` replaces: one expression of all names, the longest first."""
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    expression = re.compile(r"(?<![\w-])(" + alternatives + r")s?(?![\w-])")
    return [(m.start(), m.end(), m.group(1)) for m in expression.finditer(text, start, end)]


def test_names_are_found_as_whole_words_with_a_genitive_s_and_the_longest_first():
    text = "Putins Rede: Wladimir Putin traf Ex-Putin und Putinfreunde (Grüne) in St. Pölten."
    names = {"Putin", "Wladimir Putin", "(Grüne)", "St. Pölten", "Pölten"}
    found = list(NameFinder(names).finditer(text, 0, len(text)))
    assert [name for _, _, name in found] == ["Putin", "Wladimir Putin", "(Grüne)", "St. Pölten"]
    assert text[found[0][0] : found[0][1]] == "Putins"
    assert found == names_as_the_expression_finds_them(names, text, 0, len(text))


PIECES = ["Ab", "Abc", "s", " ", "-", "(", ")", "x", "Ä", "ß", ".", "Abcs", "\n", "_", "1", "St. "]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.sets(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join), min_size=1, max_size=6),
    st.integers(0, 12),
    st.integers(0, 12),
)
def test_the_name_finder_finds_what_the_expression_of_all_names_finds(text, names, margin_before, margin_after):
    start, end = min(margin_before, len(text)), max(len(text) - margin_after, 0)
    start = min(start, end)
    assert list(NameFinder(names).finditer(text, start, end)) == names_as_the_expression_finds_them(
        names, text, start, end
    )


spans = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda s: (s[0], s[0] + s[1])), max_size=25)


@given(spans, st.integers(-2, 45), st.integers(0, 10))
def test_tagged_spans_overlap_as_a_scan_of_all_says(tagged, start, length):
    end = start + length
    assert TaggedSpans(tagged).overlap(start, end) == any(start < t_end and t_start < end for t_start, t_end in tagged)


@given(st.one_of(spans.map(sorted), spans), st.integers(-2, 45), st.integers(0, 10))
def test_items_by_position_are_every_item_that_can_lie_there(items, start, length):
    """Sorted as the stages make them or not: every item that starts there, or overlaps, is a candidate."""
    end = start + length
    indexed = ByPosition.of_spans(items)
    starting = [i for i, (s, e) in enumerate(items) if start <= s <= end]
    overlapping = [i for i, (s, e) in enumerate(items) if s < end and start < e]
    assert [i for i in indexed.starting_in(start, end) if start <= items[i][0] <= end] == starting
    assert [i for i in indexed.overlapping(start, end) if items[i][0] < end and start < items[i][1]] == overlapping


quotations = st.lists(
    st.builds(
        lambda start, length, kind, sentence: Quotation(((start, start + length),), kind, sentence, None, None, None),
        st.integers(0, 60),
        st.integers(1, 15),
        st.sampled_from(["direct", "indirect"]),
        st.integers(0, 8),
    ),
    max_size=20,
)


@given(quotations, st.integers(0, 70), st.integers(0, 10))
def test_quotations_found_answer_as_a_scan_of_all_does(found_so_far, position, sentence):
    """Added one by one, in sentence order or not, with the direct ones in start order or not."""
    found = Found.of(found_so_far)
    assert list(found) == found_so_far and list(reversed(found)) == found_so_far[::-1]
    assert found.any_starting_at(position) == any(q.start == position for q in found_so_far)
    assert found.any_overlapping(position, position + sentence) == any(
        q.start < position + sentence and position < q.end for q in found_so_far
    )
    assert found.direct_around(position) == any(
        q.kind == "direct" and q.start <= position < q.end for q in found_so_far
    )
    recent = [q for q in found.since(sentence) if q.sentence >= sentence]
    assert recent == [q for q in found_so_far if q.sentence >= sentence]


def test_an_earlier_sentences_quotations_stay_as_they_were_when_a_later_one_adds():
    first = Quotation(((0, 5),), "direct", 0, None, None, None)
    second = Quotation(((10, 15),), "indirect", 1, None, None, None)
    before = Found.of([first])
    after = before.appending(second)
    branch = before.appending(first)  # from the earlier state again: a copy, the later one unchanged
    assert list(before) == [first] and list(after) == [first, second] and list(branch) == [first, first]


@given(quotations.filter(bool), quotations, st.integers(0, 70))
def test_quotations_with_the_last_replaced_answer_as_if_built_so(found_so_far, more, position):
    replaced = Quotation(((position, position + 3),), "direct", 9, None, None, None)
    found = Found.of(found_so_far).replacing_last(replaced)
    for quotation in more:
        found = found.appending(quotation)
    expected = Found.of([*found_so_far[:-1], replaced, *more])
    assert list(found) == list(expected)
    assert found.direct_around(position) == expected.direct_around(position)
    assert found.any_starting_at(position) == expected.any_starting_at(position)
    assert found.any_overlapping(position, position + 4) == expected.any_overlapping(position, position + 4)
    assert list(found.since(3)) == list(expected.since(3))


def test_quotations_whose_last_a_later_sentence_replaced_are_not_asked_again():
    first = Quotation(((0, 5),), "indirect_free_indirect", 0, None, None, None)
    before = Found.of([first])
    before.replacing_last(Quotation(((0, 9),), "indirect_free_indirect", 0, None, None, None))
    with pytest.raises(RuntimeError):
        list(before)


@pytest.mark.slow
def test_a_long_file_moves_the_progress_bar_before_it_is_done(prefect_server, tmp_path):
    """One long file, on a terminal, two workers: the bar shows its bytes moving while it still says 0/1
    files (it sat at zero until the whole file was analysed, one worker busy and the other idle)."""
    from tests.conftest import SEED_ARTICLE
    from tests.test_operations import Terminal

    inputs = tmp_path / "in"
    inputs.mkdir()
    article = SEED_ARTICLE.read_text(encoding="utf-8").split("\n", 1)[1]  # without its date line
    (inputs / "bericht.txt").write_text("\n\n".join([article] * 12), encoding="utf-8")  # ~30 kB
    env = prefect_server | {
        "TEXTLAKE_WORKERS": "2",
        "TEXTLAKE_DOCUMENT_PART_CHARS": "2000",
    }
    terminal = Terminal(["run", str(inputs), "--data-dir", str(tmp_path / "data")], env)
    code = terminal.wait(timeout=600)
    screen = terminal.screen()
    assert code == 0, screen[-2000:]
    inside = [float(done) for done in re.findall(r"0/1 files\s+(?:\d+ documents\s+)?([0-9.]+)/[0-9.]+ kB", screen)]
    assert any(0 < done for done in inside), screen[-2000:]
