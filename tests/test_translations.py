"""The English catalogue (ADR 0001: the Chinese text is the msgid, English its translation):
complete, not fuzzy, placeholders intact, the committed .mo compiled from the committed .po,
and real pages rendered in English when the browser asks for it."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)")
CJK = re.compile(r"[\u4e00-\u9fff]")


# --- a tiny .po reader ------------------------------------------------------------------------

@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index 0 for a singular entry

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header included, obsolete `#~` entries left out)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                entry, target = None, None
            continue
        if entry is None:
            entry = Entry(number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: a string continues nothing"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + _unquote(line))
        else:
            keyword, _, rest = line.partition(" ")
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural:
                target = ("msgstr", int(plural.group(1)))
                entry.msgstr[target[1]] = _unquote(rest)
            elif keyword == "msgstr":
                target = ("msgstr", 0)
                entry.msgstr[0] = _unquote(rest)
            elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                target = (keyword, 0)
                setattr(entry, keyword, _unquote(rest))
            else:
                raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def messages() -> list[Entry]:
    return [e for e in read_po(PO) if e.msgid != ""]


def translations_of(entries: list[Entry]) -> dict[object, str]:
    """What gettext.GNUTranslations keeps in `_catalog` for these entries."""
    out: dict[object, str] = {}
    for e in entries:
        if e.msgid_plural is None:
            out[e.key] = e.msgstr[0]
        else:
            out.update({(e.key, i): text for i, text in e.msgstr.items()})
    return out


def mo_translations(path: Path) -> dict[object, str]:
    with path.open("rb") as f:
        catalog = dict(gettext.GNUTranslations(f)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)  # the header: its dates change with every makemessages
    return catalog


# --- the catalogue ----------------------------------------------------------------------------

def test_the_reader_reads_the_catalogue():
    entries = read_po(PO)
    header = entries[0]
    assert header.msgid == "" and "nplurals=2; plural=(n != 1);" in header.msgstr[0]
    msgids = [e.msgid for e in entries[1:]]
    assert len(msgids) > 500 and len(set(msgids)) == len(msgids)
    by_id = {e.msgid: e for e in entries}
    assert by_id["登录"].msgstr == {0: "Log in"}
    assert by_id["共 %(counter)s 项"].msgid_plural == "共 %(counter)s 项"
    assert set(by_id["共 %(counter)s 项"].msgstr) == {0, 1}


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = messages()
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


def test_plural_entries_fill_both_english_forms():
    plurals = [e for e in messages() if e.msgid_plural is not None]
    assert plurals
    for e in plurals:
        assert sorted(e.msgstr) == [0, 1], e.msgid
        assert e.msgstr[0] != e.msgstr[1], f"singular and plural alike: {e.msgid}"


def test_translations_keep_the_placeholders_and_format():
    for e in messages():
        wanted = sorted(set(PLACEHOLDER.findall(e.msgid)))
        for text in e.msgstr.values():
            assert sorted(set(PLACEHOLDER.findall(text))) == wanted, (e.msgid, text)
            if "python-format" in e.flags:
                values = {name: 1 for name in wanted}
                assert isinstance(text % values, str), (e.msgid, text)  # raises if malformed
            assert text.count("<") == e.msgid.count("<"), (e.msgid, text)  # HTML tags kept


# Translations that quote what the user types or reads in Chinese: sheet names of the import
# file, the Chinese keywords of the holiday schedule, the form of a State Council notice number.
KEEPS_CHINESE = {
    "实施编码“%(value)s”在“事项”工作表中不存在",
    "办理项编码“%(value)s”在“业务办理项”工作表中不存在",
    "如：食品、SPJY",
    "写明到条，如“第二十二条”。",
    "条款“%(value)s”应写明到条，例如“第二十二条”",
    "每行一项：年份,2027 / 来源,国办发明电〔2026〕12号 / "
    "放假,开始日期,结束日期,节日 / 上班,日期,,节日。",
    "例如：国办发明电〔2025〕7号",
    "无法识别的类型“%(kind)s”，应为：年份、来源、说明、放假 或 上班。",
    "文件中缺少“来源”一行（例如：来源,国办发明电〔2026〕12号）。",
    "# 来源：国务院办公厅通知的文号，例如 国办发明电〔2026〕12号",
    "# 放假,开始日期,结束日期,节日（一天的假期可省略结束日期）",
    "# 上班,日期,,节日（调休上班的星期六或星期日）",
}


def test_translations_are_english():
    chinese = {e.msgid for e in messages() for text in e.msgstr.values() if CJK.search(text)}
    assert chinese <= KEEPS_CHINESE, sorted(chinese - KEEPS_CHINESE)


def stale_entries(po: Path, mo: Path, workdir: Path) -> set[object]:
    """The translations on which `mo` differs from `po` compiled afresh by msgfmt --check."""
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (apt-get install gettext)"
    fresh = workdir / "fresh.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(po)], capture_output=True, text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    compiled, committed = mo_translations(fresh), mo_translations(mo)
    return {k for k in compiled.keys() | committed.keys() if compiled.get(k) != committed.get(k)}


def test_msgfmt_and_the_reader_agree(tmp_path):
    stale_entries(PO, MO, tmp_path)  # compiles tmp_path/fresh.mo
    assert mo_translations(tmp_path / "fresh.mo") == translations_of(messages())


def test_committed_mo_is_compiled_from_the_committed_po(tmp_path):
    """A .po edited (or regenerated) without `make messages` fails here."""
    stale = stale_entries(PO, MO, tmp_path)
    assert not stale, f"django.mo is stale for {len(stale)} entries: {sorted(map(str, stale))[:5]}"


def test_a_stale_mo_is_caught(tmp_path):
    """The same check on a .po one translation ahead of the committed .mo."""
    text = PO.read_text(encoding="utf-8")
    before = 'msgid "登录"\nmsgstr "Log in"\n'
    assert text.count(before) == 1
    newer = tmp_path / "django.po"
    newer.write_text(text.replace(before, 'msgid "登录"\nmsgstr "Sign in"\n'), encoding="utf-8")
    assert stale_entries(newer, MO, tmp_path) == {"登录"}


# --- pages in English ---------------------------------------------------------------------------

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(("url", "english", "chinese"), [
    ("/", ["How it works", "Deadline calculator", "Service guides", "Log in"],
     ["办事流程", "办理时限计算器", "网上服务", "政务服务大厅"]),
    ("/accounts/login/", ["Log in", "User name", "Password"],
     ["登录", "用户名", "密码", "连续输错密码"]),
    ("/tools/deadline/", ["Deadline calculator", "Start date", "Time limit (working days)",
                          "Calculate"],
     ["办理时限计算器", "起算日期", "期限（工作日）", "特别程序中止期间"]),
    ("/items/", ["Items handled in the service hall", "Item name", "Competent department",
                 "No items match."],
     ["事项进驻目录", "事项名称", "主管部门", "检索"]),
])
def test_pages_render_in_english_on_request(client, db, url, english, chinese):
    chinese_html = client.get(url).content.decode()
    assert '<html lang="zh-Hans">' in chinese_html
    assert all(text in chinese_html for text in chinese)  # the page does carry these headings
    response = client.get(url, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for text in english:
        assert text in html, text
    for text in chinese:
        assert text not in html, text
    assert ">退出<" not in html and "跳到主要内容" not in html


def test_deadline_explanation_is_english(client, db):
    from oneseal.core.workcalendar.selectors import clear_calendar_cache
    from oneseal.core.workcalendar.services import seed_calendar_from_package

    seed_calendar_from_package()
    clear_calendar_cache()
    try:
        html = _main(client.get("/tools/deadline/", {
            "start": "2026-09-28", "days": "20", "suspend": "2026-10-12:2026-10-16:hearing",
        }, **EN).content.decode())
    finally:
        clear_calendar_cache()
    assert 'data-due="2026-11-06"' in html
    assert "Counting 20 working days from the day after 2026-09-28" in html
    assert "2026-10-12 to 10-16: hearing, not counted by law" in html
    assert "deadline 2026-11-06." in html
    assert "Not counted (5 working days)" in html
    assert "举行听证" not in html and "办理期限至" not in html and "不计算在内" not in html


def test_language_switch_keeps_english_for_the_session(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/items/"})
    html = client.get("/items/").content.decode()
    assert "Items handled in the service hall" in html and "事项进驻目录" not in html
