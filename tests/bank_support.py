"""Banks the tests share: the small sources registry every inline bank cites, and a good bank to vary.

Fixtures that write them (``write_bank``) live in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

WriteBank = Callable[..., Path]  # write_bank(yaml_text, name="bank.yaml") -> the bank's path

SOURCES = """\
sources:
  - id: pipl
    kind: law
    short: {zh: 个人信息保护法, en: PIPL}
    title: {zh: 中华人民共和国个人信息保护法, en: Personal Information Protection Law of the PRC}
    issuer: {zh: 全国人民代表大会常务委员会, en: NPC Standing Committee}
    issued: 2021-08-20
    effective: 2021-11-01
    articles:
      - {id: "13", title: {zh: 第十三条, en: Art. 13}}
      - {id: "39", title: {zh: 第三十九条, en: Art. 39}}
"""




GOOD = """\
id: demo
version: "1.0"
title: {zh: 示例, en: Demo}
dimensions:
  - {id: legality, label: {zh: 合法性, en: Legality}, risk_source: process}
sections:
  - id: basics
    title: {zh: 基本情况, en: Basics}
    questions:
      - id: consent
        type: yes_no
        text: {zh: 是否取得单独同意？, en: Is separate consent obtained?}
        dimension: legality
        cites: ["pipl:39"]
        options:
          - {value: "yes", label: {zh: 是, en: "Yes"}}
          - value: "no"
            label: {zh: 否, en: "No"}
            risk: 1.0
            finding: {zh: 未取得单独同意, en: No separate consent}
            action: {zh: 取得单独同意, en: Obtain separate consent}
      - id: basis
        type: single_choice
        text: {zh: 法律依据, en: Legal basis}
        cites: ["pipl:13"]
        options:
          - {value: consent, label: {zh: 同意, en: Consent}}
          - {value: contract, label: {zh: 合同所必需, en: Necessary for a contract}}
"""

