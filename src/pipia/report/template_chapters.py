"""Chapters 一 and 二 of the report templates (the CAC template's structure), written with ``Writer``."""

from __future__ import annotations

from pipia.report.writer import Writer


def write_chapters(out: Writer) -> None:
    """Write the report template's chapters 一 (overview of the outbound transfer) and 二 (the impact assessment
    and its conclusion).
    """
    _chapter1(out)
    _chapter2(out)


def _chapter1(out: Writer) -> None:
    w = out.w
    none = w("未提供相关情况。", "No information given.")
    out.heading(w("一、出境活动整体情况", "I. Overview of the outbound transfer"), 1, page_break=True)
    out.heading(w("（一）个人信息处理者基本情况", "(1) The personal information processor"), 2)
    out.heading(w("1. 基本情况简介", "1. Basic information"), 3)
    out.entries("chapter1.processor.basic", none)
    out.heading(w("2. 整体业务与处理个人信息情况", "2. Overall business and processing of personal information"), 3)
    out.entries("chapter1.processor.business", none)
    out.heading(w("3. 拟出境个人信息情况", "3. The personal information to be transferred"), 3)
    for key, zh, en in (
        ("business", "（1）个人信息出境涉及业务、个人信息收集使用、信息系统等情况",
         "(a) Business involved, collection and use of personal information, information systems"),
        ("purpose", "（2）个人信息处理者和境外接收方处理个人信息的目的、范围、方式，及其合法性、正当性、必要性",
         "(b) Purposes, scope and methods of processing by the processor and the overseas recipients, and their "
         "legality, legitimacy and necessity"),
        ("scale", "（3）出境个人信息的规模、范围、种类、敏感程度，处理敏感个人信息情况",
         "(c) Scale, scope, types and sensitivity of the personal information transferred; sensitive personal "
         "information"),
        ("storage", "（4）拟出境个人信息在境内存储的系统平台、数据中心等情况，个人信息出境链路相关情况，"
                    "计划出境后存储的系统平台、数据中心等",
         "(d) Systems and data centres in China, the transfer link, and systems and data centres abroad"),
        ("onward", "（5）个人信息出境后向境外其他接收方提供的情况",
         "(e) Onward provision to other recipients abroad"),
    ):
        out.heading(w(zh, en), 4)
        out.entries(f"chapter1.transfer.{key}", none)
    out.heading(w("4. 遵守个人信息保护相关法律法规的情况",
                  "4. Compliance with personal information protection laws and regulations"), 3)
    out.entries("chapter1.processor.compliance", none)

    out.heading(w("（二）境外接收方情况", "(2) The overseas recipients"), 2)
    out.tag("if not chapter1.recipients")
    out.para(w("未填写境外接收方。", "No overseas recipient is given."))
    out.tag("endif")
    out.tag("for r in chapter1.recipients")
    out.heading(w("境外接收方{{ r.no }}：{{ r.name }}", "Overseas recipient {{ r.no }}: {{ r.name }}"), 3)
    out.heading(w("（1）境外接收方基本情况", "(a) Basic information"), 4)
    out.entries("r.basic", none)
    out.tag("if r.destination.summary")
    out.para((w("所在国家或者地区个人信息保护法律环境概况（{{ r.destination.name }}，"
                "资料截至{{ r.destination.as_of }}）：",
                "Personal information protection law of the destination ({{ r.destination.name }}, as of "
                "{{ r.destination.as_of }}): "), True), "{{ r.destination.summary }}")
    out.tag("if r.destination.stale")
    out.para("{{ r.destination.stale }}")
    out.tag("endif")
    out.tag("if r.destination.unconfirmed")
    out.para(w("资料中以下事项本工具未能核实，签署前应当核实：",
               "The profile could not check the following; verify them before signing:"))
    out.bullets("r.destination.unconfirmed", prefix="")
    out.tag("endif")
    out.tag("endif")
    out.heading(w("（2）境外接收方处理个人信息的用途、方式等", "(b) Purposes and methods of processing"), 4)
    out.entries("r.purpose", none)
    out.heading(w("（3）境外接收方履行责任义务的管理和技术措施、能力等",
                  "(c) Management and technical measures and capability to meet its obligations"), 4)
    out.entries("r.measures", none)
    out.tag("endfor")

    out.heading(w("（三）个人信息处理者认为需要说明的其他情况", "(3) Other matters the processor wishes to explain"), 2)
    out.entries("chapter1.other", none)


def _chapter2(out: Writer) -> None:
    w = out.w
    out.heading(w("二、拟出境活动的影响评估情况及结论",
                  "II. Impact assessment of the proposed transfer and conclusion"), 1, page_break=True)
    out.para(w("对照{{ chapter2.basis }}规定的重点评估事项，逐项说明评估情况、"
               "发现的问题和整改情况如下。表中“评价”一栏为依据"
               "题库评分规则对回答的判断；各事项的完整问题与回答见附件7，风险判定准则见附件4。",
               "The focus items of {{ chapter2.basis }} are taken one by one below: how each was assessed, the "
               "problems found and the fixes. The \u201cRating\u201d column is the scoring rules' reading of the "
               "answer; every question and answer is in Annex 7 and the risk criteria in Annex 4."))
    out.tag("for item in chapter2.focus")
    out.heading(w("{{ item.number }}{{ item.label }}", "{{ item.number }} {{ item.label }}"), 2)
    out.para((w("依据：", "Basis: "), True), "{{ item.cites }}")
    out.para((w("评估情况：", "Assessment: "), True), "{{ item.summary }}", keep=True)
    out.tag("if item.entries")
    out.table(
        [w("评估事项", "Point assessed"), w("情况", "Answer"), w("评价", "Rating")],
        [[out.recipient("e") + "{{ e.question }}"],
         ["{{r e.answer|rt(e.missing) }}"], ["{{ e.assessment }}"]],
        [6.2, 6.9, 2.4], loop="e in item.entries")
    out.tag("endif")
    out.tag("if item.findings")
    out.para((w("发现的问题和整改情况：", "Problems found and how they are being fixed:"), True), keep=True)
    out.tag("for f in item.findings")
    out.para((w("问题{{ f.no }}", "Finding {{ f.no }}"), True),
             w("{% if f.recipient %}（{{ f.recipient }}）{% endif %}【{{ f.priority }}】{{ f.text }}",
               "{% if f.recipient %} ({{ f.recipient }}){% endif %} [{{ f.priority }}] {{ f.text }}"), keep=True)
    out.para((w("{% if f.mitigate %}缓解措施：{% else %}整改措施：{% endif %}",
                "{% if f.mitigate %}Mitigation: {% else %}Fix: {% endif %}"), True), "{{ f.action }}")
    out.para((w("{% if f.mitigate %}落实情况：{% else %}整改情况：{% endif %}", "Status: "), True),
             "{{ f.rectification }}")
    out.tag("endfor")
    out.tag("else")
    out.para(w("本项未发现问题。", "No problem was found under this item."))
    out.tag("endif")
    out.tag("endfor")

    out.heading(w("{{ chapter2.risk_number }}风险分析", "{{ chapter2.risk_number }} Risk analysis"), 2)
    out.para(w("按照GB/T 39335—2020，对每一境外接收方（出境场景）分析个人权益影响程度和安全事件发生的可能性，"
               "判定风险等级如下"
               "（判定理由见附件3，风险矩阵见附件4）。",
               "Following GB/T 39335-2020, the impact on individuals' rights and the likelihood of a security "
               "incident were rated for each overseas recipient (transfer scenario), giving these risk levels "
               "(reasons in Annex 3, matrix in Annex 4)."))
    scenario_table(out)

    out.heading(w("{{ chapter2.conclusion_number }}评估结论", "{{ chapter2.conclusion_number }} Conclusion"), 2)
    out.para(("{{ conclusion.statement }}", True))
    out.tag("if status.missing")
    out.para(w("尚未回答的必答问题：", "Required questions still unanswered:"), keep=True)
    out.tag("for m in status.missing")
    out.para("{{ loop.index }}. " + out.recipient("m") + "{{ m.question }}")
    out.tag("endfor")
    out.tag("endif")
    out.para(w("得出上述结论的理由和依据如下：", "The conclusion rests on the following:"), keep=True)
    out.bullets("conclusion.reasons", prefix="{{ loop.index }}. ")
    out.tag("if conclusion.findings != '0'")
    out.para(w("本次评估共发现{{ conclusion.findings }}个问题，"
               "{% if conclusion.blocking %}其中构成出境障碍的问题{{ conclusion.blocking }}个{% else %}"
               "其中没有构成出境障碍的问题{% endif %}，"
               "已记录整改情况的{{ conclusion.recorded }}个；"
               "整改措施和整改情况见上文各项，"
               "整改计划见附件6。整改完成后，应当核实整改效果、更新相关回答并重新评估。",
               "The assessment found {{ conclusion.findings }} problem(s), {{ conclusion.blocking }} of them "
               "obstacles to the transfer and {{ conclusion.recorded }} with a recorded fix status; the fixes and "
               "their status are given under each item above and the action plan is Annex 6. Once the fixes "
               "are made, their effect should be verified, the related answers updated and the assessment redone."))
    out.tag("endif")


def scenario_table(out: Writer) -> None:
    """Write the table of transfer scenarios (one row per overseas recipient: impact, likelihood, risk shaded in its
    colour, treatment), or a sentence when there are none.
    """
    w = out.w
    out.tag("if scenarios")
    out.table(
        [w("序号", "No."), w("境外接收方", "Overseas recipient"), w("影响程度", "Impact"), w("可能性", "Likelihood"),
         w("风险等级", "Risk"), w("处置方式", "Treatment")],
        [["{{ s.no }}"], ["{{ s.recipient }}"], ["{{ s.impact }}"], ["{{ s.likelihood }}"], ["{{ s.risk }}"],
         ["{{ s.treatment }}"]],
        [1.2, 4.6, 2.0, 2.3, 2.0, 3.4], loop="s in scenarios",
        fills=[None, None, None, None, "s.colour", None])
    out.tag("else")
    out.para(w("未填写境外接收方，无法分析出境场景的风险。",
               "No overseas recipient is given, so no scenario could be rated."))
    out.tag("endif")
