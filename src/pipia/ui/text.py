"""Everything the app itself writes, in Chinese and English. Banks bring their own texts.

``t(lang, key, **values)`` looks a string up and fills its ``{placeholders}``. Terms follow the project
glossary (境外接收方 overseas recipient, 个人信息保护影响评估 PIPIA, 单独同意 separate consent, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..i18n import Lang
from ..risk import label as risk_label

STRINGS: Mapping[str, tuple[str, str]] = MappingProxyType({
    # navigation and shell
    "page_assessments": ("评估列表", "Assessments"),
    "page_route": ("出境路径", "Route"),
    "page_questionnaire": ("问卷", "Questionnaire"),
    "page_results": ("评估结果", "Results"),
    "page_report": ("评估报告", "Report"),
    "page_review": ("审核与批准", "Review"),
    "language": ("语言", "Language"),
    "nothing_open": ("尚未打开评估", "No assessment open"),
    "untitled": ("未命名评估", "Untitled assessment"),
    # No revision number: answering a question redraws that question alone, not the sidebar.
    "status_saved": ("已自动保存", "Saved automatically"),
    "status_unsaved": ("最近的修改尚未保存", "Latest change not saved yet"),
    "offline_banner": ("正在重新连接服务器……断开期间的修改尚未保存，连接恢复后会自动重新发送。",
                       "Reconnecting to the server… changes made while it is away are not saved yet; they are "
                       "sent again when it is back."),
    "working": ("正在保存和更新……", "Saving and updating…"),
    "offline_unsaved": ("未保存：服务器连接中断", "Not saved: the server is not reachable"),
    "status_conflict": ("与其他窗口的修改冲突", "Conflicts with another window"),
    "status_gone": ("该评估已在其他窗口删除", "Deleted in another window"),
    "save_failed": ("保存失败，答案仍保留在本页，下次修改时会再次保存：{error}",
                    "Saving failed; your answers are still here and are saved again with your next change: {error}"),
    "read_only": ("您在此评估中的角色只能查看，修改未保存。", "Your role on this assessment lets you read it only: "
                  "the change was not saved."),
    "version_by": ("由 {who} 保存", "by {who}"),
    "signed_in_as": ("已登录：{who}", "Signed in as {who}"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "sign_in_intro": ("请使用贵单位的账号登录。登录后只能看到您被授予角色的评估。",
                      "Sign in with your organisation's account. You will see the assessments you have a role on."),
    "sign_in_no_email": ("身份提供方未提供电子邮件地址，无法登录；请管理员在身份提供方中开放 email 声明。",
                         "The identity provider did not give an e-mail address, so you cannot be signed in; "
                         "ask the administrator to release the email claim."),
    "sign_in_no_header": ("未收到反向代理提供的用户身份，无法使用本应用。",
                          "No user identity came from the reverse proxy, so the app cannot be used."),
    "sign_in_config": ("登录设置有误：{error}", "The sign-in settings are wrong: {error}"),
    "assessment_missing": ("链接中的评估不存在（可能已被删除）。", "The assessment in the link does not exist "
                                                                "(it may have been deleted)."),
    "gone_explained": ("此评估已在其他窗口被删除。本页的答案仍然保留，可另存为新的评估。",
                       "This assessment was deleted in another window. The answers on this page are still here: "
                       "save them as a new assessment."),
    "save_as_new": ("另存为新评估", "Save as a new assessment"),
    "conflict_explained": ("其他窗口已保存了此评估的新版本（第 {current} 版），本窗口的最新修改未覆盖它，"
                           "已另存为第 {kept} 版，没有丢失任何内容。请合并两边的修改，或采用其他窗口的版本。",
                           "Another window saved a newer version of this assessment (revision {current}). Your latest "
                           "change did not overwrite it: it is kept as revision {kept}, so nothing is lost. Merge the "
                           "two windows' changes, or use the other window's version."),
    "conflict_theirs": ("采用其他窗口的版本", "Use the other window's version"),
    "conflict_compare": ("查看两版的差异", "Compare the two versions"),
    "no_differences": ("两版内容相同。", "The two versions are the same."),
    "open_first": ("请先在评估列表中打开或新建一个评估。", "Open or create an assessment in the list first."),
    "go_assessments": ("前往评估列表", "Go to the assessments"),
    "bank_missing": ("找不到此评估使用的题库“{bank}”。", "The question bank of this assessment, “{bank}”, is not "
                                                       "installed."),
    "bank_broken": ("题库 {name} 有 {count} 处错误，暂不能使用：", "The question bank {name} has {count} problem(s) "
                                                                "and cannot be used:"),
    "bank_version_changed": ("答案基于题库 {was} 版，现按 {now} 版显示。", "Answered with version {was} of the bank; "
                                                                          "shown against version {now}."),
    # assessments
    "assessments_intro": ("每项修改都会自动保存，并保留历史版本。关闭或刷新页面后，可从上次的位置继续。",
                          "Every change is saved as you make it, with its history. Close or refresh the page and "
                          "you resume where you were."),
    "new_assessment": ("新建评估", "New assessment"),
    "no_banks": ("没有可用的题库。", "No question bank is available."),
    "bank": ("题库", "Question bank"),
    "organisation": ("个人信息处理者（单位名称）", "Personal information processor (organisation)"),
    "assessment_title": ("评估名称", "Name of the assessment"),
    "assessment_title_hint": ("例如：跨境电商订单数据出境", "e.g. Order data sent to the overseas warehouse"),
    "assessor": ("评估人", "Assessor"),
    "assessment_date": ("评估日期", "Assessment date"),
    "assessment_date_help": ("出境路径按此日期适用的规则判断，人数自当年1月1日起累计。",
                             "The route is judged by the rules in force on this date; counts run from 1 January "
                             "of its year."),
    "create": ("创建", "Create"),
    "import_file": ("导入答案文件", "Import an answers file"),
    "import_hint": ("YAML 或 JSON 格式，不超过 {mb} MB。导入前会按题库逐项检查。",
                    "YAML or JSON, at most {mb} MB. It is checked against its question bank before it is imported."),
    "answers_file": ("答案文件", "Answers file"),
    "import_failed": ("{name} 未导入：发现 {count} 处问题。", "{name} was not imported: {count} problem(s) found."),
    "imported": ("已导入 {name}。", "Imported {name}."),
    "your_assessments": ("已有评估", "Existing assessments"),
    "search": ("查找", "Search"),
    "search_hint": ("名称、单位或题库", "Name, organisation or bank"),
    "show_archived": ("显示已归档", "Show archived"),
    "no_assessments": ("还没有评估。", "No assessments yet."),
    "nothing_matches": ("没有符合条件的评估。", "No assessment matches."),
    "list_page": ("页码", "Page"),
    "list_range": ("第 {first}–{last} 项，共 {total} 项", "{first}–{last} of {total}"),
    "col_assessment": ("评估", "Assessment"),
    "col_changed": ("最近修改", "Last change"),
    "col_complete": ("完成度", "Completeness"),
    "col_risk": ("总体风险", "Overall risk"),
    "open_now": ("已打开", "open"),
    "archived": ("已归档", "archived"),
    "risk_pending": ("待评估完成", "when complete"),
    "open": ("打开", "Open"),
    "more_actions": ("更多操作", "More actions"),
    "duplicate": ("复制为新评估", "Duplicate"),
    "duplicate_help": ("重新评估时从现有答案开始", "Start a re-assessment from these answers"),
    "duplicated": ("已复制为“{name}”。", "Duplicated as “{name}”."),
    "archive": ("归档", "Archive"),
    "unarchive": ("取消归档", "Unarchive"),
    "export_yaml": ("导出 YAML", "Export YAML"),
    "export_json": ("导出 JSON", "Export JSON"),
    "delete": ("删除…", "Delete…"),
    "delete_confirm": ("确定永久删除“{name}”及其全部历史版本？此操作无法撤销。",
                       "Delete “{name}” and its whole history for good? This cannot be undone."),
    "delete_for_good": ("永久删除", "Delete for good"),
    "cancel": ("取消", "Cancel"),
    "deleted": ("评估已删除。", "The assessment was deleted."),
    "versions": ("版本历史", "Versions"),
    "version_name": ("为当前版本命名", "Name the current version"),
    "version_name_hint": ("例如：提交认证机构前", "e.g. Sent to the certification body"),
    "name_version": ("保存为命名版本", "Save as a named version"),
    "version_needs_name": ("请先输入版本名称。", "Enter a name for the version first."),
    "version_named": ("已将当前版本命名为“{name}”。", "The current version is named “{name}”."),
    "no_versions": ("还没有更早的版本。", "There is no earlier version yet."),
    "compare_with": ("与当前版本比较", "Compare with the current version"),
    "changes_since": ("自该版本以来的 {count} 处变化：", "{count} change(s) since that version:"),
    "restore_version": ("恢复第 {revision} 版", "Restore revision {revision}"),
    "version_restored_done": ("已恢复第 {revision} 版（保存为第 {now} 版）。",
                              "Revision {revision} restored (saved as revision {now})."),
    "version_number": ("第 {revision} 版", "Revision {revision}"),
    "version_conflict": ("另一窗口的冲突修改", "conflicting change from another window"),
    "version_restored": ("恢复自第 {revision} 版", "restored from revision {revision}"),
    "close": ("关闭", "Close"),
    # route
    "route_intro": ("回答筛查问题，右侧即时显示适用的出境条件、理由、义务和期限。",
                    "Answer the screening questions; the transfer route, its reasons, obligations and deadlines "
                    "appear on the right as you go."),
    "no_screening": ("此题库没有出境路径筛查问题。", "This question bank has no screening questions."),
    "no_rule_set": ("评估日期早于本工具所含最早的规则，无法判断出境路径。",
                    "The assessment date is before the earliest rules the tool knows; no route can be decided."),
    "bank_from_route": ("不确定走哪条路径？两个题库的第一部分都是同一组路径筛查问题：先任选其一创建，"
                        "在“出境路径”页回答后，如另一题库更合适，可一键改用（答案保留）。",
                        "Not sure of the route yet? Both banks start with the same screening questions: create "
                        "with either, answer them on the Route page, and switch to the other bank there if it "
                        "fits better (answers are kept)."),
    "bank_route_standard_contract": ("适用于订立个人信息出境标准合同", "For the standard contract route"),
    "bank_route_certification": ("适用于通过个人信息保护认证", "For the certification route"),
    "bank_route_security_assessment": ("适用于申报数据出境安全评估", "For the CAC security assessment route"),
    "approver": ("审批人", "Approver"),
    "approver_help": ("个人信息保护负责人或其授权人，写入报告审批页", "The PI protection officer or someone they "
                                                                 "authorise; shown on the report's approval page"),
    "bank_in_use": ("本评估使用的题库：{bank}", "This assessment uses: {bank}"),
    "bank_misfit": ("判断的出境路径与本评估所用题库（{bank}）不一致。", "The route decided does not match this "
                                                                   "assessment's bank ({bank})."),
    "bank_none_fits": ("未安装适用于该路径的题库。", "No installed bank is written for this route."),
    "bank_switch": ("改用：{bank}", "Switch to: {bank}"),
    "bank_switched": ("已改用“{bank}”，{dropped} 个不适用的答案已移除（仍保留在版本历史中）。",
                      "Switched to “{bank}”; {dropped} answers it does not ask were removed (they stay in the "
                      "version history)."),
    "route_needs": ("回答以下问题后即可判断出境路径：", "Answer these to see the route:"),
    # why an answer the route check reads cannot be used (screening.InvalidAnswer codes)
    "reason_none_with_exemption": ("“均不属于”不能与免予情形同时选择", "“none of these” cannot be chosen with an "
                                                                  "exemption"),
    "reason_after_assessment_date": ("{date} 晚于评估日期 {as_of}（期限从已发生的日期起算）",
                                     "{date} is after the assessment date {as_of} (a time limit runs from a date "
                                     "that has happened)"),
    "reason_filed_before_effective": ("备案日期 {filed} 早于标准合同生效日期 {effective}",
                                      "filed on {filed}, before the standard contract took effect on {effective}"),
    "reason_invalid": ("该答案无法用于路径核查（{value}）", "the route check cannot use this answer ({value})"),
    "route_decided": ("适用的出境条件", "Transfer route"),
    "route_rules": ("依据：{rules} · 判断日期 {day}", "Rules: {rules} · as of {day}"),
    "route_reasons": ("理由", "Why"),
    "route_mechanisms": ("可选机制", "Mechanisms"),
    "route_obligations": ("仍须履行的义务", "Obligations that remain"),
    "route_deadlines": ("期限", "Deadlines"),
    "route_warnings": ("提示", "Points to note"),
    "counted_from": ("自 {day} 起算", "counted from {day}"),
    # questionnaire
    "details": ("评估基本信息", "About this assessment"),
    "details_intro": ("评估名称、个人信息处理者、评估人、审核人和评估日期，会写入报告封面。",
                      "Name, processor, assessor, reviewer and date of the assessment, as the report's cover "
                      "shows them."),
    "meta_title": ("评估名称", "Name of the assessment"),
    "meta_organisation": ("个人信息处理者（单位名称）", "Personal information processor (organisation)"),
    "meta_assessor": ("评估人", "Assessor"),
    "meta_reviewer": ("审核人", "Reviewer"),
    "sections": ("章节", "Sections"),
    "overall_progress": ("必答题已完成 {done}/{total}", "Required answers: {done} of {total}"),
    "section_progress": ("本节必答题 {done}/{total}", "This section: {done} of {total} required answers"),
    "previous": ("上一节", "Previous"),
    "next": ("下一节", "Next"),
    "add_item": ("添加{what}", "Add an {what}"),
    "remove_item": ("删除此项", "Remove"),
    "no_items": ("尚未添加{what}。", "No {what} yet."),
    "remove_confirm": ("确定删除“{name}”及其全部答案？（历史版本中仍可找回）",
                       "Remove “{name}” and all its answers? (It stays in the history.)"),
    "remove_for_good": ("删除", "Remove"),
    "destination_profile": ("境外接收方所在国家或地区的情况", "About the destination"),
    "destination_choose": ("回答“{question}”后，这里显示该国家或地区个人信息保护法律和政策的概况。",
                           "Answer “{question}” to see an overview of that country's or region's personal "
                           "information protection laws and policies here."),
    "destination_none": ("所选国家或地区暂无概况，请自行查阅其法律和政策。",
                         "There is no overview for this destination yet; look up its laws and policies directly."),
    "checked_on": ("资料核对日期：{day}；仅供参考，请核实最新情况。", "Facts checked on {day}; background only, "
                                                                    "check for changes since."),
    "topic_pi_law": ("个人信息保护法律", "Personal information protection law"),
    "topic_standards": ("标准", "Standards"),
    "topic_international": ("国际规则与安排", "International arrangements"),
    "topic_supervision": ("监管机构", "Supervision"),
    "topic_government_access": ("政府获取数据", "Government access to data"),
    "topic_other": ("其他", "Other"),
    "sources": ("资料来源", "Sources"),
    "focus_here": ("↓ 从结果页跳转到此问题", "↓ You came here from the results for this question"),
    "legal_basis": ("依据", "Legal basis"),
    "shown_because": ("显示条件：{why}", "Shown because {why}"),
    "comment": ("备注", "Comment"),
    "evidence": ("证据", "Evidence"),
    "evidence_hint": ("证据材料（每行一项）", "Evidence (one document per line)"),
    "choose": ("请选择", "Choose"),
    "number_placeholder": ("请输入数字", "Enter a number"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    # table questions: a row editor beside a read-only table, spreadsheets in and out
    "table_row_number": ("序号", "No."),
    "table_status": ("状态", "Status"),
    "table_row_whole": ("完整", "Complete"),
    "table_row_gaps": ("缺 {n} 项", "{n} missing"),
    "table_empty": ("尚无数据行：在下方逐行填写，或导入 Excel / CSV 文件。",
                    "No rows yet: fill in the form below one row at a time, or import an Excel / CSV file."),
    "table_rows_count": ("共 {n} 行", "{n} rows"),
    "table_gaps": ("第 {row} 行缺少必填项：{columns}", "Row {row} lacks required cells: {columns}"),
    "table_more_gaps": ("另有 {n} 行缺少必填项", "{n} more rows lack required cells"),
    "table_edit_row": ("编辑", "Edit"),
    "table_new_row": ("新增一行", "New row"),
    "table_row": ("第 {n} 行 {name}", "Row {n} {name}"),
    "table_save_row": ("保存此行", "Save row"),
    "table_delete_row": ("删除此行", "Delete row"),
    "table_saved_new": ("已保存为第 {n} 行，表单已清空，可填写下一行。",
                        "Saved as row {n}; the form is cleared for the next row."),
    "table_saved": ("第 {n} 行已保存。", "Row {n} saved."),
    "table_saved_gaps": ("第 {n} 行已保存，但仍缺少必填项：{columns}。补齐前该表不计为已回答。",
                         "Row {n} saved, but it still lacks required cells: {columns}. The table does not count "
                         "as answered until they are filled."),
    "table_empty_row": ("此行为空，未保存。", "The row is empty and was not saved."),
    "table_deleted": ("第 {n} 行已删除。", "Row {n} deleted."),
    "table_files": ("导入 / 导出", "Import / export"),
    "table_import": ("从 Excel（.xlsx）或 CSV 导入", "Import from Excel (.xlsx) or CSV"),
    "table_import_hint": ("第一行为列标题（中文或英文均可，与导出的文件相同）；选项可填写中文或英文名称；"
                          "日期写作 2025-01-31。最大 {mb} MB。",
                          "The first row holds the column headings (Chinese or English, as in an exported file); "
                          "options by their Chinese or English label; dates as 2025-01-31. At most {mb} MB."),
    "table_import_replace": ("替换现有的行", "Replace the existing rows"),
    "table_import_append": ("添加在现有的行之后", "Add after the existing rows"),
    "table_imported": ("已从 {file} 导入 {n} 行。", "Imported {n} rows from {file}."),
    "table_import_refused": ("{file} 未导入（{n} 处问题），请改正后重新上传：",
                             "{file} was not imported ({n} problems); correct them and upload it again:"),
    "table_export_xlsx": ("导出 Excel", "Export Excel"),
    "table_export_csv": ("导出 CSV", "Export CSV"),
    # results
    "no_scoring": ("此题库没有评分参数，无法计算风险。", "This question bank has no scoring parameters."),
    "conclusion": ("结论", "Conclusion"),
    "overall_risk": ("总体风险等级", "Overall risk"),
    "provisional_risk": ("暂定风险等级（评估未完成）", "Provisional risk (incomplete)"),
    "completeness": ("必答题完成度", "Required answers"),
    "dimension_scores": ("各维度不符合项占比", "Gap score by dimension"),
    "dimension_scores_hint": ("0 表示未发现不符合项，100 表示该维度全部不符合；未作答的维度显示“—”。",
                              "0 means no gap found, 100 that everything in it is missing; “—” where nothing "
                              "was answered yet."),
    "gap_score": ("不符合项占比", "Gap score"),
    "nothing_yet": ("暂无数据。", "Nothing yet."),
    "risk_matrix": ("风险矩阵（GB/T 39335）", "Risk matrix (GB/T 39335)"),
    "risk_matrix_hint": ("每个境外接收方按其影响程度和可能性落入相应格中。",
                         "Each overseas recipient sits in the cell of its impact and likelihood."),
    "matrix_axes": ("行：对个人权益的影响程度；列：安全事件发生的可能性",
                    "Rows: impact on individuals' rights; columns: likelihood of a security incident"),
    "scenarios": ("出境场景", "Transfer scenarios"),
    "no_scenarios": ("尚未添加境外接收方。", "No overseas recipient yet."),
    "impact_is": ("影响程度：{level}", "Impact: {level}"),
    "likelihood_is": ("可能性：{level}", "Likelihood: {level}"),
    "risk_is": ("风险等级：{level}", "Risk: {level}"),
    "impact_reasons": ("影响程度的依据", "Why this impact"),
    "likelihood_reasons": ("可能性的依据", "Why this likelihood"),
    "findings": ("发现的问题与整改措施", "Findings and action plan"),
    "no_findings": ("目前的答案未发现问题。", "The answers so far reveal no problem."),
    "severity": ("严重程度", "Severity"),
    "recipient": ("境外接收方", "Overseas recipient"),
    "dimension": ("维度", "Dimension"),
    "all": ("全部", "All"),
    "blocking_only": ("仅构成出境障碍的问题", "Blocking only"),
    "blocking": ("出境障碍", "Blocking"),
    "findings_count": ("显示 {shown} 项，共 {total} 项", "Showing {shown} of {total}"),
    "missing": ("尚未回答的必答题", "Still missing"),
    "nothing_missing": ("所有必答题均已回答。", "Every required question is answered."),
    "too_few_items": ("至少需要 {least} 个{what}。", "At least {least} {what} needed."),
    "and_more": ("另有 {count} 题", "and {count} more"),
    "incomplete_note": ("评估尚未完成（必答题 {done}/{total}），结果和报告均为暂定。",
                        "The assessment is incomplete ({done} of {total} required answers): results and report "
                        "are provisional."),
    # report
    "report_intro": ("报告按国家网信办《个人信息保护影响评估报告（模板）》的结构生成，可在 Word 中编辑和签署。",
                     "The report follows the structure of the CAC's PIPIA report template; edit and sign it in "
                     "Word."),
    "report_language": ("报告语言", "Report language"),
    "template_upload": ("使用自己的 Word 模板", "Use my own Word template"),
    "template_help": ("默认使用内置模板（按报告语言）。自己的模板须使用内置模板的变量名。",
                      "By default the built-in template of the report language is used. Your own template must "
                      "use the built-in template's variable names."),
    "template_file": ("模板文件（.docx）", "Template file (.docx)"),
    "template_upload_hint": ("上传 .docx 模板后即可下载报告。", "Upload a .docx template to download the report."),
    "database_unavailable": ("暂时无法使用评估数据库，请稍后再试，或请管理员查看服务器日志（参考号 {ref}）。",
                             "The assessment database cannot be used right now; try again later, or ask your "
                             "administrator to look in the server log (reference {ref})."),
    "store_damaged": ("评估数据库中的一条记录已损坏，无法读取；其他评估不受影响（参考号 {ref}）。",
                      "A record in the assessment database is damaged and cannot be read; other assessments "
                      "are not affected (reference {ref})."),
    "unexpected_error": ("出现意外错误，这部分无法显示；应用的其他部分仍可使用（参考号 {ref}）。",
                         "Something went wrong and this part cannot be shown; the rest of the app still works "
                         "(reference {ref})."),
    "answers_damaged": ("该评估当前保存的答案已损坏，无法打开。可以恢复最近一个可读的版本（其后的修改在历史中保留）。",
                        "The answers stored for this assessment are damaged and it cannot be opened. You can "
                        "restore its latest readable version (later ones stay in the history)."),
    "answers_damaged_none": ("该评估保存的答案及其所有版本均已损坏，无法打开。",
                             "The answers stored for this assessment, and every version of them, are damaged: "
                             "it cannot be opened."),
    "restore_readable": ("恢复第 {revision} 版", "Restore revision {revision}"),
    "dismiss": ("关闭", "Dismiss"),
    "updated_elsewhere": ("已显示在其他窗口保存的最新答案（第 {revision} 版）。",
                          "Showing the latest answers, saved in another window (revision {revision})."),
    "merge_kept_mine": ("本窗口修改、而其他窗口未改的 {count} 项答案会保留。",
                        "{count} answer(s) changed only in this window will be kept."),
    "merge_only_theirs": ("两个窗口修改的是不同的答案：保存后两边的修改都会保留。",
                          "The two windows changed different answers: saving keeps both sides' changes."),
    "merge_choose": ("以下答案在两个窗口中都被修改，请逐项选择保留哪一个：",
                     "These answers were changed in both windows; choose which to keep for each:"),
    "merge_theirs": ("其他窗口：{value}", "Other window: {value}"),
    "merge_mine": ("本窗口：{value}", "This window: {value}"),
    "merge_save": ("保存合并后的答案", "Save the merged answers"),
    "merge_items": ("{count} 项", "{count} item(s)"),
    "template_named": ("上传的模板“{name}”", "the uploaded template “{name}”"),
    "template_invalid": ("模板不能使用：{error}", "The template cannot be used: {error}"),
    "template_unknown_names": ("模板使用了报告没有的变量：{names}", "The template uses names the report does not "
                                                              "provide: {names}"),
    "download_docx": ("下载 Word 报告", "Download Word report"),
    "download_pdf": ("下载 PDF", "Download PDF"),
    "pdf_needs_libreoffice": ("安装 LibreOffice 后可下载 PDF。", "Install LibreOffice to download a PDF too."),
    "report_built_on_click": ("点击下载时才生成文件，内容为当前已保存的答案。",
                              "Files are built when you click, from the answers as they are now."),
    # the action plan
    "action_plan": ("整改计划", "Action plan"),
    "action_plan_intro": ("每个问题对应一项整改措施。记录责任人、完成期限、状态和证明材料；接受风险的，须说明理由。"
                          "报告第二章和附件6据此列出整改情况。",
                          "Each finding has an action. Record its owner, due date, status and evidence; a risk can "
                          "be accepted only with a justification. Chapter 二 and Annex 6 of the report show them."),
    "actions_overdue": ("{count} 项整改已逾期。", "{count} action(s) overdue."),
    "overdue": ("已逾期", "Overdue"),
    "due_on": ("期限 {day}", "due {day}"),
    "finding_number": ("问题{n}", "Finding {n}"),
    "action_owner": ("责任人", "Owner"),
    "action_due": ("完成期限", "Due date"),
    "action_status": ("状态", "Status"),
    "action_evidence": ("证明材料", "Evidence"),
    "action_evidence_help": ("证明整改已完成的材料，如文件名称、工单编号、日期。",
                             "What shows the fix was made: a document, a ticket number, a date."),
    "action_justification": ("接受风险的理由", "Justification for accepting the risk"),
    "action_justification_help": ("仅在状态为“接受风险”时需要。", "Needed only when the status is Risk accepted."),
    "action_save": ("保存整改记录", "Save action"),
    "action_updated": ("最后由 {who} 于 {when}（UTC）更新", "Last updated by {who} at {when} (UTC)"),
    "action_needs_justification": ("接受风险须说明理由。", "A risk can be accepted only with a justification."),
    "action_needs_evidence": ("标记为已完成须填写证明材料。", "An action can be marked done only with its evidence."),
    "action_needs_status": ("未知的整改状态。", "Unknown action status."),
    "action_not_saved": ("整改记录未保存：{error}", "The action was not saved: {error}"),
    "download_plan_xlsx": ("下载整改计划（Excel）", "Download action plan (Excel)"),
    "download_plan_csv": ("下载整改计划（CSV）", "Download action plan (CSV)"),
    "download_calendar": ("下载期限日历（.ics）", "Download deadlines calendar (.ics)"),
    "overdue_actions": ("{count} 项逾期", "{count} overdue"),
    # members and roles
    "members": ("成员与角色", "Members and roles"),
    "member_email": ("电子邮件地址", "E-mail address"),
    "member_role": ("角色", "Role"),
    "member_email_needed": ("请填写电子邮件地址。", "Enter an e-mail address."),
    "grant": ("授予", "Grant"),
    "revoke": ("收回此角色", "Take this role back"),
    "granted": ("已授予 {who}：{role}", "{who} is now {role}"),
    "role_owner": ("负责人（可管理成员）", "owner"),
    "role_editor": ("编辑", "editor"),
    "role_reviewer": ("审核人", "reviewer"),
    "role_approver": ("批准人", "approver"),
    "role_viewer": ("只读", "viewer"),
    # review and approval
    "review_intro": ("评估人员逐节提交审核，审核人逐节给出意见（“需更正”将退回该节），记录个人信息保护负责人意见，"
                     "批准人批准或驳回。批准后的答案保存为命名版本；之后的修改将使批准失效，报告重新成为草稿。",
                     "Editors submit each section for review; reviewers mark each one (\"to be corrected\" sends it "
                     "back); the DPO's opinion is recorded; the approver approves or rejects. The approved answers are "
                     "kept as a named version; any later edit drops the approval and the report is a draft again."),
    "review_draft": ("尚未批准：报告为草稿。", "Not approved yet: the report is a draft."),
    "review_approved": ("已由 {who} 于 {when} 批准（版本“{version}”）。", "Approved by {who} on {when} "
                        "(version “{version}”)."),
    "review_approval_dropped": ("批准后答案已修改，原批准不再适用；报告重新成为草稿，需再次批准。",
                                "The answers changed after approval, so the approval no longer holds: the report "
                                "is a draft again and needs approving again."),
    "review_rejected": ("{who} 驳回：{reason}", "Rejected by {who}: {reason}"),
    "review_submit": ("提交审核", "Submit for review"),
    "review_verdict": ("审核意见", "Verdict"),
    "review_comment": ("说明", "Comment"),
    "review_record": ("提交审核意见", "Record verdict"),
    "review_by": ("{who} 于 {when}", "{who}, {when}"),
    "review_dpo": ("个人信息保护负责人意见", "DPO opinion"),
    "review_dpo_opinion": ("意见", "Opinion"),
    "review_dpo_save": ("记录意见", "Record opinion"),
    "review_decide": ("批准", "Approval"),
    "review_pending": ("还有 {count} 节未经审核为“可接受”或“可改进”，暂不能批准。",
                       "{count} section(s) are not yet reviewed as acceptable or improvable, so approval must wait."),
    "review_attest_1": ("评估描述准确", "The description is accurate"),
    "review_attest_2": ("已知悉评估发现的风险", "The risks are understood"),
    "review_attest_3": ("接受整改计划", "The action plan is accepted"),
    "review_version": ("批准版本名称", "Name of the approved version"),
    "review_version_default": ("{name}（{day} 批准）", "{name} (approved {day})"),
    "review_approval_opinion": ("批准意见（可选）", "Approval note (optional)"),
    "review_approve": ("批准", "Approve"),
    "review_reject_reason": ("驳回理由", "Reason for rejecting"),
    "review_reject": ("驳回", "Reject"),
    "review_not_allowed": ("您在此评估中的角色不能执行此操作。", "Your role on this assessment does not allow this."),
    "review_failed": ("未能保存：{error}", "Not saved: {error}"),
    "review_error_already_submitted": ("该节已提交，正在等待审核。", "This section already awaits review."),
    "review_error_verdict": ("未知的审核意见。", "Unknown verdict."),
    "review_error_not_submitted": ("该节尚未提交审核。", "This section was not submitted for review."),
    "review_error_comment_needed": ("“可改进”或“需更正”须附说明。", "Improvable or to be corrected needs a comment."),
    "review_error_reason_needed": ("驳回须说明理由。", "A rejection needs a reason."),
    "review_error_opinion_needed": ("意见不能为空。", "The opinion is empty."),
    "review_error_attestations_needed": ("批准须确认全部三项。", "Approving needs all three attestations."),
    "review_error_sections_pending": ("还有章节未经审核，暂不能批准。", "Some sections are not yet reviewed."),
})

# Colours of risk levels, as Streamlit's coloured badges name them.
LEVEL_COLOURS: Mapping[str, str] = MappingProxyType({
    "low": "green", "medium": "yellow", "high": "orange", "severe": "red"})


def t(lang: Lang, key: str, **values: Any) -> str:
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def sentence(text: str) -> str:
    """A label used on its own starts with a capital (the core's English labels are lower case for
    running text: "risk level medium")."""
    return text[:1].upper() + text[1:]


def lang_from_locale(locale: str | None) -> Lang:
    """The browser's language (``navigator.language``, e.g. zh-CN, en-GB): Chinese unless it says otherwise."""
    if locale and not locale.lower().startswith("zh"):
        return "en"
    return "zh"


def risk_badge(level: str | None, lang: Lang) -> str:
    """A risk level as a coloured Markdown badge."""
    if level is None:
        return "—"
    return f":{LEVEL_COLOURS.get(level, 'gray')}-badge[{sentence(risk_label('risk', level)(lang))}]"
