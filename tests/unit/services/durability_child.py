"""Child process for test_durability: intakes (and a transfer every third one) until it is killed.

It prints "COMMITTED <code> <events>" only after the transaction returned, so every printed line is
a promise the database must keep after SIGKILL.
"""

from __future__ import annotations

import sys

from counter_app.services.actions import ActionRequest, perform
from counter_app.services.context import open_counter
from counter_app.services.intake import IntakeRequest, intake


def main(path: str, count: int) -> None:
    counter = open_counter(path)
    for i in range(count):
        result = intake(
            counter,
            IntakeRequest(
                procedure_code="1.000894", name=f"Công Dân Số {'Một' * (i % 3 + 1)}", id_number="001090123456"
            ),
        )
        events = 1
        if i % 3 == 0:
            perform(counter, ActionRequest(code=result.dossier.code, action="transfer"))
            events = 2
        print(f"COMMITTED {result.dossier.code} {events}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
