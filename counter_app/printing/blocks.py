"""Pieces several forms print the same way: header lines, the applicant block, the contact note,
and the openings and closings that forms 02–03 (slips) and 04–05 (letters) share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from counter_app.printing import barcodes, fonts
from counter_app.printing.formatting import escape_line, one_line, place_date, short_date, value
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import (
    Paper,
    SignatureColumn,
    Styles,
    form_tag,
    layout_style,
    national_header,
    signatures,
)
from counter_app.printing.model import Agency, ApologyData, RefusalData, Signer, StopData, SupplementData


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


def procedure_text(name: str, code: str) -> str:
    """The procedure's name in bold, kept in one run so it extracts exactly, then its code."""
    text = f"<b>{value(name)}</b>"
    if one_line(code):
        text += f" (mã thủ tục: {escape_line(code)})"
    return text


def procedure_line(
    st: Styles, name: str, code: str, *, label: str = "Nội dung yêu cầu giải quyết: "
) -> Paragraph:
    """ "Nội dung yêu cầu giải quyết: <procedure>" as a body line."""
    return Paragraph(label + procedure_text(name, code), st.body)


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


def unit_form_head(
    form: str, fset: FormSet, st: Styles, width: float, agency: Agency, day: date
) -> list[Flowable]:
    """The head of a paper the one-stop unit issues (forms 01–03, 06), dated ``day``."""
    return form_head(
        form, fset, st, width, left_lines=unit_header(agency), date_line=place_date(agency.place, day)
    )


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


def slip_opening(
    form: str, data: SupplementData | RefusalData, paper: Paper, fset: FormSet, st: Styles
) -> list[Flowable]:
    """Forms 02 and 03 open alike: the unit's header dated the day of issue, the code, who asked for what."""
    story = unit_form_head(form, fset, st, paper.frame_width, data.agency, data.issued_at.date())
    story += code_lines(data.code, paper.key, st)
    story += applicant_lines(
        st,
        lead="Tiếp nhận hồ sơ của Ông/Bà:",
        name=data.applicant_name,
        address=data.address,
        phone=data.phone,
        email=data.email,
    )
    story.append(procedure_line(st, data.procedure_name, data.procedure_code))
    return story


def officer_signature(title: str, name: str, st: Styles, width: float) -> Flowable:
    """Forms 02 and 03 are signed by the one officer who dealt with the applicant, on the right."""
    return signatures([SignatureColumn(title, name=name)], st=st, width=width, space=st.size * 3.6)


def letter_opening(
    form: str, data: ApologyData | StopData, paper: Paper, fset: FormSet, st: Styles
) -> list[Flowable]:
    """Forms 04 and 05 open alike: the agency's numbered letter to the applicant, recalling the dossier."""
    story = form_head(
        form,
        fset,
        st,
        paper.frame_width,
        left_lines=agency_header(data.agency),
        date_line=place_date(data.agency.place, data.issued_at.date()),
        number_line=doc_number(data.doc_number),
    )
    story += code_barcode(data.code, paper.key, st)
    story.append(addressee(data.applicant_name, st))
    story.append(Paragraph(f"Địa chỉ: {value(data.address)}", st.center))
    agency = escape_line(data.agency.name)
    procedure = procedure_text(data.procedure_name, data.procedure_code)
    story += [
        Paragraph(
            f"Ngày {short_date(data.received_at.date())}, {agency} tiếp nhận hồ sơ của Ông/Bà "
            f"đề nghị giải quyết thủ tục hành chính: {procedure}.",
            st.indent,
        ),
        Paragraph(f"Mã hồ sơ: <b>{escape_line(data.code)}</b>.", st.indent),
    ]
    return story


def letter_ending(data: ApologyData | StopData, st: Styles, width: float) -> list[Flowable]:
    """Forms 04 and 05 end alike: "Trân trọng./.", then "Nơi nhận" and the head's signature."""
    return [Paragraph("Trân trọng./.", st.indent), letter_close(data.recipients, data.signer, st, width)]
