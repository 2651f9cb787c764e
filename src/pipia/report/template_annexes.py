"""The annexes of the report templates (GB/T 39335 §5.7), written with ``Writer``."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from pipia.report import docxstyle
from pipia.report.template_chapters import scenario_table
from pipia.report.writer import Content, Writer


def write_annexes(out: Writer) -> None:
    """Write the report template's annexes: route check, data map, risks, risk matrix, dimension scores, action plan,
    questions, references and approval.
    """
    _route(out)
    _data_map(out)
    _risks(out)
    _matrix(out)
    _dimensions(out)
    _actions(out)
    _questions(out)
    _references(out)
    _approval(out)


def _annex(out: Writer, zh: str, en: str) -> None:
    out.heading(out.w(zh, en), 1, page_break=True)


def _statements(out: Writer, var: str, zh: str, en: str) -> None:
    out.tag(f"if {var}")
    out.para((out.w(zh, en), True), keep=True)
    out.tag(f"for x in {var}")
    out.para(out.w("{{ loop.index }}. {{ x.text }}{% if x.cites %}（{{ x.cites }}）{% endif %}",
                   "{{ loop.index }}. {{ x.text }}{% if x.cites %} ({{ x.cites }}){% endif %}"))
    out.tag("endfor")
    out.tag("endif")


def _route(out: Writer) -> None:
    w = out.w
    _annex(out, "附件1  出境路径核查结果", "Annex 1  Route check")
    out.tag("if annex.route.decided")
    out.para((w("核查结论：", "Result: "), True), "{{ annex.route.route }}")
    out.para((w("适用规则：", "Rules applied: "), True), "{{ annex.route.rule_set }}")
    out.para((w("判断日期：", "As of: "), True), "{{ annex.route.as_of }}")
    out.caption(w("表1-1  路径核查所依据的情况", "Table 1-1  Facts the route check relies on"))
    out.table([w("事项", "Fact"), w("情况", "Answer")], [["{{ x.label }}"], ["{{ x.value }}"]], [8.0, 6.6],
              loop="x in annex.route.facts")
    _statements(out, "annex.route.reasons", "理由：", "Reasons:")
    _statements(out, "annex.route.mechanisms", "可选择的出境条件：", "Mechanisms available:")
    _statements(out, "annex.route.obligations", "仍须履行的义务：", "Obligations that remain:")
    out.tag("if annex.route.deadlines")
    out.caption(w("表1-2  期限", "Table 1-2  Deadlines"))
    out.table([w("日期", "Date"), w("事项", "What"), w("说明和依据", "Note and basis")],
              [["{{ d.date }}"], ["{{ d.label }}"], ["{{ d.note }}", "{{ d.cites }}"]], [3.6, 4.4, 6.6],
              loop="d in annex.route.deadlines")
    out.tag("endif")
    _statements(out, "annex.route.warnings", "提示：", "Warnings:")
    out.tag("else")
    out.para(w("路径核查未能完成，原因如下：", "The route check could not be completed:"))
    out.bullets("annex.route.problems")
    out.tag("endif")


def _data_map(out: Writer) -> None:
    w = out.w
    _annex(out, "附件2  数据映射表", "Annex 2  Data map")
    out.para(w("按照GB/T 39335—2020第5.3条，逐项列示拟出境的个人信息（{{ annex.data_map.title }}）。",
               "The personal information to be transferred, item by item, as GB/T 39335-2020 §5.3 asks "
               "({{ annex.data_map.title }})."))
    out.tag("if annex.data_map.empty")
    out.para(w("未填写出境个人信息清单。", "No inventory of the personal information to be transferred is given."))
    out.tag("endif")
    out.tag("for row in annex.data_map.rows")
    out.caption(w("数据项{{ row.no }}", "Data item {{ row.no }}"))
    out.table([w("项目", "Field"), w("内容", "Entry")], [["{{ c.label }}"], ["{{ c.value }}"]], [4.6, 10.0],
              loop="c in row.cells")
    out.tag("endfor")


def _risks(out: Writer) -> None:
    w = out.w
    _annex(out, "附件3  风险评估表", "Annex 3  Risk assessment by scenario")
    out.para(w("每一境外接收方及其接收的个人信息构成一个出境场景。影响程度依据所接收个人信息的类别、敏感程度、规模和去标识化情况"
               "判定，可能性依据各风险源维度的不符合项和规模判定，风险等级按附件4的风险矩阵得出（GB/T 39335—2020第5.5、"
               "5.6条、附录D）。",
               "Each overseas recipient with the personal information it receives is one transfer scenario. Impact "
               "follows the categories, sensitivity, scale and de-identification of what it receives; likelihood "
               "follows the gaps in each risk-source dimension and the scale; the risk level follows the matrix of "
               "Annex 4 (GB/T 39335-2020 §§5.5, 5.6, Appendix D)."))
    scenario_table(out)
    out.tag("for s in scenarios")
    out.heading(w("{{ s.no }}. {{ s.recipient }}", "{{ s.no }}. {{ s.recipient }}"), 3)
    out.para((w("影响程度：", "Impact: "), True), "{{ s.impact }}", keep=True)
    out.bullets("s.impact_reasons", prefix="（{{ loop.index }}）" if out.lang == "zh" else "({{ loop.index }}) ")
    out.para((w("可能性：", "Likelihood: "), True), "{{ s.likelihood }}", keep=True)
    out.bullets("s.likelihood_reasons", prefix="（{{ loop.index }}）" if out.lang == "zh" else "({{ loop.index }}) ")
    out.table([w("风险源维度", "Risk-source dimension"), w("不符合项占比", "Gap share"), w("可能性", "Likelihood")],
              [["{{ x.name }}"], ["{{ x.share }}"], ["{{ x.level }}"]], [8.6, 2.8, 3.2], loop="x in s.sources")
    out.para((w("风险等级：", "Risk level: "), True),
             w("{{ s.risk }}；处置方式：{{ s.treatment }}。", "{{ s.risk }}; treatment: {{ s.treatment }}."))
    out.tag("endfor")


def _matrix(out: Writer) -> None:
    w = out.w
    _annex(out, "附件4  风险矩阵", "Annex 4  Risk matrix")
    out.para(w("风险等级由个人权益影响程度和安全事件发生的可能性按GB/T 39335—2020附录D表D.5判定；"
               "各出境场景（境外接收方）"
               "列在其所在的单元格中。处置方式随风险等级确定（GB/T 39335—2020第5.8条）。",
               "The risk level follows from the impact on individuals' rights and the likelihood of a security "
               "incident by GB/T 39335-2020 Appendix D, Table D.5; each transfer scenario (overseas recipient) is "
               "placed in its cell. Treatment follows the risk level (GB/T 39335-2020 §5.8)."))
    out.caption(w("表4-1  风险矩阵", "Table 4-1  Risk matrix"))
    cells: list[list[Content]] = [[("{{ row.impact }}", True)]]
    fills: list[str | None] = [None]
    for i in range(4):
        cells.append([(f"{{{{ row.cells[{i}].level }}}}", True), f"{{{{ row.cells[{i}].scenarios }}}}"])
        fills.append(f"row.cells[{i}].colour")
    out.table([w("影响程度＼可能性", "Impact \\ likelihood"), "{{ annex.matrix.likelihoods[0] }}",
               "{{ annex.matrix.likelihoods[1] }}", "{{ annex.matrix.likelihoods[2] }}",
               "{{ annex.matrix.likelihoods[3] }}"], cells, [3.0, 2.9, 2.9, 2.9, 2.9], loop="row in annex.matrix.rows",
              fills=fills)
    out.caption(w("表4-2  风险等级与处置方式", "Table 4-2  Risk levels and treatment"))
    out.table([w("风险等级", "Risk level"), w("处置方式", "Treatment")], [["{{ x.level }}"], ["{{ x.treatment }}"]],
              [4.0, 10.6], loop="x in annex.matrix.legend", fills=["x.colour", None])


def _dimensions(out: Writer) -> None:
    w = out.w
    _annex(out, "附件5  各维度不符合项占比", "Annex 5  Gap scores by dimension")
    out.para(w("得分为各维度评估事项的不符合项占比：0表示未发现不符合项，100表示全部评估事项均为最严重的不符合。"
               "未回答的问题不计入，因此评估未完成时得分可能偏低。",
               "Each score is the share of the dimension's scored points found to be a gap: 0 means no gap, 100 "
               "means every scored point shows the largest gap. Unanswered questions do not count, so an incomplete "
               "assessment may score low."))
    out.tag("if chart")
    out.para("{{ chart }}", style="Figure", align=WD_ALIGN_PARAGRAPH.CENTER)
    out.caption(w("图5-1  各维度不符合项占比", "Figure 5-1  Gap score by dimension"))
    out.tag("endif")
    out.caption(w("表5-1  各维度不符合项占比", "Table 5-1  Gap score by dimension"))
    out.table([w("代码", "Code"), w("维度", "Dimension"), w("对应风险源", "Risk source"), w("得分", "Score"),
               w("评估事项", "Points")],
              [["{{ d.code }}"], ["{{ d.label }}"], ["{{ d.source }}"], ["{{ d.score }}"], ["{{ d.answered }}"]],
              # Code, Score and Points wide enough for the English headings on one line.
              [1.5, 5.2, 4.3, 1.8, 1.8], loop="d in annex.dimensions")


def _actions(out: Writer) -> None:
    w = out.w
    _annex(out, "附件6  整改计划", "Annex 6  Action plan")
    out.para(w("按照GB/T 39335—2020第5.8条，对评估发现的问题逐项提出整改或者缓解措施，并按优先级排列。"
               "责任人、完成期限、整改状态和证明材料取自评估中记录的整改情况；接受风险的，列明理由；"
               "尚未记录的由个人信息处理者确定后填写。整改完成后应当核实效果，并纳入下一次评估。",
               "Following GB/T 39335-2020 §5.8, each problem found has a fix or mitigation, in order of priority. "
               "Owner, due date, status and evidence come from the fix status recorded in the assessment; where a "
               "risk is accepted, the reason is given; where none is recorded the processor fills them in when it "
               "adopts the plan. Once a fix is made, its effect should be verified and fed into the next assessment."))
    out.tag("if annex.actions")
    out.table([w("序号", "No."), w("问题", "Finding"), w("整改措施", "Action"), w("优先级", "Priority"),
               w("责任人", "Owner"), w("完成期限", "Due date"), w("状态及证明材料", "Status and evidence")],
              [["{{ a.no }}"], [out.recipient("a") + "{{ a.text }}"], ["{{ a.action }}"],
               ["{{ a.priority }}"], ["{{ a.owner }}"], ["{{ a.due }}"],
               [w("{{ a.status }}{% if a.overdue %}（已逾期）{% endif %}"
                  "{% if a.evidence %}：{{ a.evidence }}{% endif %}"
                  "{% if a.justification %}：{{ a.justification }}{% endif %}",
                  "{{ a.status }}{% if a.overdue %} (overdue){% endif %}"
                  "{% if a.evidence %}: {{ a.evidence }}{% endif %}"
                  "{% if a.justification %}: {{ a.justification }}{% endif %}")]],
              # No., Priority and Due date wide enough for "Priority" and "December" on a line; 14.6 cm in all.
              [1.0, 2.7, 2.7, 2.0, 1.6, 2.0, 2.6], loop="a in annex.actions")
    out.tag("else")
    out.para(w("评估未发现需要整改的问题。", "The assessment found nothing that needs fixing."))
    out.tag("endif")


def _questions(out: Writer) -> None:
    w = out.w
    _annex(out, "附件7  评估问题与回答", "Annex 7  Questions and answers")
    out.para(w("以下按题库顺序列出本次评估中显示的全部问题及回答、评估说明和证明材料；因前序回答而不适用的问题未列出。",
               "Every question shown in this assessment, in the order asked, with its answer, the assessor's note "
               "and the evidence; questions that did not apply given earlier answers are left out."))
    out.tag("for s in annex.qa")
    out.heading("{{ s.title }}", 3)
    out.table([w("序号", "No."), w("问题", "Question"), w("回答", "Answer")],
              [["{{ q.no }}"], [out.recipient("q") + "{{ q.question }}"],
               ["{{r q.answer|rt(q.missing) }}",
                "{%p if q.comment %}", [(w("评估说明：", "Note: "), True), "{{ q.comment }}"], "{%p endif %}",
                "{%p if q.evidence %}",
                [(w("证明材料：", "Evidence: "), True), "{{ q.evidence|join('" + w("；", "; ") + "') }}"],
                "{%p endif %}"]],
              [1.3, 6.4, 7.0], loop="q in s.questions")
    out.tag("endfor")


def _references(out: Writer) -> None:
    w = out.w
    _annex(out, "附件8  法律依据", "Annex 8  Legal references")
    out.para(w("本次评估的问题、重点评估事项和路径核查所引用的法律、行政法规、部门规章、规范性文件和标准如下。"
               "法律、行政法规、部门规章和规范性文件的条文没有标题，条款号后括号内的文字是本工具对条文内容的概括，"
               "不是条文原文；注明“待律师确认”的文件未经本工具核对全文。",
               "The laws, regulations, rules, normative documents and standards cited by the questions, the focus "
               "items and the route check of this assessment. PRC laws, regulations, rules and normative documents "
               "have no article headings: the words in brackets after an article number are the tool's summary, not "
               "the text; documents marked “to be confirmed by counsel” were not checked against their "
               "full text."))
    out.tag("for r in annex.references")
    out.para((w("{{ r.no }}. {{ r.title }}{% if r.alias %}（本报告简称“{{ r.alias }}”）{% endif %}",
                "{{ r.no }}. {{ r.title }}{% if r.alias %} (cited in this report as {{ r.alias }}){% endif %}"), True),
             keep=True)
    out.para(w("{{ r.kind }}{% if r.issuer %}；{{ r.issuer }}{% endif %}{% if r.number %}；{{ r.number }}{% endif %}"
               "{% if r.dates %}；{{ r.dates }}{% endif %}",
               "{{ r.kind }}{% if r.issuer %}; {{ r.issuer }}{% endif %}{% if r.number %}; {{ r.number }}{% endif %}"
               "{% if r.dates %}; {{ r.dates }}{% endif %}"))
    out.tag("if r.note")
    out.para((w("说明：", "Note: "), True), "{{ r.note }}")
    out.tag("endif")
    out.tag("if r.url")
    out.para((w("来源：", "Source: "), True), "{{ r.url }}")
    out.tag("endif")
    out.tag("if r.articles")
    out.para((w("引用条款：", "Provisions cited: "), True), "{{ r.articles|join('" + w("；", "; ") + "') }}")
    out.tag("endif")
    out.tag("endfor")


def _approval(out: Writer) -> None:
    w = out.w
    _annex(out, "附件9  审批页", "Annex 9  Approval")
    out.para(w("本报告经评估人员编写、审核人审核，报个人信息保护负责人审批（GB/T 39335—2020第5.7条）。",
               "This report was written by the assessor, reviewed, and submitted to the person in charge of "
               "personal information protection for approval (GB/T 39335-2020 §5.7)."))
    out.tag("if cover.draft")
    out.para((w("本报告尚未经批准，为草稿。", "This report has not been approved: it is a draft."), True))
    out.tag("endif")
    out.tag("if annex.approval.signoffs")
    out.table([w("角色", "Role"), w("姓名", "Name"), w("日期", "Date"), w("意见", "Opinion")],
              [["{{ s.role }}"], ["{{ s.name }}"], ["{{ s.date }}"], ["{{ s.opinion }}"]],
              [3.0, 3.4, 2.8, 5.4], loop="s in annex.approval.signoffs")
    out.tag("if annex.approval.statement")
    out.para((w("审批意见：", "Decision: "), True),
             w("{{ annex.approval.statement }}{% if annex.approval.version %}（批准版本：{{ annex.approval.version }}）"
               "{% endif %}", "{{ annex.approval.statement }}{% if annex.approval.version %} (approved version: "
               "{{ annex.approval.version }}){% endif %}"))
    out.tag("endif")
    out.tag("else")
    rows = [(w("评估人员", "Assessor"), "{{ annex.approval.assessor }}"),
            (w("审核人", "Reviewer"), "{{ annex.approval.reviewer }}"),
            (w("个人信息保护负责人", "PI protection officer"), "{{ annex.approval.dpo }}")]
    tbl = out.table([w("角色", "Role"), w("姓名", "Name"), w("签字", "Signature"), w("日期", "Date")],
                    [[rows[0][0]], [rows[0][1]], [""], [""]], [4.2, 4.0, 3.6, 2.8])
    for role, name in rows[1:]:
        cells = tbl.add_row().cells
        for cell, text in zip(cells, (role, name, "", ""), strict=True):
            cell.paragraphs[0].style = out.doc.styles["Table Text"]
            cell.paragraphs[0].add_run(text)
    docxstyle.set_widths(tbl, [4.2, 4.0, 3.6, 2.8])
    for row in tbl.rows[1:]:
        row.height = Cm(1.2)  # room for a handwritten signature
    out.para((w("审批意见：", "Decision: "), True))
    for _ in range(4):
        out.para("")
    out.tag("endif")
    out.para(w("个人信息处理者（盖章）：", "Personal information processor (seal):"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    out.para(w("日期：      年    月    日", "Date:"), align=WD_ALIGN_PARAGRAPH.RIGHT)
