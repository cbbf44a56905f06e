"""Pieces several forms print the same way: header lines, the applicant block, the contact note."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from counter_app.printing import barcodes, fonts
from counter_app.printing.formatting import escape_line, one_line, value
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import Styles, form_tag, layout_style, national_header
from counter_app.printing.model import Agency, Signer


def unit_header(agency: Agency) -> list[tuple[str, bool]]:
    """Papers issued by the one-stop unit: its agency in capitals, the unit in bold (forms 01–03, 06, 07)."""
    if one_line(agency.unit_name):
        return [(agency.name.upper(), False), (agency.unit_name.upper(), True)]
    return [(agency.parent_name.upper(), False), (agency.name.upper(), True)]


_UNIT_NAMES = {
    "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ": "Bộ phận tiếp nhận và trả kết quả",
    "BỘ PHẬN MỘT CỬA": "Bộ phận Một cửa",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG": "Trung tâm Phục vụ hành chính công",
}


def unit_phrase(agency: Agency) -> str:
    """The unit as written inside a sentence ("Bộ phận tiếp nhận và trả kết quả"), escaped.

    Capitals cannot be lowered blindly (place names), so known unit names map to their sentence
    form and anything else is printed as configured.
    """
    unit = one_line(agency.unit_name)
    for prefix, phrase in _UNIT_NAMES.items():
        if unit.upper().startswith(prefix):
            return phrase
    return escape_line(unit or agency.name)


def agency_header(agency: Agency) -> list[tuple[str, bool]]:
    """Letters signed by the agency's head: superior agency, then the agency in bold (forms 04, 05)."""
    return [(agency.parent_name.upper(), False), (agency.name.upper(), True)]


def applicant_lines(
    st: Styles,
    *,
    lead: str,
    name: str,
    address: str,
    phone: str | None = None,
    email: str | None = None,
    id_number: str | None = None,
) -> list[Flowable]:
    """ "Tiếp nhận hồ sơ của: <b>name</b>", identity, address, phone and email lines."""
    out: list[Flowable] = [Paragraph(f"{lead} <b>{value(name)}</b>", st.body)]
    if id_number is not None:
        out.append(Paragraph(f"Số định danh cá nhân: {value(id_number)}", st.body))
    out.append(Paragraph(f"Địa chỉ: {value(address)}", st.body))
    if phone is not None or email is not None:
        parts = []
        if phone is not None:
            parts.append(f"Số điện thoại: {value(phone)}")
        if email is not None:
            parts.append(f"Email: {value(email)}")
        out.append(Paragraph("&nbsp;&nbsp;&nbsp;&nbsp;".join(parts), st.body))
    return out


def procedure_line(
    st: Styles, name: str, code: str, *, label: str = "Nội dung yêu cầu giải quyết: "
) -> Paragraph:
    """The procedure's name, kept in one run so it extracts exactly, then its code."""
    text = f"{label}<b>{value(name)}</b>"
    if one_line(code):
        text += f" (mã thủ tục: {escape_line(code)})"
    return Paragraph(text, st.body)


def contact_note(agency: Agency, st: Styles) -> list[Flowable]:
    """The counter's phone and the complaints hotline, when configured."""
    parts = []
    if one_line(agency.phone):
        parts.append(f"Điện thoại Bộ phận tiếp nhận và trả kết quả: {escape_line(agency.phone)}")
    if one_line(agency.hotline):
        parts.append(f"Đường dây nóng tiếp nhận phản ánh, kiến nghị: {escape_line(agency.hotline)}")
    if not parts:
        return []
    return [Paragraph(". ".join(parts) + ".", st.small)]


def form_head(
    form: str,
    fset: FormSet,
    st: Styles,
    width: float,
    *,
    left_lines: Sequence[tuple[str, bool]],
    date_line: str,
    number_line: str | None = None,
    left_share: float = 0.44,
) -> list[Flowable]:
    """Form tag, national header and the title of ``form`` in ``fset``."""
    spec = fset.spec(form)
    return [
        form_tag(spec.number, fset.circular, st),
        national_header(
            left_lines,
            st=st,
            width=width,
            date_line=date_line,
            number_line=number_line,
            left_share=left_share,
        ),
        Paragraph(spec.title, st.title),
    ]


def doc_number(number: str) -> str:
    """ "Số: 12/TB-UBND", or a blank to fill by hand."""
    text = one_line(number)
    return f"Số: {escape_line(text)}" if text else "Số: ……/……"


def letter_close(recipients: Sequence[str], signer: Signer, st: Styles, width: float) -> Flowable:
    """ "Nơi nhận" on the left, the head of the agency's signature on the right (NĐ 30/2020 layout)."""
    small_bold_italic = ParagraphStyle("qmc-noi-nhan", parent=st.small, fontName=fonts.BOLD_ITALIC)
    left: list[Flowable] = [Paragraph("Nơi nhận:", small_bold_italic), Paragraph("- Như trên;", st.small)]
    for line in recipients:
        if one_line(line):
            left.append(Paragraph(f"- {escape_line(line)};", st.small))
    left.append(Paragraph("- Lưu: VT.", st.small))
    right: list[Flowable] = []
    if one_line(signer.capacity):
        right.append(Paragraph(escape_line(signer.capacity.upper()), st.center_bold))
    right.append(Paragraph(escape_line(signer.title.upper()), st.center_bold))
    right.append(Paragraph("(Ký, ghi rõ họ tên và đóng dấu)", st.center_italic))
    right.append(Spacer(1, st.size * 4.2))
    if one_line(signer.name):
        right.append(Paragraph(escape_line(signer.name), st.center_bold))
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(layout_style())
    return KeepTogether([Spacer(1, st.size * 0.8), table])


def addressee(name: str, st: Styles) -> Paragraph:
    """ "Kính gửi: Ông/Bà <name>." centred under the title."""
    return Paragraph(f"Kính gửi: Ông/Bà <b>{value(name)}</b>", st.center)


def code_barcode(code: str, paper_key: str, st: Styles) -> list[Flowable]:
    """The dossier code's Code128 (nothing when there is no code yet)."""
    text = one_line(code)
    if not text:
        return []
    return [barcodes.sheet_code128(text, paper_key), Spacer(1, st.size * 0.5)]


def code_lines(code: str, paper_key: str, st: Styles) -> list[Flowable]:
    """ "Mã hồ sơ: …" and its Code128 under the title, so any paper the citizen brings back scans."""
    text = one_line(code)
    if not text:
        return []
    return [
        Paragraph(f"Mã hồ sơ: <b>{escape_line(text)}</b>", st.center),
        Spacer(1, st.size * 0.25),
        *code_barcode(text, paper_key, st),
    ]
