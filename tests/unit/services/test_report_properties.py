"""Property test: on random histories the report's identities hold, consecutive periods chain, and
every figure equals a slow oracle that replays each dossier's events up to the period's edges.

Histories follow the real lifecycle (domain.lifecycle.apply checks every step) and are stored with
store.dossiers.bulk_insert into a fresh database per example, so an example costs milliseconds.
"""

from __future__ import annotations

import tempfile
from collections import Counter as Tally
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.domain.calendar import WorkingCalendar
from counter_app.domain.deadlines import Pause, ProcessingTime, Unit, classify_result, compute_due
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import PROCESSING_STATES, Action, Event, State, replay
from counter_app.services import report
from counter_app.services.context import open_counter
from counter_app.store import dossiers as dossier_store

BASE = date(2026, 9, 1)
NOW = datetime(2027, 6, 1, 12, 0)
PROCEDURES = [
    ("Hộ tịch", ProcessingTime(Unit.SAME_DAY, 0, time(15, 0))),
    ("Hộ tịch", ProcessingTime(Unit.WORKING_DAYS, 3)),
    ("Chứng thực", ProcessingTime(Unit.WORKING_DAYS, 2)),
    ("Đất đai", ProcessingTime(Unit.WORKING_DAYS, 10)),
    ("Bảo trợ xã hội", ProcessingTime(Unit.WORKING_HOURS, 8)),
]
CHANNELS = ["direct", "post", "online"]
# The next action is chosen among those allowed in the current state ("end" stops the history).
CHOICES = {
    State.RECEIVED: ["transfer", "ready", "request-supplement", "apologize", "refuse", "stop", "withdraw", "cancel",
                     "end"],
    State.IN_PROGRESS: ["ready", "request-supplement", "apologize", "refuse", "stop", "withdraw", "cancel", "end"],
    State.SUPPLEMENT: ["receive-supplement", "refuse", "stop", "withdraw", "cancel", "end"],
    State.READY: ["return", "withdraw", "end"],
    State.RETURNED: ["rate", "end"],
}  # fmt: skip

dossier_specs = st.tuples(
    st.integers(0, 70),  # day of receipt after BASE
    st.integers(0, 449),  # working minute of that day
    st.integers(0, len(PROCEDURES) - 1),
    st.sampled_from(CHANNELS),
    st.lists(st.tuples(st.integers(0, 8), st.integers(1, 9000), st.booleans()), max_size=7),
)


def history(cal: WorkingCalendar, number: int, spec: tuple) -> list[Event]:
    day, minute, proc, channel, steps = spec
    field_name, processing = PROCEDURES[proc]
    received = cal.add_working_minutes(datetime.combine(BASE + timedelta(days=day), time()), minute)
    dossier_id = uuid7()
    events: list[Event] = []

    def add(action: Action, at: datetime, payload: dict) -> None:
        events.append(Event(uuid7(), dossier_id, len(events) + 1, action, at, f"{len(events):05d}", "admin", "d",
                            payload))  # fmt: skip

    due = compute_due(cal, received, processing)
    assert due is not None
    add(
        Action.RECEIVE,
        received,
        {
            "code": f"000.00.00.H00-{number:06d}",
            "procedure": {"code": f"P{proc}", "name": f"Thủ tục {proc}", "field": field_name,
                          "processing": processing.to_dict()},
            "applicant": {"name": "Nguyễn Văn An", "id_type": "cccd", "id_number": "001090123456"},
            "channel": channel,
            "due_at": due.isoformat(timespec="seconds"),
        },
    )  # fmt: skip
    state, at = State.RECEIVED, received
    pauses: list[Pause] = []
    apologized = rated = False
    for choice, gap, flag in steps:
        options = [
            o
            for o in CHOICES.get(state, ["end"])
            if not (o == "request-supplement" and apologized) and not (o == "rate" and rated)
        ]
        action = options[choice % len(options)]
        if action == "end":
            break
        at = at + timedelta(minutes=gap)
        payload: dict = {}
        if action == "request-supplement":
            pauses.append(Pause(at, None))
        elif action == "receive-supplement":
            pauses[-1] = Pause(pauses[-1].start, at)
            due = compute_due(cal, received, processing, pauses)
            payload["due_at"] = due.isoformat(timespec="seconds") if due else None
        elif action == "apologize":
            assert due is not None
            due = cal.add_working_days(due, 1 + gap % 3)
            payload["due_at"] = due.isoformat(timespec="seconds")
            apologized = True
        elif action in ("return", "rate") and (flag or action == "rate"):
            payload["rating"] = "satisfied" if gap % 4 else "unsatisfied"
            rated = True
        add(Action(action), at, payload)
        state = replay(events).state
    return events


def oracle(histories: list[list[Event]], start: date, end: date) -> dict[str, Tally]:
    """The report recounted the slow way: replay each dossier's events up to the period's edges."""
    s, e = datetime.combine(start, time()), datetime.combine(end + timedelta(days=1), time())
    out: dict[str, Tally] = {}
    for events in histories:
        before_e = [ev for ev in events if ev.at < e]
        if not before_e:
            continue
        before_s = [ev for ev in events if ev.at < s]
        if before_s and replay(before_s).state not in PROCESSING_STATES:
            continue  # it had left before the period
        at_end = replay(before_e)
        row = out.setdefault(at_end.field, Tally())
        row["received"] += 1
        row["carried_over" if before_s else "online" if at_end.channel == "online" else "direct"] += 1
        apology = next((ev for ev in before_e if ev.action == Action.APOLOGIZE), None)
        legal_due = (
            replay([ev for ev in before_e if ev.seq < apology.seq]).due_at if apology else at_end.due_at
        )
        ready = next((ev for ev in before_e if ev.action == Action.READY), None)
        if ready is not None:
            row["resolved"] += 1
            due = legal_due if apology else replay([ev for ev in events if ev.seq <= ready.seq]).due_at
            row[classify_result(due, ready.at).value] += 1
            rating = replay(events).rating
            if rating:
                row["rated"] += 1
                row["satisfied"] += rating == "satisfied"
        elif at_end.state == State.SUPPLEMENT:
            row["paused"] += 1
        elif at_end.state in PROCESSING_STATES:
            row["in_process"] += 1
            row["overdue" if legal_due and end > legal_due.date() else "within"] += 1
        else:
            row[at_end.state.value] += 1
    return out


def as_tally(figures: report.Figures) -> Tally:
    return Tally({k: v for k, v in figures.to_json().items() if k != "satisfied_share" and v})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=st.lists(dossier_specs, min_size=1, max_size=30),
    first=st.integers(0, 60),
    lengths=st.tuples(st.integers(0, 45), st.integers(0, 45)),
)
def test_identities_chain_and_oracle(specs: list[tuple], first: int, lengths: tuple[int, int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        counter = open_counter(Path(folder) / "c.db", now=lambda: NOW)
        try:
            histories = [history(counter.calendar, i, spec) for i, spec in enumerate(specs)]
            with counter.store.atomic() as conn:
                dossier_store.bulk_insert(conn, histories)
            a_start = BASE + timedelta(days=first)
            a_end = a_start + timedelta(days=lengths[0])
            b_end = a_end + timedelta(days=1 + lengths[1])
            a = report.compute(counter, a_start, a_end)
            b = report.compute(counter, a_end + timedelta(days=1), b_end)
        finally:
            counter.store.close()
    for result in (a, b):
        rows = [f.figures for f in result.fields]
        for row in (*rows, result.total):
            assert row.broken_identities() == []
        assert report.add_up(rows) == result.total
        assert len(result.late) == result.total.late + result.total.overdue
        expected = oracle(histories, result.start, result.end)
        assert {f.field: as_tally(f.figures) for f in result.fields} == {k: +v for k, v in expected.items()}
    opened = {f.field: f.figures.open_at_end for f in a.fields if f.figures.open_at_end}
    carried = {f.field: f.figures.carried_over for f in b.fields if f.figures.carried_over}
    assert opened == carried
