"""The terminal counter driven as an officer would: a real pseudo-terminal, real keys, real Ctrl+C.

Each test starts ``counter-app --terminal`` on the slave side of a pty that is its controlling
terminal (so Ctrl+C is the terminal's SIGINT, not a simulated exception), types answers on the
master side and reads what the officer would see.
"""

from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from helpers import QR

BIN = Path(sys.executable).parent / "counter-app"
# The child becomes a session leader (start_new_session) and opens its tty, which makes the pty its
# controlling terminal: the terminal driver then turns \x03 into SIGINT and \x04 into end of input.
CTTY = "import os, sys; os.close(os.open(os.ttyname(0), os.O_RDWR)); os.execv(sys.argv[1], sys.argv[1:])"
MENU = "Chọn (q để thoát): "
CANCELLED = "Đã hủy việc đang làm"


class Terminal:
    """One ``counter-app --terminal`` on a pty; ``expect`` reads on from where the last one stopped."""

    def __init__(self, data_dir: Path, *, encoding: str = "utf-8") -> None:
        self.encoding = encoding
        env = {"COUNTER_DATA_DIR": str(data_dir), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if encoding != "utf-8":
            env["PYTHONIOENCODING"] = encoding
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CTTY, str(BIN), "--terminal"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            env=env,
        )
        os.close(slave)
        self.raw = b""
        self.pos = 0
        self.closed = False

    @property
    def text(self) -> str:
        decoded = self.raw.decode(self.encoding, errors="replace").replace("\r\n", "\n")
        return unicodedata.normalize("NFC", decoded)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: every slave descriptor is closed, the program has ended
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.raw += chunk
        return True

    def expect(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        """The next match of the regular expression ``pattern`` in the output."""
        regex = re.compile(pattern)
        end = time.monotonic() + timeout
        while True:
            match = regex.search(self.text, self.pos)
            if match:
                self.pos = match.end()
                return match
            if self.closed or time.monotonic() >= end:
                raise AssertionError(f"no {pattern!r} in the output:\n{self.text[self.pos :]}")
            self._read(max(0.0, end - time.monotonic()))

    def prompt(self, text: str) -> None:
        self.expect(re.escape(text))

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode(self.encoding))

    def answer(self, prompt: str, line: str) -> None:
        self.prompt(prompt)
        self.send(line)

    def key(self, char: str) -> None:
        # The prompt is written just before the program blocks in read(): a signal landing in
        # between is only acted on at the next key, as with any Python input(). A person cannot
        # be that quick; the test waits as long as a person would.
        time.sleep(0.3)
        os.write(self.master, char.encode())

    def wait(self, timeout: float = 30) -> int:
        end = time.monotonic() + timeout
        while not self.closed and time.monotonic() < end:
            self._read(0.2)
        return self.proc.wait(timeout=max(1.0, end - time.monotonic()))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The data folder after the first start, and the demo officer's one-time password it printed."""
    data = tmp_path_factory.mktemp("terminal")
    term = Terminal(data)
    try:
        password = term.expect(r"cán bộ trình diễn: demo / (\S+)\n").group(1)
        term.prompt("Tên đăng nhập: ")
        term.key("\x04")  # end of input at the login: a calm exit
        assert term.wait() == 0
        assert "Đã thoát." in term.text
        assert "Traceback" not in term.text
    finally:
        term.close()
    return data, password


@pytest.fixture
def session(first_start: tuple[Path, str]) -> Iterator[Terminal]:
    """A logged-in terminal at the menu; the test must leave no traceback behind."""
    data, password = first_start
    term = Terminal(data)
    try:
        term.answer("Tên đăng nhập: ", "demo")
        term.answer("Mật khẩu: ", password)
        term.prompt("Xin chào Cán bộ trình diễn")
        yield term
        assert "Traceback" not in term.text, term.text
    finally:
        term.close()


def reasked(term: Terminal, message: str, prompt: str) -> None:
    """``message`` came right after the answer, and the same question (ending in ``prompt``) on the next line."""
    term.expect(re.escape(message) + r"[^\n]*\n[^\n]*" + re.escape(prompt))


def pdf_text(path: Path) -> str:
    data = path.read_bytes()
    assert data.startswith(b"%PDF"), path
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return unicodedata.normalize("NFC", " ".join(page.extract_text() for page in pages))


def test_typed_intake_re_asks_each_bad_answer_at_once_and_writes_the_receipt(
    session: Terminal, first_start: tuple[Path, str]
) -> None:
    term = session
    term.answer(MENU, "1")
    term.answer("Tìm thủ tục", "khai sinh")
    term.answer("Chọn số (0 để tìm lại): ", "42")
    reasked(term, "Lựa chọn không hợp lệ", "Chọn số (0 để tìm lại): ")
    term.send("1")
    term.answer("gõ họ tên: ", "Nguyễn Văn 2")
    reasked(term, "Họ tên không được chứa chữ số.", "Quét QR thẻ căn cước, hoặc gõ họ tên: ")
    term.send("Nguyễn Văn An")
    term.answer("Số định danh (CCCD 12 số): ", "00109012345")
    reasked(
        term, "Số căn cước phải có đúng 12 chữ số; số vừa nhập có 11 chữ số.", "Số định danh (CCCD 12 số): "
    )
    term.send("999090123456")
    reasked(term, "Ba số đầu «999»", "Số định danh (CCCD 12 số): ")
    term.send("001090123456")
    term.answer("Số điện thoại (có thể bỏ trống): ", "12345")
    reasked(term, "Số điện thoại «12345» không hợp lệ", "Số điện thoại (có thể bỏ trống): ")
    term.send("0912 345 678")
    term.answer("Đã nhận đủ giấy tờ bắt buộc? (c/k): ", "có lẽ")
    reasked(term, "Gõ c (có) hoặc k (không).", "Đã nhận đủ giấy tờ bắt buộc? (c/k): ")
    term.send("c")
    code = term.expect(r"ĐÃ TIẾP NHẬN: (\S+) — Nguyễn Văn An\n").group(1)
    term.expect(r"Hẹn trả kết quả: \d\d:\d\d ngày \d\d/\d\d/\d{4}")
    term.answer("In giấy tiếp nhận và hẹn trả kết quả? (c/k, Enter: c): ", "")
    term.answer("hoặc gõ đường dẫn khác): ", "")
    path = Path(term.expect(r"Đã lưu giấy tiếp nhận: (.+)\n").group(1))
    data, _ = first_start
    assert path == (data / "in" / f"{code}-receipt.pdf").resolve()
    text = pdf_text(path)
    assert code in text and "Nguyễn Văn An" in text and "0912345678" in text
    term.answer(MENU, "q")
    term.expect("Đã thoát.")
    assert term.wait() == 0


def test_qr_intake_reprint_ready_and_return(session: Terminal, tmp_path: Path) -> None:
    term = session
    term.answer(MENU, "1")
    term.answer("Tìm thủ tục", "chung thuc ban sao")
    term.answer("Chọn số (0 để tìm lại): ", "1")
    bad = QR.replace("|23052002|", "|31022002|")  # no 31 February
    term.answer("gõ họ tên: ", bad)
    reasked(term, "Ngày sinh trong mã QR «31022002» không phải ngày có thật.", "gõ họ tên: ")
    term.send(QR)
    term.expect("Từ thẻ căn cước: Lê Văn Lương, số 089202017098, sinh ngày 23/05/2002")
    term.answer("Số điện thoại (có thể bỏ trống): ", "")
    term.answer("(c/k): ", "c")
    code = term.expect(r"ĐÃ TIẾP NHẬN: (\S+) — Lê Văn Lương\n").group(1)
    term.answer("(c/k, Enter: c): ", "k")
    term.expect(f"In sau bằng mục «In lại giấy tờ» với mã {re.escape(code)}")

    term.answer(MENU, "6")
    term.answer("mã hồ sơ cần in lại: ", "000.00.00.H00-000000-0000")
    reasked(term, "Không tìm thấy hồ sơ mã", "mã hồ sơ cần in lại: ")
    term.send(code)
    term.answer("Giấy tờ cần in (Enter: receipt): ", "biên lai")
    reasked(term, "Không có giấy tờ «biên lai»", "Giấy tờ cần in (Enter: receipt): ")
    term.send("refusal")
    reasked(term, "chưa in được phiếu này", "Giấy tờ cần in (Enter: receipt): ")
    term.send("receipt")
    target = tmp_path / "in lai" / "giay hen.pdf"
    term.answer("hoặc gõ đường dẫn khác): ", str(target))
    term.expect(f"Đã lưu giấy tiếp nhận hồ sơ và hẹn trả kết quả: {re.escape(str(target))}\n")
    assert code in pdf_text(target)

    term.answer(MENU, "4")  # not ready yet: refused at the code, asked again
    term.answer("Quét mã vạch trên giấy hẹn: ", code)
    reasked(term, "Không thể «trả kết quả»", "Quét mã vạch trên giấy hẹn: ")
    term.key("\x03")
    term.expect(CANCELLED)

    term.answer(MENU, "5")
    term.answer("hoặc gõ mã hồ sơ: ", code)
    term.expect(f"Hồ sơ {re.escape(code)} — Lê Văn Lương: Có kết quả, chờ trả.")
    term.answer(MENU, "4")
    term.answer("Quét mã vạch trên giấy hẹn: ", code)
    term.answer("Công dân hài lòng? (c/k, Enter: bỏ qua): ", "x")
    reasked(term, "Gõ c (hài lòng)", "Công dân hài lòng? (c/k, Enter: bỏ qua): ")
    term.send("c")
    term.expect(f"Đã trả kết quả hồ sơ {re.escape(code)}.")
    term.answer(MENU, "2")
    term.answer("Tìm (tên, số giấy tờ, mã hồ sơ, điện thoại): ", code)
    term.expect(f"{re.escape(code)}  Lê Văn Lương +Đã trả kết quả")
    term.prompt(MENU)
    term.key("\x03")
    term.expect("Đã thoát.")
    assert term.wait() == 0


def test_ctrl_c_at_a_question_cancels_the_task_and_at_the_menu_exits(session: Terminal) -> None:
    term = session
    term.answer(MENU, "1")
    term.answer("Tìm thủ tục", "khai sinh")
    term.answer("Chọn số (0 để tìm lại): ", "1")
    term.answer("gõ họ tên: ", "Trần Thị Bé")
    term.prompt("Số định danh (CCCD 12 số): ")
    term.key("\x03")
    term.expect(CANCELLED + r"[^\n]*\n(  .*\n)+" + re.escape(MENU))
    term.send("2")  # nothing was saved
    term.answer("Tìm (tên, số giấy tờ, mã hồ sơ, điện thoại): ", "Trần Thị Bé")
    term.expect("Không tìm thấy hồ sơ nào.")
    term.prompt(MENU)
    term.key("\x03")
    term.expect("\nĐã thoát.\n")
    assert term.wait() == 0
    assert "KeyboardInterrupt" not in term.text


def test_end_of_input_at_a_question_ends_calmly(session: Terminal) -> None:
    term = session
    term.answer(MENU, "5")
    term.prompt("hoặc gõ mã hồ sơ: ")
    term.key("\x04")
    term.expect("Đã thoát.")
    assert term.wait() == 0
    assert "EOFError" not in term.text


def test_a_cp1258_console_shows_vietnamese_and_does_not_crash(first_start: tuple[Path, str]) -> None:
    """Windows consoles in code page 1258 lack most precomposed letters: they get combining marks."""
    data, password = first_start
    term = Terminal(data, encoding="cp1258")
    try:
        term.answer("Tên đăng nhập: ", "demo")
        # getpass writes its prompt to /dev/tty in the locale's encoding (UTF-8 here), not stdout's.
        term.expect(r"M\S+t kh\S+u: ")
        term.send(password)
        term.expect("Xin chào Cán bộ trình diễn. Chế độ ngoại tuyến: mọi việc lưu trên máy này.")
        term.expect("1. Tiếp nhận hồ sơ\n")
        term.answer(MENU, "3")
        term.expect(r"Quá hạn: \d+ hồ sơ")
        term.answer(MENU, "q")
        term.expect("Đã thoát.")
        assert term.wait() == 0
        assert "Traceback" not in term.text
        # "Tiếp" went out as "Tiê" + cp1258's combining acute (0xEC): the marks were kept, not dropped.
        assert b"Ti\xea\xecp nh" in term.raw
    finally:
        term.close()
