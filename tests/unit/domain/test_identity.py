"""Identity papers: personal ID structure, ID normalisation, CCCD chip-card QR parsing."""

from __future__ import annotations

import contextlib
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import ValidationError
from counter_app.domain.identity import (
    ID_TYPE_LABELS,
    PROVINCE_CODES,
    CccdInfo,
    CccdQr,
    IdType,
    check_cccd,
    looks_like_cccd_qr,
    normalize_id_number,
    parse_cccd_qr,
)

TODAY = date(2026, 1, 15)
SAMPLE_1 = (
    "089202017098|352576714|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang|31122021"
)
SAMPLE_2 = "049202000284||Khuất Lưu Huy Nhật|24022002|Nam|Cẩm Bào, Cẩm Yên, Thạch Thất, Hà Nội|31052021"


def refusal(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        func(*args, **kwargs)
    return caught.value


def qr(**overrides: str) -> str:
    """SAMPLE_1 with some fields replaced."""
    names = ["id", "old", "name", "birth", "gender", "address", "issue"]
    parts = dict(zip(names, SAMPLE_1.split("|"), strict=True))
    parts.update(overrides)
    return "|".join(parts[n] for n in names)


# --- constants --------------------------------------------------------------------------------


def test_province_list_is_the_63_codes_of_the_circular() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["049"] == "Quảng Nam"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["089"] == "An Giang"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    assert min(PROVINCE_CODES) == "001" and max(PROVINCE_CODES) == "096"
    assert all(name == unicodedata.normalize("NFC", name) for name in PROVINCE_CODES.values())
    with pytest.raises(TypeError):
        PROVINCE_CODES["097"] = "Nowhere"  # type: ignore[index]


def test_labels() -> None:
    assert ID_TYPE_LABELS == {
        IdType.CCCD: "Căn cước/CCCD",
        IdType.CMND: "CMND (9 số)",
        IdType.PASSPORT: "Hộ chiếu",
        IdType.OTHER: "Giấy tờ khác",
    }
    assert IdType("passport") is IdType.PASSPORT and str(IdType.CCCD) == "cccd"


# --- check_cccd -------------------------------------------------------------------------------


def test_samples_decode() -> None:
    assert check_cccd("089202017098", today=TODAY) == CccdInfo("089", "An Giang", "Nam", 2002)
    assert check_cccd("049202000284", today=TODAY) == CccdInfo("049", "Quảng Nam", "Nam", 2002)
    assert check_cccd(
        "089202017098", birth_date=date(2002, 5, 23), gender="Nam", today=TODAY
    ).province_name == ("An Giang")


@pytest.mark.parametrize(
    ("digit", "year", "gender"),
    [
        ("0", 1985, "Nam"),
        ("1", 1985, "Nữ"),
        ("2", 2085, "Nam"),
        ("3", 2085, "Nữ"),
        ("4", 2185, "Nam"),
        ("5", 2185, "Nữ"),
        ("6", 2285, "Nam"),
        ("7", 2285, "Nữ"),
        ("8", 2385, "Nam"),
        ("9", 2385, "Nữ"),
    ],
)
def test_century_and_gender_digit(digit: str, year: int, gender: str) -> None:
    info = check_cccd(f"001{digit}85123456", today=date(2400, 1, 1))
    assert (info.birth_year, info.gender) == (year, gender)


def test_gender_given_in_any_case_or_form() -> None:
    number = "001185123456"  # female, 1985
    for spelling in ("Nữ", "nữ", "NỮ", unicodedata.normalize("NFD", "Nữ"), " nữ "):
        assert check_cccd(number, gender=spelling, today=TODAY).gender == "Nữ"


def test_refuses_empty() -> None:
    err = refusal(check_cccd, "", today=TODAY)
    assert err.message == "Chưa nhập số căn cước." and err.field == "id_number"


@pytest.mark.parametrize(("number", "count"), [("08920201709", 11), ("0892020170981", 13), ("0", 1)])
def test_refuses_wrong_length(number: str, count: int) -> None:
    err = refusal(check_cccd, number, today=TODAY)
    assert err.message == f"Số căn cước phải có đúng 12 chữ số; số vừa nhập có {count} chữ số."
    assert err.field == "id_number"


def test_nine_digits_hint_at_cmnd() -> None:
    err = refusal(check_cccd, "352576714", today=TODAY)
    assert "có 9 chữ số" in err.message and "CMND cũ" in err.message


@pytest.mark.parametrize(
    ("number", "shown"), [("08920201709A", "«A»"), ("089 202017098", "« »"), ("0892O2017098", "«O»")]
)
def test_refuses_letters(number: str, shown: str) -> None:
    err = refusal(check_cccd, number, today=TODAY)
    assert err.message == f"Số căn cước chỉ gồm chữ số 0–9; có ký tự không hợp lệ: {shown}."
    assert err.field == "id_number"


def test_refuses_non_ascii_digits() -> None:
    # '٠' is a digit to str.isdigit() but never on a Vietnamese card.
    assert "«٠»" in refusal(check_cccd, "٠89202017098", today=TODAY).message


@pytest.mark.parametrize("code", ["000", "097", "003", "099", "100", "999"])
def test_refuses_unknown_province(code: str) -> None:
    err = refusal(check_cccd, f"{code}202017098", today=TODAY)
    assert err.message.startswith(
        f"Ba số đầu «{code}» của số căn cước không phải mã tỉnh nơi đăng ký khai sinh"
    )
    assert err.field == "id_number"


def test_refuses_birth_year_not_yet_reached() -> None:
    err = refusal(check_cccd, "001299123456", today=TODAY)  # 2099
    assert err.message.startswith("Số căn cước cho năm sinh 2099")
    assert "muộn hơn năm hiện tại 2026" in err.message
    assert "2185" in refusal(check_cccd, "001485123456", today=TODAY).message


def test_refuses_century_inconsistent_with_birth_date() -> None:
    err = refusal(check_cccd, "089002017098", birth_date=date(2002, 5, 23), today=TODAY)
    assert err.message == (
        "Chữ số thứ 4 của số căn cước («0») dành cho người sinh từ năm 1900 đến 1999, "
        "nhưng ngày sinh là 23/05/2002."
    )
    assert err.field == "id_number"


def test_refuses_year_inconsistent_with_birth_date() -> None:
    err = refusal(check_cccd, "089202017098", birth_date=date(2003, 5, 23), today=TODAY)
    assert err.message == (
        "Chữ số thứ 5–6 của số căn cước («02») là hai số cuối năm sinh, nhưng ngày sinh là 23/05/2003."
    )


def test_refuses_gender_mismatch() -> None:
    err = refusal(check_cccd, "089202017098", gender="Nữ", today=TODAY)
    assert err.message == (
        "Chữ số thứ 4 của số căn cước («2») ứng với giới tính Nam, nhưng giới tính khai là Nữ."
    )
    assert err.field == "id_number"


def test_refuses_unknown_gender_value() -> None:
    err = refusal(check_cccd, "089202017098", gender="Khác", today=TODAY)
    assert err.message == "Giới tính khai phải là «Nam» hoặc «Nữ», không phải «Khác»."
    assert err.field == "gender"


def test_default_today_is_the_system_date() -> None:
    assert check_cccd("089202017098").birth_year == 2002


# --- normalize_id_number ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("id_type", "raw", "expected"),
    [
        (IdType.CCCD, "089202017098", "089202017098"),
        (IdType.CCCD, " 089 202 017 098 ", "089202017098"),
        (IdType.CCCD, "089-202-017-098\r\n", "089202017098"),
        (IdType.CCCD, "０８９２０２０１７０９８", "089202017098"),  # full-width digits from an IME
        (IdType.CMND, "352 576 714", "352576714"),
        (IdType.PASSPORT, "c1234567", "C1234567"),
        (IdType.PASSPORT, "B 123-4567", "B1234567"),
        (IdType.PASSPORT, "ab123456", "AB123456"),
        (IdType.PASSPORT, "x" * 20, "X" * 20),
        (IdType.OTHER, "  GKS   số 12/2020 ", "GKS số 12/2020"),
        (IdType.OTHER, "ABC", "ABC"),
        (IdType.OTHER, unicodedata.normalize("NFD", "Giấy xác nhận"), "Giấy xác nhận"),
        ("cmnd", "352576714", "352576714"),
    ],
)
def test_normalize_accepts(id_type: IdType, raw: str, expected: str) -> None:
    assert normalize_id_number(id_type, raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("id_type", "raw", "message"),
    [
        (IdType.CCCD, "   ", "Chưa nhập số giấy tờ tùy thân."),
        (IdType.CCCD, "08920201709", "Số căn cước phải có đúng 12 chữ số; số vừa nhập có 11 chữ số."),
        (IdType.CCCD, "097202017098", "Ba số đầu «097»"),
        (IdType.CMND, "", "Chưa nhập số giấy tờ tùy thân."),
        (IdType.CMND, "35257671", "Số CMND phải có đúng 9 chữ số; số vừa nhập có 8 chữ số."),
        (IdType.CMND, "089202017098", "hãy chọn loại giấy tờ Căn cước/CCCD"),
        (IdType.CMND, "35257671X", "Số CMND chỉ gồm chữ số 0–9."),
        (IdType.PASSPORT, "C12", "Số hộ chiếu không hợp lệ"),
        (IdType.PASSPORT, "X" * 21, "Số hộ chiếu không hợp lệ"),
        (IdType.PASSPORT, "Đ1234567", "Số hộ chiếu không hợp lệ"),
        (IdType.PASSPORT, "C123/4567", "Số hộ chiếu không hợp lệ"),
        (IdType.PASSPORT, "straße12", "Số hộ chiếu không hợp lệ"),
        (IdType.OTHER, "  ", "Chưa nhập số giấy tờ tùy thân."),
        (IdType.OTHER, "ab", "Số giấy tờ khác phải dài từ 3 đến 30 ký tự; đang có 2 ký tự."),
        (IdType.OTHER, "x" * 31, "Số giấy tờ khác phải dài từ 3 đến 30 ký tự; đang có 31 ký tự."),
        (IdType.OTHER, "ab\x07cd", "Số giấy tờ có ký tự điều khiển không in được."),
    ],
)
def test_normalize_refuses(id_type: IdType, raw: str, message: str) -> None:
    err = refusal(normalize_id_number, id_type, raw, today=TODAY)
    assert message in err.message
    assert err.field == "id_number"


def test_normalize_does_not_cross_check() -> None:
    # No birth date or gender at this stage: any structurally valid number passes.
    assert normalize_id_number(IdType.CCCD, "001185123456", today=TODAY) == "001185123456"


def test_normalize_refuses_unknown_type() -> None:
    err = refusal(normalize_id_number, "driving_licence", "123456")  # type: ignore[arg-type]
    assert err.field == "id_type" and "driving_licence" in err.message


# --- parse_cccd_qr ---------------------------------------------------------------------------


def test_parses_sample_with_old_id() -> None:
    assert parse_cccd_qr(SAMPLE_1, today=TODAY) == CccdQr(
        id_number="089202017098",
        old_id="352576714",
        name="Lê Văn Lương",
        birth_date=date(2002, 5, 23),
        gender="Nam",
        address="Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang",
        issue_date=date(2021, 12, 31),
    )


def test_parses_sample_with_empty_old_id_without_shifting_fields() -> None:
    card = parse_cccd_qr(SAMPLE_2, today=TODAY)
    assert card.old_id is None
    assert card.name == "Khuất Lưu Huy Nhật"
    assert card.birth_date == date(2002, 2, 24)
    assert card.gender == "Nam"
    assert card.address == "Cẩm Bào, Cẩm Yên, Thạch Thất, Hà Nội"
    assert card.issue_date == date(2021, 5, 31)


@pytest.mark.parametrize(
    "wrapped",
    [SAMPLE_1 + "\r\n", SAMPLE_1 + "\n", "  " + SAMPLE_1 + " \t", "\ufeff" + SAMPLE_1, SAMPLE_1 + "\r"],
)
def test_tolerates_line_endings_and_surrounding_whitespace(wrapped: str) -> None:
    assert parse_cccd_qr(wrapped, today=TODAY) == parse_cccd_qr(SAMPLE_1, today=TODAY)


@pytest.mark.parametrize("tail", ["|", "|extra", "|a|b|c", "|01012030|"])
def test_tolerates_extra_trailing_fields(tail: str) -> None:
    assert parse_cccd_qr(SAMPLE_1 + tail, today=TODAY) == parse_cccd_qr(SAMPLE_1, today=TODAY)


def test_nfd_input_is_normalised_to_nfc() -> None:
    card = parse_cccd_qr(unicodedata.normalize("NFD", SAMPLE_1), today=TODAY)
    assert card.name == "Lê Văn Lương"
    assert unicodedata.is_normalized("NFC", card.name) and unicodedata.is_normalized("NFC", card.address)
    assert card == parse_cccd_qr(SAMPLE_1, today=TODAY)
    assert (
        parse_cccd_qr(qr(gender=unicodedata.normalize("NFD", "Nữ"), id="089302017098"), today=TODAY).gender
        == "Nữ"
    )


def test_name_and_address_whitespace_collapsed() -> None:
    card = parse_cccd_qr(qr(name="  Lê   Văn\tLương ", address=" Tổ 10,   Ấp An Thái "), today=TODAY)
    assert card.name == "Lê Văn Lương" and card.address == "Tổ 10, Ấp An Thái"


def test_empty_issue_date_and_address_are_accepted() -> None:
    card = parse_cccd_qr(qr(issue="", address=""), today=TODAY)
    assert card.issue_date is None and card.address == ""


def test_twelve_digit_old_id_accepted() -> None:
    assert parse_cccd_qr(qr(old="089123456789"), today=TODAY).old_id == "089123456789"


@pytest.mark.parametrize("text", ["089202017098|352576714|Lê Văn Lương|23052002|Nam", "", "hello"])
def test_refuses_too_few_fields(text: str) -> None:
    err = refusal(parse_cccd_qr, text, today=TODAY)
    count = len(text.split("|"))
    assert err.message == (
        f"Mã QR không phải của thẻ căn cước: cần 7 trường ngăn cách bởi '|', mã vừa quét có {count} trường."
    )
    assert err.field == "qr"


def test_refuses_six_field_variant_without_old_id() -> None:
    # The layout some public parsers wrongly assume; a real card always has the old-ID slot.
    six = "089202017098|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái|31122021"
    assert "mã vừa quét có 6 trường" in refusal(parse_cccd_qr, six, today=TODAY).message


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"birth": "31022002"}, "birth_date", "Ngày sinh trong mã QR «31022002» không phải ngày có thật."),
        (
            {"birth": "2352002"},
            "birth_date",
            "Ngày sinh trong mã QR «2352002» không đúng dạng ngày ddmmyyyy (8 chữ số).",
        ),
        ({"birth": "2002-05-23"}, "birth_date", "không đúng dạng ngày ddmmyyyy"),
        ({"birth": "00000000"}, "birth_date", "không phải ngày có thật"),
        (
            {"birth": "16012026"},
            "birth_date",
            "Ngày sinh trong mã QR (16/01/2026) sau ngày hôm nay (15/01/2026).",
        ),
        ({"birth": "01011899"}, "birth_date", "Ngày sinh trong mã QR (01/01/1899) trước năm 1900."),
        ({"issue": "31132021"}, "issue_date", "Ngày cấp trong mã QR «31132021» không phải ngày có thật."),
        (
            {"issue": "22052002"},
            "issue_date",
            "Ngày cấp trong mã QR (22/05/2002) trước ngày sinh (23/05/2002).",
        ),
        (
            {"issue": "16012026"},
            "issue_date",
            "Ngày cấp trong mã QR (16/01/2026) sau ngày hôm nay (15/01/2026).",
        ),
        ({"gender": "Male"}, "gender", "Giới tính trong mã QR phải là «Nam» hoặc «Nữ», không phải «Male»."),
        ({"gender": ""}, "gender", "Giới tính trong mã QR phải là «Nam» hoặc «Nữ»"),
        ({"name": "  "}, "name", "Mã QR không có họ tên."),
        ({"name": "Le6 Va8n Luong7"}, "name", "có chữ số: có thể bộ gõ tiếng Việt (VNI/Telex)"),
        (
            {"old": "12345"},
            "old_id",
            "Số CMND cũ trong mã QR «12345» không hợp lệ: phải gồm 9 hoặc 12 chữ số.",
        ),
        ({"id": "08920201709"}, "id_number", "Số căn cước phải có đúng 12 chữ số; số vừa nhập có 11 chữ số."),
        ({"id": ""}, "id_number", "Chưa nhập số căn cước."),
        ({"id": "097202017098"}, "id_number", "Ba số đầu «097»"),
        ({"id": "000202017098"}, "id_number", "Ba số đầu «000»"),
        (
            {"id": "089002017098"},
            "id_number",
            "dành cho người sinh từ năm 1900 đến 1999, nhưng ngày sinh là 23/05/2002.",
        ),
        ({"id": "089203017098"}, "id_number", "là hai số cuối năm sinh, nhưng ngày sinh là 23/05/2002."),
        ({"id": "089302017098"}, "id_number", "ứng với giới tính Nữ, nhưng giới tính khai là Nam."),
    ],
)
def test_refusals(overrides: dict[str, str], field: str, message: str) -> None:
    err = refusal(parse_cccd_qr, qr(**overrides), today=TODAY)
    assert message in err.message
    assert err.field == field


def test_bad_number_reported_before_other_fields() -> None:
    err = refusal(parse_cccd_qr, qr(id="ABC", birth="31022002"), today=TODAY)
    assert err.field == "id_number"


# --- looks_like_cccd_qr ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [SAMPLE_1, SAMPLE_2, SAMPLE_1 + "\r\n", " " + SAMPLE_2, "\ufeff" + SAMPLE_1])
def test_looks_like_qr(text: str) -> None:
    assert looks_like_cccd_qr(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "089202017098",
        "089202017098|",
        "089202017098|352576714|Lê Văn Lương|23052002|Nam",
        "08920201709|a|b|c|d|e|f",
        "Lê Văn Lương|089202017098|||||",
        "BHYT|4C65|01/01/1990|1|x|y|z",
    ],
)
def test_does_not_look_like_qr(text: str) -> None:
    assert not looks_like_cccd_qr(text)


# --- properties ------------------------------------------------------------------------------

VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
WORD = st.text(alphabet=VI_LETTERS + VI_LETTERS.upper(), min_size=1, max_size=8)
GAP = st.sampled_from([" ", "  ", "\t", " \u00a0"])


@st.composite
def spaced(draw: st.DrawFn, words: st.SearchStrategy[str], max_words: int) -> str:
    parts = draw(st.lists(words, min_size=1, max_size=max_words))
    out = draw(st.sampled_from(["", " "])) + parts[0]
    for part in parts[1:]:
        out += draw(GAP) + part
    return out + draw(st.sampled_from(["", " "]))


@st.composite
def card_qr(draw: st.DrawFn) -> tuple[str, CccdQr]:
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    gender = draw(st.sampled_from(["Nam", "Nữ"]))
    digit = (birth.year - 1900) // 100 * 2 + (gender == "Nữ")
    number = (
        draw(st.sampled_from(sorted(PROVINCE_CODES)))
        + f"{digit}{birth.year % 100:02d}"
        + draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    )
    old_id = draw(
        st.one_of(
            st.just(""),
            st.text(alphabet="0123456789", min_size=9, max_size=9),
            st.text(alphabet="0123456789", min_size=12, max_size=12),
        )
    )
    name = draw(spaced(WORD, 6))
    address_word = st.text(
        alphabet=VI_LETTERS + VI_LETTERS.upper() + "0123456789,./-", min_size=1, max_size=10
    )
    address = draw(st.one_of(st.just(""), spaced(address_word, 10)))
    issue = draw(st.one_of(st.none(), st.dates(min_value=birth, max_value=TODAY)))
    gender_text = draw(st.sampled_from([gender, gender.upper(), gender.lower()]))
    fields = [
        number,
        old_id,
        name,
        f"{birth:%d%m}{birth.year:04d}",
        gender_text,
        address,
        "" if issue is None else f"{issue:%d%m}{issue.year:04d}",
    ]
    extra = draw(st.lists(st.text(alphabet=VI_LETTERS + "0123456789 ", max_size=5), max_size=3))
    text = "|".join(fields + extra)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    text = draw(st.sampled_from(["", " ", "\ufeff"])) + text + draw(st.sampled_from(["", "\r\n", "\n", " "]))
    expected = CccdQr(
        id_number=number,
        old_id=old_id or None,
        name=" ".join(unicodedata.normalize("NFC", name).split()),
        birth_date=birth,
        gender=gender,
        address=" ".join(unicodedata.normalize("NFC", address).split()),
        issue_date=issue,
    )
    return text, expected


@given(card_qr())
def test_well_formed_qr_round_trips(case: tuple[str, CccdQr]) -> None:
    text, expected = case
    assert looks_like_cccd_qr(text)
    assert parse_cccd_qr(text, today=TODAY) == expected


@given(st.text())
def test_arbitrary_text_only_ever_raises_validation_error(text: str) -> None:
    try:
        parse_cccd_qr(text, today=TODAY)
    except ValidationError as err:
        assert err.message and err.field


@given(st.text(alphabet="0123456789|NamNữ \r\n", max_size=80))
def test_qr_shaped_noise_only_ever_raises_validation_error(text: str) -> None:
    try:
        card = parse_cccd_qr(text, today=TODAY)
    except ValidationError:
        return
    assert check_cccd(card.id_number, birth_date=card.birth_date, gender=card.gender, today=TODAY)


@given(st.data())
def test_mutated_sample_only_ever_raises_validation_error(data: st.DataObject) -> None:
    chars = list(SAMPLE_1)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(chars) - 1))
        chars[index] = data.draw(st.characters())
    with contextlib.suppress(ValidationError):
        parse_cccd_qr("".join(chars), today=TODAY)


@given(st.sampled_from(list(IdType)), st.text())
def test_normalize_only_ever_raises_validation_error(id_type: IdType, raw: str) -> None:
    try:
        value = normalize_id_number(id_type, raw, today=TODAY)
    except ValidationError:
        return
    assert normalize_id_number(id_type, value, today=TODAY) == value  # idempotent
