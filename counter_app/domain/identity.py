"""Applicant identity papers: the 12-digit personal ID (CCCD / căn cước), old CMND, passports.

The personal ID number is not random: Nghị định 137/2015/NĐ-CP Điều 13 and Thông tư 07/2016/TT-BCA
(Điều 7, Phụ lục I; restated by Thông tư 59/2021/TT-BCA Điều 4) fix its shape as

    PPP G YY RRRRRR
    PPP     province where the birth was registered (Phụ lục I, 63 codes 001..096)
    G       century of birth and sex: 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7, 8/9
    YY      last two digits of the birth year
    RRRRRR  random

so a typo in the first six digits is usually caught, and a number can be checked against the birth
date and sex the applicant states.  The chip card's QR code carries seven '|'-separated fields
(see docs/identity.md).  Everything here is pure: no clock is read unless ``today`` is omitted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from counter_app.domain.errors import ValidationError


class IdType(StrEnum):
    """Kind of identity paper the applicant shows; the value is what gets stored."""

    CCCD = "cccd"  # 12-digit citizen ID (chip card / căn cước), also the personal ID number
    CMND = "cmnd"  # old 9-digit ID card
    PASSPORT = "passport"
    OTHER = "other"  # other identity paper (free text, 3..30 chars)


ID_TYPE_LABELS: Final[dict[IdType, str]] = {
    IdType.CCCD: "Căn cước/CCCD",
    IdType.CMND: "CMND (9 số)",
    IdType.PASSPORT: "Hộ chiếu",
    IdType.OTHER: "Giấy tờ khác",
}

# Thông tư 07/2016/TT-BCA, Phụ lục I "Danh mục mã tỉnh, thành phố trực thuộc trung ương nơi công dân
# đăng ký khai sinh".  Fixed by regulation, so a constant.  It is the 63-province list: cards issued
# before the 2025 provincial merger keep their numbers, and the number never changes for a person.
PROVINCE_CODES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "001": "Hà Nội",
        "002": "Hà Giang",
        "004": "Cao Bằng",
        "006": "Bắc Kạn",
        "008": "Tuyên Quang",
        "010": "Lào Cai",
        "011": "Điện Biên",
        "012": "Lai Châu",
        "014": "Sơn La",
        "015": "Yên Bái",
        "017": "Hòa Bình",
        "019": "Thái Nguyên",
        "020": "Lạng Sơn",
        "022": "Quảng Ninh",
        "024": "Bắc Giang",
        "025": "Phú Thọ",
        "026": "Vĩnh Phúc",
        "027": "Bắc Ninh",
        "030": "Hải Dương",
        "031": "Hải Phòng",
        "033": "Hưng Yên",
        "034": "Thái Bình",
        "035": "Hà Nam",
        "036": "Nam Định",
        "037": "Ninh Bình",
        "038": "Thanh Hóa",
        "040": "Nghệ An",
        "042": "Hà Tĩnh",
        "044": "Quảng Bình",
        "045": "Quảng Trị",
        "046": "Thừa Thiên Huế",
        "048": "Đà Nẵng",
        "049": "Quảng Nam",
        "051": "Quảng Ngãi",
        "052": "Bình Định",
        "054": "Phú Yên",
        "056": "Khánh Hòa",
        "058": "Ninh Thuận",
        "060": "Bình Thuận",
        "062": "Kon Tum",
        "064": "Gia Lai",
        "066": "Đắk Lắk",
        "067": "Đắk Nông",
        "068": "Lâm Đồng",
        "070": "Bình Phước",
        "072": "Tây Ninh",
        "074": "Bình Dương",
        "075": "Đồng Nai",
        "077": "Bà Rịa - Vũng Tàu",
        "079": "Hồ Chí Minh",
        "080": "Long An",
        "082": "Tiền Giang",
        "083": "Bến Tre",
        "084": "Trà Vinh",
        "086": "Vĩnh Long",
        "087": "Đồng Tháp",
        "089": "An Giang",
        "091": "Kiên Giang",
        "092": "Cần Thơ",
        "093": "Hậu Giang",
        "094": "Sóc Trăng",
        "095": "Bạc Liêu",
        "096": "Cà Mau",
    }
)

MALE: Final = "Nam"
FEMALE: Final = "Nữ"
MIN_BIRTH_YEAR: Final = 1900  # the century digit cannot encode anything earlier
QR_FIELD_COUNT: Final = 7

_ID_FIELD = "id_number"
# ASCII only on purpose: str.isdigit() also accepts '²', '٣' and friends, which int() may reject.
_DIGITS = re.compile(r"[0-9]+")
_DDMMYYYY = re.compile(r"[0-9]{8}")
_ANY_DIGIT = re.compile(r"[0-9]")
_SPACES = re.compile(r"\s+")
# What a person or a scanner may insert into a number: white space and dash look-alikes.
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")
_VN_PASSPORT = re.compile(r"[A-Z][0-9]{7}")
_FOREIGN_PASSPORT = re.compile(r"[A-Z0-9]{6,20}")
_QR_HEAD = re.compile(r"[0-9]{12}\|")
_STRIP_CHARS = "\ufeff\x00"  # BOM / NUL some scanners prepend or append


def _nfc(text: str) -> str:
    """NFC with white space collapsed: scanners and IMEs disagree on both."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _fmt(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _canonical_gender(value: str, *, field: str, source: str) -> str:
    """'Nam' or 'Nữ' whatever the case or Unicode form; anything else is refused."""
    folded = _nfc(value).casefold()
    if folded == MALE.casefold():
        return MALE
    if folded == FEMALE.casefold():
        return FEMALE
    raise ValidationError(
        f"Giới tính {source} phải là «{MALE}» hoặc «{FEMALE}», không phải «{value}».", field=field
    )


@dataclass(frozen=True)
class CccdInfo:
    """What the first six digits of a personal ID number say about its holder."""

    province_code: str  # "001"
    province_name: str  # "Hà Nội": province where the birth was registered (old 63-province list)
    gender: str  # "Nam" / "Nữ"
    birth_year: int  # full year from century digit + 2-digit year


def check_cccd(
    number: str,
    *,
    birth_date: date | None = None,
    gender: str | None = None,
    today: date | None = None,
) -> CccdInfo:
    """Validate a 12-digit personal ID number, decode it, and cross-check what the applicant states.

    ``number`` must already be clean (see :func:`normalize_id_number`).  ``today`` defaults to the
    system date and only serves to refuse a birth year that has not happened yet.
    """
    if number == "":
        raise ValidationError("Chưa nhập số căn cước.", field=_ID_FIELD)
    bad = sorted({ch for ch in number if ch not in "0123456789"})
    if bad:
        shown = " ".join(f"«{ch}»" for ch in bad[:5])
        raise ValidationError(
            f"Số căn cước chỉ gồm chữ số 0–9; có ký tự không hợp lệ: {shown}.", field=_ID_FIELD
        )
    if len(number) != 12:
        hint = " (số 9 chữ số là CMND cũ: hãy chọn loại giấy tờ CMND)" if len(number) == 9 else ""
        raise ValidationError(
            f"Số căn cước phải có đúng 12 chữ số; số vừa nhập có {len(number)} chữ số{hint}.",
            field=_ID_FIELD,
        )
    code = number[:3]
    province = PROVINCE_CODES.get(code)
    if province is None:
        raise ValidationError(
            f"Ba số đầu «{code}» của số căn cước không phải mã tỉnh nơi đăng ký khai sinh "
            "(danh mục 63 mã từ 001 Hà Nội đến 096 Cà Mau). Kiểm tra lại số trên thẻ.",
            field=_ID_FIELD,
        )
    digit = int(number[3])
    century_start = MIN_BIRTH_YEAR + 100 * (digit // 2)
    coded_gender = MALE if digit % 2 == 0 else FEMALE
    birth_year = century_start + int(number[4:6])
    current_year = (today or date.today()).year
    if birth_year > current_year:
        raise ValidationError(
            f"Số căn cước cho năm sinh {birth_year} (chữ số thứ 4 là «{digit}», số thứ 5–6 là "
            f"«{number[4:6]}»), muộn hơn năm hiện tại {current_year}. Kiểm tra lại số trên thẻ.",
            field=_ID_FIELD,
        )
    if birth_date is not None and birth_date.year != birth_year:
        if not century_start <= birth_date.year < century_start + 100:
            message = (
                f"Chữ số thứ 4 của số căn cước («{digit}») dành cho người sinh từ năm {century_start} "
                f"đến {century_start + 99}, nhưng ngày sinh là {_fmt(birth_date)}."
            )
        else:
            message = (
                f"Chữ số thứ 5–6 của số căn cước («{number[4:6]}») là hai số cuối năm sinh, "
                f"nhưng ngày sinh là {_fmt(birth_date)}."
            )
        raise ValidationError(message, field=_ID_FIELD)
    if gender is not None:
        stated = _canonical_gender(gender, field="gender", source="khai")
        if stated != coded_gender:
            raise ValidationError(
                f"Chữ số thứ 4 của số căn cước («{digit}») ứng với giới tính {coded_gender}, "
                f"nhưng giới tính khai là {stated}.",
                field=_ID_FIELD,
            )
    return CccdInfo(province_code=code, province_name=province, gender=coded_gender, birth_year=birth_year)


def normalize_id_number(id_type: IdType, raw: str, *, today: date | None = None) -> str:
    """The stored form of an ID number typed or scanned at the counter; refused if malformed.

    Spaces and dashes are dropped from numbers (people type "001 202 017 098", scanners add a
    trailing space); NFKC folds full-width digits an IME may produce.  Free-text papers (OTHER)
    only get their white space collapsed, since their own punctuation may be significant.
    """
    try:
        kind = IdType(id_type)
    except ValueError:
        raise ValidationError(f"Loại giấy tờ «{id_type}» không hợp lệ.", field="id_type") from None
    if kind is IdType.OTHER:
        value = _nfc(raw)
        if not value:
            raise ValidationError("Chưa nhập số giấy tờ tùy thân.", field=_ID_FIELD)
        if not value.isprintable():
            raise ValidationError("Số giấy tờ có ký tự điều khiển không in được.", field=_ID_FIELD)
        if not 3 <= len(value) <= 30:
            raise ValidationError(
                f"Số giấy tờ khác phải dài từ 3 đến 30 ký tự; đang có {len(value)} ký tự.", field=_ID_FIELD
            )
        return value
    value = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if not value:
        raise ValidationError("Chưa nhập số giấy tờ tùy thân.", field=_ID_FIELD)
    if kind is IdType.CCCD:
        check_cccd(value, today=today)
        return value
    if kind is IdType.CMND:
        if not _DIGITS.fullmatch(value):
            raise ValidationError("Số CMND chỉ gồm chữ số 0–9.", field=_ID_FIELD)
        if len(value) != 9:
            hint = (
                " (số 12 chữ số là căn cước: hãy chọn loại giấy tờ Căn cước/CCCD)" if len(value) == 12 else ""
            )
            raise ValidationError(
                f"Số CMND phải có đúng 9 chữ số; số vừa nhập có {len(value)} chữ số{hint}.", field=_ID_FIELD
            )
        return value
    value = value.upper() if value.isascii() else value  # no 'ß' -> 'SS' surprises
    if _VN_PASSPORT.fullmatch(value) or _FOREIGN_PASSPORT.fullmatch(value):
        return value
    raise ValidationError(
        "Số hộ chiếu không hợp lệ: hộ chiếu Việt Nam gồm 1 chữ cái và 7 chữ số (ví dụ C1234567); "
        "hộ chiếu nước ngoài gồm 6–20 chữ cái Latinh hoặc chữ số.",
        field=_ID_FIELD,
    )


@dataclass(frozen=True)
class CccdQr:
    """The seven fields printed in the chip card's QR code, cleaned and validated."""

    id_number: str
    old_id: str | None
    name: str  # NFC, whitespace collapsed
    birth_date: date
    gender: str  # "Nam"/"Nữ"
    address: str
    issue_date: date | None


def looks_like_cccd_qr(text: str) -> bool:
    """Cheap test the UI uses to tell a scanner burst from typing (no validation)."""
    head = text.lstrip().lstrip(_STRIP_CHARS)
    return _QR_HEAD.match(head) is not None and head.count("|") >= QR_FIELD_COUNT - 1


def _qr_date(raw: str, *, label: str, field: str) -> date:
    if not _DDMMYYYY.fullmatch(raw):
        raise ValidationError(
            f"{label} trong mã QR «{raw}» không đúng dạng ngày ddmmyyyy (8 chữ số).", field=field
        )
    try:
        return date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
    except ValueError:
        raise ValidationError(f"{label} trong mã QR «{raw}» không phải ngày có thật.", field=field) from None


def parse_cccd_qr(text: str, *, today: date | None = None) -> CccdQr:
    """Read the QR of a CCCD chip card: ``ID|old ID|name|ddmmyyyy|gender|address|ddmmyyyy``.

    Fields are split on every '|' and empty ones are kept: the old-ID field is often empty, and
    dropping it would shift every later field by one.  Extra trailing fields (some card batches or
    scanners add them) are ignored.  Every failure is a ValidationError with a Vietnamese message.
    """
    today = today or date.today()
    body = unicodedata.normalize("NFC", text).strip().strip(_STRIP_CHARS).strip()
    fields = [part.strip() for part in body.split("|")]
    if len(fields) < QR_FIELD_COUNT:
        raise ValidationError(
            f"Mã QR không phải của thẻ căn cước: cần {QR_FIELD_COUNT} trường ngăn cách bởi '|', "
            f"mã vừa quét có {len(fields)} trường.",
            field="qr",
        )
    id_number, old_id_raw, name_raw, birth_raw, gender_raw, address_raw, issue_raw = fields[:QR_FIELD_COUNT]
    check_cccd(id_number, today=today)  # structure first: a wrong number explains everything else

    old_id: str | None = None
    if old_id_raw:
        if not (_DIGITS.fullmatch(old_id_raw) and len(old_id_raw) in (9, 12)):
            raise ValidationError(
                f"Số CMND cũ trong mã QR «{old_id_raw}» không hợp lệ: phải gồm 9 hoặc 12 chữ số.",
                field="old_id",
            )
        old_id = old_id_raw

    name = _nfc(name_raw)
    if not name:
        raise ValidationError("Mã QR không có họ tên.", field="name")
    if _ANY_DIGIT.search(name):
        raise ValidationError(
            f"Họ tên trong mã QR «{name}» có chữ số: có thể bộ gõ tiếng Việt (VNI/Telex) đang bật "
            "khi quét. Hãy tắt bộ gõ rồi quét lại.",
            field="name",
        )

    birth_date = _qr_date(birth_raw, label="Ngày sinh", field="birth_date")
    if birth_date > today:
        raise ValidationError(
            f"Ngày sinh trong mã QR ({_fmt(birth_date)}) sau ngày hôm nay ({_fmt(today)}).",
            field="birth_date",
        )
    if birth_date.year < MIN_BIRTH_YEAR:
        raise ValidationError(
            f"Ngày sinh trong mã QR ({_fmt(birth_date)}) trước năm {MIN_BIRTH_YEAR}.", field="birth_date"
        )

    gender = _canonical_gender(gender_raw, field="gender", source="trong mã QR")

    issue_date: date | None = None
    if issue_raw:
        issue_date = _qr_date(issue_raw, label="Ngày cấp", field="issue_date")
        if issue_date < birth_date:
            raise ValidationError(
                f"Ngày cấp trong mã QR ({_fmt(issue_date)}) trước ngày sinh ({_fmt(birth_date)}).",
                field="issue_date",
            )
        if issue_date > today:
            raise ValidationError(
                f"Ngày cấp trong mã QR ({_fmt(issue_date)}) sau ngày hôm nay ({_fmt(today)}).",
                field="issue_date",
            )

    # The card must agree with itself: century/sex digit and year against the printed fields.
    check_cccd(id_number, birth_date=birth_date, gender=gender, today=today)
    return CccdQr(
        id_number=id_number,
        old_id=old_id,
        name=name,
        birth_date=birth_date,
        gender=gender,
        address=_nfc(address_raw),
        issue_date=issue_date,
    )
