"""The exchange formats of the catalogue: JSON and Excel (openpyxl). The column layout is
documented in docs/catalog-import.md; `read_*` turn a file into `SourceItem`s that know
where each field came from, `write_*` turn records back into the same layout (round trip).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path as FsPath
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from oneseal.accounts.roles import Role

from .domain import enums
from .domain.problems import Path
from .importing import SourceItem
from .messages import field_path

FORMAT = "oneseal-catalog"
FORMAT_VERSION = 1

# --- JSON -------------------------------------------------------------------------------


def read_json(stream: IO[bytes]) -> list[SourceItem]:
    """{"format": "oneseal-catalog", "version": 1, "items": [record, ...]} or a bare list."""
    try:
        doc = json.loads(stream.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [SourceItem({}, _("文件"), lambda p: _("文件"),
                           [(_("文件"), _("不是有效的 JSON：%(error)s") % {"error": exc})])]
    items = doc.get("items") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        return [SourceItem({}, _("文件"), lambda p: _("文件"),
                           [(_("文件"), _("JSON 中缺少 items 列表"))])]
    sources = []
    for index, raw in enumerate(items):
        label = _("第 %(n)s 个事项") % {"n": index + 1}

        def locate(path: Path, label: str = label) -> str:
            where = field_path(path)
            return f"{label}（{where}）" if where else label

        if not isinstance(raw, dict):
            sources.append(SourceItem({}, label, locate, [(label, _("应为对象"))]))
        else:
            sources.append(SourceItem(raw, label, locate))
    return sources


def write_json(recs: list[dict[str, Any]], stream: IO[bytes]) -> None:
    doc = {"format": FORMAT, "version": FORMAT_VERSION, "items": recs}
    stream.write(json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"))


# --- Excel layout ------------------------------------------------------------------------

# kind of a column: text, int, bool, item_type, depth, kind (special), paper, result, role,
# date, datetime, money
ITEM_SHEET = "事项"
COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    ITEM_SHEET: [
        ("实施编码", "implementation_code", "text"), ("基本编码", "basic_code", "text"),
        ("行使层级", "exercise_level", "int"),
        ("实施主体统一社会信用代码", "implementing_body_code", "text"),
        ("主管部门统一社会信用代码", "competent_department_code", "text"),
        ("事项名称", "name", "text"), ("事项类型", "item_type", "item_type"),
        ("受理条件", "acceptance_conditions", "text"), ("审查标准", "review_standard", "text"),
        ("法定办结时限", "statutory_limit_days", "int"),
        ("法定时限依据", "statutory_limit_basis", "text"),
        ("法定时限单位", "statutory_limit_unit", "limit_unit"),
        ("法定时限起算", "statutory_limit_start", "limit_start"),
        ("可延长期限", "extension_limit_days", "int"),
        ("延长期限依据", "extension_limit_basis", "text"),
        ("联合办理方式", "joint_handling", "joint"),
        ("联合办理依据", "joint_handling_basis", "text"),
        ("承诺办结时限", "promised_limit_days", "int"), ("办件类型", "handling_type", "text"),
        ("不收费", "fee_free", "bool"), ("网办深度", "online_depth", "depth"),
        ("到现场次数", "visits_required", "int"), ("街道可办", "street_available", "bool"),
        ("进驻大厅", "in_hall", "bool"), ("办理窗口", "window", "text"),
        ("办理地点", "address", "text"), ("办理时间", "hours", "text"),
        ("咨询电话", "phone", "text"), ("生效时间", "valid_from", "datetime"),
        ("失效时间", "valid_to", "datetime"),
    ],
    "设定依据": [("法律法规名称", "law", "text"), ("条款", "article", "text"),
             ("条文内容", "text", "text")],
    "特别程序": [("程序种类", "kind", "special"), ("一般时长", "usual_days", "int"),
             ("依据", "legal_basis", "text"), ("不计入办理时限", "stops_clock", "bool")],
    "收费": [("收费项目", "name", "text"), ("金额", "amount", "money"),
           ("收费依据", "basis", "text")],
    "办理结果": [("结果名称", "name", "text"), ("结果类型", "kind", "result"),
             ("有效期限", "validity", "text")],
    "常见问题": [("问题", "question", "text"), ("解答", "answer", "text")],
    "业务办理项": [("办理项编码", "code", "text"), ("办理项名称", "name", "text")],
    "申请材料": [("办理项编码", "@variant", "text"), ("材料名称", "name", "text"),
             ("原件份数", "originals", "int"), ("复印件份数", "copies", "int"),
             ("纸张规格", "paper_size", "paper"), ("必要材料", "required", "bool"),
             ("免提交", "shareable", "bool"), ("共享来源", "share_source", "text"),
             ("材料依据", "legal_basis", "text"), ("填报说明", "note", "text")],
    "审批环节": [("办理项编码", "@variant", "text"), ("环节名称", "name", "text"),
             ("办理角色", "role", "role"), ("环节时限", "limit_days", "int"),
             ("即办件可省略", "skippable_on_spot", "bool"), ("现场核查", "site_visit", "bool")],
    "划转备忘录": [("划出部门统一社会信用代码", "from_department_code", "text"),
              ("生效日期", "effective_on", "date"), ("文件文号", "document_no", "text"),
              ("审批职责", "approval_duty", "text"), ("监管职责", "supervision_duty", "text")],
    "签署人": [("姓名", "name", "text"), ("单位", "unit", "text"), ("职务", "title", "text"),
            ("签署日期", "signed_on", "date")],
}
KEY = "实施编码"
# Columns added after the first version of the layout: a file without them still imports
# (the record's default applies), a file with them is read as usual.
OPTIONAL_COLUMNS = {("审批环节", "现场核查"), (ITEM_SHEET, "法定时限单位"),
                    (ITEM_SHEET, "法定时限起算"), (ITEM_SHEET, "可延长期限"),
                    (ITEM_SHEET, "延长期限依据"), (ITEM_SHEET, "联合办理方式"),
                    (ITEM_SHEET, "联合办理依据")}
# The unit and start of the statutory limit as the Excel file writes them.
LIMIT_UNIT_LABELS = {"工作日": "working_days", "日": "days", "月": "months"}
LIMIT_START_LABELS = {"自受理之日起": "acceptance", "自收到申请之日起": "receipt"}
LIST_OF_SHEET = {"设定依据": "legal_bases", "特别程序": "special_procedures", "收费": "fees",
                 "办理结果": "results", "常见问题": "faqs"}
YES = {"是", "true", "1", "y", "yes", "√"}
NO = {"否", "false", "0", "n", "no", "×", ""}


def _labels() -> dict[str, dict[str, str]]:
    with translation.override("zh-hans"):
        roles = {str(label): code for code, label in Role.choices}
    return {
        "item_type": {v: k for k, v in enums.ITEM_TYPE_LABELS.items()},
        "special": {v: k for k, v in enums.SPECIAL_KIND_LABELS.items()},
        "paper": {v: k for k, v in enums.PAPER_SIZE_LABELS.items()},
        "result": {v: k for k, v in enums.RESULT_KIND_LABELS.items()},
        "depth": {v: str(k) for k, v in enums.ONLINE_DEPTH_LABELS.items()},
        "role": roles,
        "limit_unit": dict(LIMIT_UNIT_LABELS),
        "limit_start": dict(LIMIT_START_LABELS),
        # 统一办理 / 联合办理 / 集中办理 (行政许可法 第26条); empty: none
        "joint": {v: k for k, v in enums.JOINT_HANDLING_LABELS.items()},
    }


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _parse(value: Any, kind: str, labels: dict[str, dict[str, str]]) -> tuple[Any, str | None]:
    """A cell's value in record form, or the Chinese reason it cannot be read."""
    text = _cell_text(value)
    if kind in ("text", "money"):
        return text, None
    if kind == "int":
        if text == "":
            return None, None
        try:
            return int(text), None
        except ValueError:
            return text, _("应为整数（现为“%(value)s”）") % {"value": text}
    if kind == "bool":
        if text.lower() in YES:
            return True, None
        if text.lower() in NO:
            return False, None
        return text, _("应为“是”或“否”（现为“%(value)s”）") % {"value": text}
    if kind == "date":
        return (value.date().isoformat() if isinstance(value, dt.datetime) else text), None
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return value.isoformat(), None
        return text.replace(" ", "T", 1) if text else "", None
    table = labels[kind]
    if text == "":
        return "", None
    if text in table:
        value = table[text]
        return (int(value) if kind == "depth" else value), None
    if text in table.values():  # the code itself is accepted too
        return (int(text) if kind == "depth" else text), None
    return text, _("“%(value)s”不是可选的值，可选：%(choices)s") % {
        "value": text, "choices": "、".join(table)}


def _place(sheet: str, row: int, column: str | None = None) -> str:
    if column:
        return _("工作表“%(sheet)s”第 %(row)s 行“%(column)s”列") % {
            "sheet": sheet, "row": row, "column": column}
    return _("工作表“%(sheet)s”第 %(row)s 行") % {"sheet": sheet, "row": row}


class _Builder:
    """Collects one item's rows from every sheet, remembering where each field came from."""

    def __init__(self, code: str, row: int) -> None:
        self.code = code
        self.record: dict[str, Any] = {"variants": []}
        self.where: dict[Path, str] = {(): _place(ITEM_SHEET, row)}
        self.problems: list[tuple[str, str]] = []
        self.variant_index: dict[str, int] = {}

    def locate(self, path: Path) -> str:
        for end in range(len(path), -1, -1):
            found = self.where.get(tuple(path[:end]))
            if found:
                rest = field_path(path[end:])
                return f"{found}（{rest}）" if rest else found
        return self.where[()]


def read_excel(stream: IO[bytes] | FsPath | str) -> list[SourceItem]:
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds; all mean "not a readable xlsx"
        where = _("文件")
        return [SourceItem({}, where, lambda p: where,
                           [(where, _("无法读取 Excel 文件：%(error)s") % {"error": exc})])]
    labels = _labels()
    if ITEM_SHEET not in book.sheetnames:
        where = _("文件")
        return [SourceItem({}, where, lambda p: where,
                           [(where, _("缺少工作表“%(value)s”") % {"value": ITEM_SHEET})])]
    builders: dict[str, _Builder] = {}
    stray: list[tuple[str, str]] = []
    for sheet in COLUMNS:
        if sheet not in book.sheetnames:
            continue
        rows = book[sheet].iter_rows(values_only=True)
        header = [_cell_text(h) for h in next(rows, ())]
        columns = [(KEY, "@item", "text"), *COLUMNS[sheet]] if sheet != ITEM_SHEET else (
            COLUMNS[sheet])
        missing = [c[0] for c in columns
                   if c[0] not in header and (sheet, c[0]) not in OPTIONAL_COLUMNS]
        if missing:
            stray += [(_place(sheet, 1), _("缺少列“%(value)s”") % {"value": m}) for m in missing]
            continue
        columns = [c for c in columns if c[0] in header]
        index = {name: header.index(name) for name, _key, _kind in columns}
        for number, values in enumerate(rows, start=2):
            if not any(_cell_text(v) for v in values):
                continue
            _read_row(sheet, number, values, columns, index, labels, builders, stray)
    book.close()
    sources = [SourceItem(b.record, b.where[()], b.locate, b.problems)
               for b in builders.values()]
    if stray:
        where = _("文件")
        sources.append(SourceItem({}, where, lambda p: where, stray))
    return sources


def _read_row(sheet: str, number: int, values: tuple[Any, ...],
              columns: list[tuple[str, str, str]], index: dict[str, int],
              labels: dict[str, dict[str, str]], builders: dict[str, _Builder],
              stray: list[tuple[str, str]]) -> None:
    def cell(name: str) -> Any:
        i = index[name]
        return values[i] if i < len(values) else None

    code = _cell_text(cell(KEY)).upper()
    if sheet == ITEM_SHEET:
        if code in builders:
            stray.append((_place(sheet, number, KEY),
                          _("实施编码“%(value)s”在文件中出现了多次") % {"value": code}))
            return
        builder = builders[code] = _Builder(code, number)
        target: dict[str, Any] = builder.record
        prefix: Path = ()
    else:
        found = builders.get(code)
        if found is None:
            stray.append((_place(sheet, number, KEY),
                          _("实施编码“%(value)s”在“事项”工作表中不存在") % {"value": code}))
            return
        builder = found
        target, prefix = _row_target(builder, sheet, number, cell, stray)
        if prefix == ("!",):
            return
    for name, key, kind in columns:
        if key.startswith("@"):
            continue
        value, problem = _parse(cell(name), kind, labels)
        if problem:
            builder.problems.append((_place(sheet, number, name), problem))
        if value in (None, "") and key in ("statutory_limit_days", "handling_type"):
            continue  # defaults apply (行政许可法 第42条)
        target[key] = value
        builder.where[(*prefix, key)] = _place(sheet, number, name)
    builder.where.setdefault(prefix, _place(sheet, number))


def _row_target(builder: _Builder, sheet: str, number: int, cell: Any,
                stray: list[tuple[str, str]]) -> tuple[dict[str, Any], Path]:
    rec = builder.record
    if sheet in LIST_OF_SHEET:
        key = LIST_OF_SHEET[sheet]
        rows = rec.setdefault(key, [])
        rows.append({})
        return rows[-1], (key, len(rows) - 1)
    if sheet == "业务办理项":
        variant_code = _cell_text(cell("办理项编码"))
        rec["variants"].append({"materials": [], "steps": []})
        builder.variant_index[variant_code] = len(rec["variants"]) - 1
        return rec["variants"][-1], ("variants", len(rec["variants"]) - 1)
    if sheet in ("申请材料", "审批环节"):
        variant_code = _cell_text(cell("办理项编码"))
        vi = builder.variant_index.get(variant_code)
        if vi is None:
            builder.problems.append((_place(sheet, number, "办理项编码"), _(
                "办理项编码“%(value)s”在“业务办理项”工作表中不存在") % {"value": variant_code}))
            return {}, ("!",)
        key = "materials" if sheet == "申请材料" else "steps"
        rows = rec["variants"][vi][key]
        rows.append({})
        return rows[-1], ("variants", vi, key, len(rows) - 1)
    if sheet == "划转备忘录":
        rec["transfer"] = {"signatories": rec.get("transfer", {}).get("signatories", [])}
        return rec["transfer"], ("transfer",)
    # 签署人
    memo = rec.setdefault("transfer", {"signatories": []})
    memo.setdefault("signatories", []).append({})
    return memo["signatories"][-1], ("transfer", "signatories", len(memo["signatories"]) - 1)


def _out(value: Any, kind: str, reverse: dict[str, dict[str, str]]) -> Any:
    if kind == "bool":
        return "是" if value else "否"
    if kind in reverse:
        return reverse[kind].get(str(value), value)
    if kind == "datetime" and value:
        return str(value).replace("T", " ", 1)
    if kind == "money" and value != "":
        return str(value)
    return value


def write_excel(recs: list[dict[str, Any]], target: IO[bytes] | FsPath | str) -> None:
    """Write records in the documented layout: one sheet per list, keyed by 实施编码."""
    reverse = {kind: {v: k for k, v in table.items()} for kind, table in _labels().items()}
    book = Workbook()
    book.remove(book.active)
    sheets = {}
    for sheet, columns in COLUMNS.items():
        ws = book.create_sheet(sheet)
        head = [c[0] for c in columns] if sheet == ITEM_SHEET else [KEY, *(
            c[0] for c in columns if c[0] != KEY)]
        ws.append(head)
        sheets[sheet] = ws
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for rec in recs:
        code = rec["implementation_code"]
        rows[ITEM_SHEET].append([_out(rec.get(k, ""), kind, reverse)
                                 for _n, k, kind in COLUMNS[ITEM_SHEET]])
        for sheet, key in LIST_OF_SHEET.items():
            for row in rec[key]:
                rows[sheet].append([code, *(_out(row.get(k, ""), kind, reverse)
                                            for _n, k, kind in COLUMNS[sheet])])
        for variant in rec["variants"]:
            rows["业务办理项"].append([code, variant["code"], variant["name"]])
            for sheet, key in (("申请材料", "materials"), ("审批环节", "steps")):
                for row in variant[key]:
                    rows[sheet].append([code, variant["code"], *(
                        _out(row.get(k, ""), kind, reverse)
                        for _n, k, kind in COLUMNS[sheet] if not k.startswith("@"))])
        memo = rec.get("transfer")
        if memo:
            rows["划转备忘录"].append([code, *(_out(memo.get(k, ""), kind, reverse)
                                          for _n, k, kind in COLUMNS["划转备忘录"])])
            for person in memo["signatories"]:
                rows["签署人"].append([code, *(_out(person.get(k, ""), kind, reverse)
                                            for _n, k, kind in COLUMNS["签署人"])])
    for sheet, data in rows.items():
        for row in data:
            sheets[sheet].append(row)
    for ws in sheets.values():
        ws.freeze_panes = "B2"
    book.save(target)
