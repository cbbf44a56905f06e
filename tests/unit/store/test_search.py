"""Name search: whole earlier words, the last word a prefix while it is being typed (issue 14).

What the officer expects: the F3 search box and the terminal counter send the text when Enter is
pressed, and the officer often stops typing in the middle of the last word ("Nguyen Ho") — that
word is a prefix. Every earlier word was finished with a space, so it must be the whole word:
"Ng Hoa" does not find Nguyễn Hoa, and "Hoa" as a first word does not find Hoàng or Hoài. A text
that ends with a space ("Nguyen Hoa ") has no prefix at all.
"""

from __future__ import annotations

import pytest
from helpers import receive

from counter_app.services import queries
from counter_app.services.context import Counter
from counter_app.services.demo import generate
from counter_app.store import dossiers as dossier_store

NAMES = ["Nguyễn Thị Hoa", "Nguyễn Thị Hoài", "Hoàng Thị Hoa", "Nguyễn Văn Hoàng", "Trần Văn Nam"]


@pytest.fixture
def people(counter: Counter) -> Counter:
    for i, name in enumerate(NAMES):
        receive(counter, name=name, id_number=f"00109012345{i}")
    return counter


def found(counter: Counter, text: str) -> set[str]:
    return {d.applicant_name for d in queries.search_dossiers(counter, text)}


def test_an_earlier_word_is_whole_the_last_one_a_prefix(people: Counter) -> None:
    assert found(people, "Nguyen Hoa") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hoài", "Nguyễn Văn Hoàng"}
    assert found(people, "Nguyen Ho") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hoài", "Nguyễn Văn Hoàng"}
    # "hoa" typed first and finished: Hoài and Hoàng are other names, not longer spellings of it.
    assert found(people, "Hoa Thi") == {"Nguyễn Thị Hoa", "Hoàng Thị Hoa"}
    assert found(people, "Ng Hoa") == set()
    assert found(people, "nguyen thi hoa") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hoài"}


def test_a_finished_last_word_has_no_prefix(people: Counter) -> None:
    assert found(people, "Nguyen Hoa ") == {"Nguyễn Thị Hoa"}
    assert found(people, "hoa ") == {"Nguyễn Thị Hoa", "Hoàng Thị Hoa"}


def test_a_single_unfinished_word_still_finds_by_prefix(people: Counter) -> None:
    assert found(people, "hoa") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hoài", "Hoàng Thị Hoa", "Nguyễn Văn Hoàng"}
    assert found(people, "Hoàn") == {"Nguyễn Văn Hoàng", "Hoàng Thị Hoa"}
    assert found(people, "khai s") == set(NAMES)  # the procedure's name (Đăng ký khai sinh) is searched too


def test_the_dossier_list_keeps_the_trailing_space(people: Counter) -> None:
    """The F3 page passes the box's text as typed; its trailing space means the word is finished."""
    rows = queries.list_dossiers(people, queries.DossierFilter(text="Nguyen Hoa "))
    assert [d.applicant_name for _, d in rows] == ["Nguyễn Thị Hoa"]
    rows = queries.list_dossiers(people, queries.DossierFilter(text="Nguyen Hoa"))
    assert len(rows) == 3


def test_newest_first_and_bounded(counter: Counter) -> None:
    codes = [receive(counter, name="Lê Thị Hoa", id_number=f"00119012345{i}").dossier.code for i in range(5)]
    assert [d.code for d in dossier_store.search(counter.store, "le thi ho", limit=3)] == codes[::-1][:3]


def test_match_expression() -> None:
    assert dossier_store.match_expression("Nguyễn Hoa") == '"nguyen" AND "hoa"*'
    assert dossier_store.match_expression("Nguyễn Hoa ") == '"nguyen" AND "hoa"'
    assert dossier_store.match_expression("Đào,") == '"dao"*'
    assert dossier_store.match_expression(" - ") is None
    expand = {"hoa": ["hoa", "hoai", "hoang"]}.get
    assert dossier_store.match_expression("Nguyen Hoa", expand) == '"nguyen" AND ("hoa" OR "hoai" OR "hoang")'
    assert (
        dossier_store.match_expression("Nguyen Ho", expand) == '"nguyen" AND "ho"*'
    )  # nothing known: FTS5's own


def indexed_terms(counter: Counter) -> set[str]:
    conn = counter.store.conn
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, dossiers_fts, 'row')")
    return {r[0] for r in conn.execute("SELECT term FROM temp.vocab")}


def known_terms(counter: Counter) -> set[str]:
    return {r[0] for r in counter.store.conn.execute("SELECT term FROM dossier_terms")}


def test_every_indexed_word_is_known_to_the_prefix_lookup(people: Counter) -> None:
    """A word missing from dossier_terms would hide dossiers from a search: every writer adds them."""
    assert indexed_terms(people) == known_terms(people)
    generate(people, 50, seed=3, days=10)  # the bulk path
    assert indexed_terms(people) == known_terms(people)
    assert dossier_store.rebuild_projection(people.store) == 55
    assert indexed_terms(people) == known_terms(people)


def test_the_migration_fills_the_words_of_an_existing_database(people: Counter) -> None:
    conn = people.store.conn
    conn.execute("DROP TABLE dossier_terms")
    conn.execute("DELETE FROM _migrations WHERE name = '0006_search_terms'")
    assert people.store.migrate() == ["0006_search_terms"]
    assert known_terms(people) == indexed_terms(people) >= {"nguyen", "hoai", "hoang", "khai", "sinh"}
    assert found(people, "Nguyen Hoa") == {"Nguyễn Thị Hoa", "Nguyễn Thị Hoài", "Nguyễn Văn Hoàng"}
