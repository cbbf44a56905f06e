"""The procedure catalog as the counter understands it.

The catalog ships as data (resources/catalog/) and is updated from the upper-level server; this
module only validates and models it, so a bad file is refused whole with a Vietnamese message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from counter_app.domain.deadlines import ProcessingTime
from counter_app.domain.errors import ValidationError
from counter_app.domain.text import fold_words, nfc


@dataclass(frozen=True)
class DocumentRequirement:
    name: str
    original: int = 1
    copy: int = 0
    required: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "original": self.original, "copy": self.copy, "required": self.required}


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    processing: ProcessingTime
    fee: int = 0
    level: str = "Cấp xã"
    fee_note: str = ""
    documents: tuple[DocumentRequirement, ...] = ()
    result: str = ""
    legal_basis: str = ""
    source: str = ""
    code_verified: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def required_documents(self) -> tuple[DocumentRequirement, ...]:
        return tuple(d for d in self.documents if d.required)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "code_verified": self.code_verified,
            "name": self.name,
            "field": self.field,
            "level": self.level,
            "processing": self.processing.to_dict(),
            "fee": self.fee,
            "fee_note": self.fee_note,
            "documents": [d.to_dict() for d in self.documents],
            "result": self.result,
            "legal_basis": self.legal_basis,
            "source": self.source,
        }


def _text(entry: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError(f"Danh mục thủ tục: {where} thiếu trường «{key}».", code="invalid_catalog")
    return nfc(value)


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(
            f"Danh mục thủ tục: {where} có số lượng không hợp lệ ({value!r}).", code="invalid_catalog"
        )
    return value


def parse_procedure(entry: Mapping[str, Any]) -> Procedure:
    where = f"thủ tục «{entry.get('code', '?')}»"
    code = _text(entry, "code", where)
    try:
        processing = ProcessingTime.from_dict(entry.get("processing") or {})
    except ValidationError as exc:
        raise ValidationError(f"Danh mục thủ tục: {where}: {exc.message}", code="invalid_catalog") from exc
    documents = []
    for i, doc in enumerate(entry.get("documents") or [], start=1):
        dwhere = f"{where}, giấy tờ thứ {i}"
        documents.append(
            DocumentRequirement(
                name=_text(doc, "name", dwhere),
                original=_count(doc.get("original", 1), dwhere),
                copy=_count(doc.get("copy", 0), dwhere),
                required=bool(doc.get("required", True)),
            )
        )
    return Procedure(
        code=code,
        name=_text(entry, "name", where),
        field=_text(entry, "field", where),
        level=_text(entry, "level", where, required=False) or "Cấp xã",
        processing=processing,
        fee=_count(entry.get("fee", 0), where),
        fee_note=_text(entry, "fee_note", where, required=False),
        documents=tuple(documents),
        result=_text(entry, "result", where, required=False),
        legal_basis=_text(entry, "legal_basis", where, required=False),
        source=_text(entry, "source", where, required=False),
        code_verified=bool(entry.get("code_verified", True)),
    )


def parse_catalog(data: Mapping[str, Any]) -> tuple[str, list[Procedure]]:
    """Validate a whole catalog file; returns (version, procedures). Duplicated codes are refused."""
    version = str(data.get("version", "")).strip()
    entries = data.get("procedures")
    if not version or not isinstance(entries, list) or not entries:
        raise ValidationError(
            "Tệp danh mục thủ tục thiếu «version» hoặc danh sách «procedures».", code="invalid_catalog"
        )
    procedures = [parse_procedure(e) for e in entries]
    seen: set[str] = set()
    for p in procedures:
        if p.code in seen:
            raise ValidationError(f"Danh mục thủ tục: mã «{p.code}» bị trùng.", code="invalid_catalog")
        seen.add(p.code)
    return version, procedures


class ProcedureIndex:
    """In-memory accent-free search over the (small) catalog, for results on every keystroke.

    Ranking: every query word must prefix-match a word of the name, code or field; names whose
    first words match come first, then shorter names. The catalog has tens to a few hundred rows.
    """

    def __init__(self, procedures: list[Procedure]) -> None:
        self._entries = [
            (p, fold_words(p.name), fold_words(f"{p.code} {p.field}"))
            for p in sorted(procedures, key=lambda p: p.name)
        ]

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, text: str, limit: int = 20) -> list[Procedure]:
        words = fold_words(text)
        if not words:
            return [p for p, _, _ in self._entries[:limit]]
        scored = []
        for p, name_words, other_words in self._entries:
            score = 0
            for i, w in enumerate(words):
                positions = [j for j, nw in enumerate(name_words) if nw.startswith(w)]
                if positions:
                    score += (
                        10 - min(min(positions), 9) + (5 if i < len(name_words) and name_words[i] == w else 0)
                    )
                elif any(ow.startswith(w) for ow in other_words):
                    score += 1
                else:
                    break
            else:
                scored.append((-score, len(name_words), p.name, p))
        scored.sort(key=lambda item: item[:3])
        return [item[3] for item in scored[:limit]]
