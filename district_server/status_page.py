"""The public status page behind the receipt's QR link: ``/s/{code}?t={status_token}``.

No login, so it shows only what the receipt already prints about the process (code, procedure,
received and appointment times, the commune) plus the state, and nothing about the person: no
name, no ID number, no address, no phone. A wrong or missing token gets the same 404 page as an
unknown code, so the page cannot be used to learn which codes exist.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from html import escape
from string import Template

from counter_app.domain.lifecycle import STATE_LABELS, Dossier, State

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}

_PAGE = Template("""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>$title</title>
<style>
 body { font-family: "Times New Roman", Tinos, serif; margin: 0; background: #f4f1ea; color: #222; }
 main { max-width: 36rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border: 1px solid #d8d2c4; }
 h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
 .agency { margin: 0 0 1rem; color: #555; }
 dl { display: grid; grid-template-columns: max-content 1fr; gap: .5rem 1rem; }
 dt { font-weight: bold; }
 dd { margin: 0; }
 .state { font-size: 1.2rem; font-weight: bold; color: #7a1f1f; }
 .note { color: #666; font-size: .9rem; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
$body
</main>
</body>
</html>
""")


def _when(value: datetime | None) -> str:
    return "—" if value is None else f"{value:%H:%M} ngày {value:%d/%m/%Y}"


def _rows(d: Dossier) -> list[tuple[str, str]]:
    rows = [
        ("Mã hồ sơ", d.code),
        ("Thủ tục", d.procedure_name),
        ("Tiếp nhận lúc", _when(d.received_at)),
        ("Trạng thái", STATE_LABELS[d.state]),
    ]
    if d.state in (State.RECEIVED, State.IN_PROGRESS, State.READY):
        rows.append(("Hẹn trả kết quả", _when(d.due_at)))
    if d.state == State.SUPPLEMENT:
        rows.append(("Ghi chú", "Hồ sơ đang chờ bổ sung giấy tờ; thời hạn giải quyết tạm dừng."))
    if d.state == State.READY:
        rows.append(("Có kết quả lúc", _when(d.finished_at)))
    if d.state == State.RETURNED:
        rows.append(("Đã trả kết quả lúc", _when(d.returned_at)))
    if d.state in (State.REFUSED, State.STOPPED, State.WITHDRAWN, State.CANCELLED):
        rows.append(("Kết thúc lúc", _when(d.finished_at)))
    return rows


def render(d: Dossier, commune_name: str) -> str:
    items = "\n".join(
        f"<dt>{escape(k)}</dt><dd{' class=state' if k == 'Trạng thái' else ''}>{escape(v)}</dd>"
        for k, v in _rows(d)
    )
    body = (
        "<h1>Tình trạng hồ sơ</h1>\n"
        f'<p class="agency">{escape(commune_name)}</p>\n'
        f"<dl>\n{items}\n</dl>\n"
        f'<p class="note">Cập nhật lần cuối: {escape(_when(d.updated_at))}. Thông tin theo dữ liệu các quầy '
        "đã đồng bộ lên máy chủ; trang không hiển thị thông tin cá nhân của người nộp.</p>"
    )
    return _PAGE.substitute(title=escape(f"Hồ sơ {d.code}"), body=body)


def render_not_found() -> str:
    body = (
        "<h1>Không tìm thấy hồ sơ</h1>\n"
        "<p>Không có thông tin cho đường dẫn này. Hãy quét lại mã QR trên giấy tiếp nhận hồ sơ, "
        "hoặc liên hệ Bộ phận một cửa.</p>"
    )
    return _PAGE.substitute(title="Không tìm thấy hồ sơ", body=body)


def token_matches(expected: str, given: str | None) -> bool:
    """Constant time, and an empty stored token (a dossier made before tokens existed) never matches."""
    return bool(expected) and given is not None and hmac.compare_digest(expected.encode(), given.encode())
