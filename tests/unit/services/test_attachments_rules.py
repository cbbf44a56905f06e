"""The pure rules of counter_app.domain.attachments: sniffing, page classification, coverage, the fold."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from unit.services.test_attachments_support import A6_300, photo_page, text_page

from counter_app.domain import attachments as rules
from counter_app.domain.attachments import RESULT, Mime, PageKind
from counter_app.domain.errors import ValidationError
from counter_app.domain.lifecycle import Action, Event


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", Mime.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", Mime.PNG),
        (b"II*\x00\x08\x00", Mime.TIFF),
        (b"MM\x00*\x00\x00", Mime.TIFF),
        (b"%PDF-1.7\n", Mime.PDF),
        (b"\xef\xbb\xbf junk first %PDF-1.4", Mime.PDF),  # readers accept junk before the header
        (b"GIF89a", None),
        (b"PK\x03\x04", None),  # a .docx or .zip
        (b"Hello", None),
        (b"", None),
    ],
)
def test_sniff_looks_at_the_content(head: bytes, mime: Mime | None) -> None:
    assert rules.sniff(head) == mime


def test_size_limits() -> None:
    rules.check_size(1, "a")
    rules.check_size(rules.MAX_BYTES, "a")
    with pytest.raises(ValidationError, match="rỗng"):
        rules.check_size(0, "a")
    with pytest.raises(ValidationError, match="quá giới hạn 200 MB"):
        rules.check_size(rules.MAX_BYTES + 1, "a")


def _stats(image: Image.Image) -> rules.PageStats:
    gray = image.convert("L")
    try:
        return rules.page_stats(gray.histogram())
    finally:
        gray.close()
        image.close()


def test_text_page_and_photo_are_told_apart() -> None:
    text = _stats(text_page(A6_300))
    photo = _stats(photo_page(A6_300))
    assert text.kind == PageKind.TEXT and text.mid < 0.05 and text.light > 0.8
    assert photo.kind == PageKind.PHOTO and photo.mid > 0.2


def test_faint_and_blank_pages_stay_gray() -> None:
    faint = [0] * 256
    faint[200], faint[240] = 100, 900  # pencil on paper: 40 levels apart
    assert rules.page_stats(faint).kind == PageKind.PHOTO
    blank = [0] * 256
    blank[250] = 1000
    assert rules.page_stats(blank).kind == PageKind.PHOTO
    crisp = [0] * 256
    crisp[10], crisp[245] = 80, 920
    stats = rules.page_stats(crisp)
    assert stats.kind == PageKind.TEXT and 10 <= stats.level < 245


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=256, max_size=256))
def test_otsu_level_is_a_gray_level(hist: list[int]) -> None:
    assert 0 <= rules.otsu(hist) <= 255
    stats = rules.page_stats(hist)
    assert 0 <= stats.mid <= 1 and 0 <= stats.light <= 1


@pytest.mark.parametrize(
    ("declared", "size", "dpi"),
    [
        ((300, 300), (2480, 3508), 300),
        ((600.0, 600.0), (4960, 7016), 600),
        ((72, 72), (2480, 3508), 3508 / 11.69),  # a camera's 72: taken as an A4 page
        (None, (1240, 1754), 1754 / 11.69),
        ((300, 300), (12000, 300), 12000 / 11.69),  # a 40-inch strip is not what it says
        ("x", (100, 100), 100 / 11.69),
    ],
)
def test_effective_dpi(declared: object, size: tuple[int, int], dpi: float) -> None:
    assert rules.effective_dpi(declared, size) == pytest.approx(dpi)


DOCS = [
    {"name": "Tờ khai", "required": True},
    {"name": "Giấy chứng sinh", "required": True},
    {"name": "Văn bản ủy quyền", "required": False},
    {"name": "Xuất trình: giấy tờ tùy thân", "required": True},
]


def test_coverage_of_the_checklist() -> None:
    assert [rules.needs_digitizing(d) for d in DOCS] == [True, True, False, False]
    assert rules.missing_documents(DOCS, []) == [0, 1]
    assert rules.missing_documents(DOCS, [1, RESULT]) == [0]
    assert not rules.fully_digitized(DOCS, [0, 2, RESULT])
    assert rules.fully_digitized(DOCS, [0, 1])
    optional_only = [{"name": "Văn bản ủy quyền", "required": False}]
    assert not rules.fully_digitized(optional_only, [RESULT])
    assert rules.fully_digitized(optional_only, [0])


def test_parse_target_and_labels() -> None:
    assert rules.parse_target(1, DOCS) == 1
    assert rules.parse_target("2", DOCS) == 2
    assert rules.parse_target(" Result ", DOCS) == RESULT
    with pytest.raises(ValidationError, match="không có giấy tờ số 5"):
        rules.parse_target(4, DOCS)
    with pytest.raises(ValidationError, match="không phải số thứ tự"):
        rules.parse_target("tờ khai", DOCS)
    assert rules.target_label(DOCS, 0) == "1. Tờ khai"
    assert rules.target_label(DOCS, RESULT) == rules.target_label(DOCS, None) == "Kết quả giải quyết"


def _event(seq: int, action: Action, payload: dict) -> Event:
    return Event(f"e{seq}", "d", seq, action, datetime(2026, 11, 16, 9, seq), "h", "lan", "dev", payload)


def test_fold_is_pure_and_order_independent_of_input_order() -> None:
    events = [
        _event(
            2,
            Action.ATTACH,
            {
                "attachment_id": "a",
                "sha256": "s1",
                "document": 0,
                "pages": 1,
                "bytes": 9,
                "mime": "application/pdf",
            },
        ),
        _event(
            3,
            Action.ATTACH,
            {
                "attachment_id": "b",
                "sha256": "s2",
                "document": RESULT,
                "pages": 2,
                "bytes": 9,
                "mime": "application/pdf",
            },
        ),
        _event(4, Action.TRANSFER, {"handler": "x"}),
        _event(5, Action.ARRANGE, {"attachment_id": "b", "order": -1, "rotation": 270}),
        _event(6, Action.DETACH, {"attachment_id": "a"}),
    ]
    rows = rules.replay(events)
    assert rules.replay(list(reversed(events))) == rows
    assert rows["a"].removed_at == datetime(2026, 11, 16, 9, 6) and not rows["a"].live
    assert (rows["b"].order, rows["b"].rotation, rows["b"].target, rows["b"].updated_seq) == (
        -1,
        270,
        RESULT,
        5,
    )
    assert [a.id for a in rules.in_order(rows.values())] == ["b", "a"]
