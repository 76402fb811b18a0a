"""Demo loader `applicants`: a citizen who applies (`applicant`) and a company's authorised
agent (`company`). See `oneseal.core.demo`.

The ID numbers carry sequence codes 998 and 999, which GB 11643-1999 reserves for people
over a hundred years old: with births in the 1980s they cannot belong to a real person.
"""

from __future__ import annotations

import datetime

from oneseal.accounts.models import User
from oneseal.accounts.roles import Role
from oneseal.accounts.services import create_applicant_account
from oneseal.core import demo
from oneseal.core.identity import make_credit_code

from .models import AgentAuthorisation, Organisation, Person
from .services import authorise_agent, register_organisation, register_person

APPLICANT = {"username": "applicant", "name": "杨丽华", "id_number": "530112198805169980",
             "phone": "13800000001"}
AGENT = {"username": "company", "name": "赵建国", "id_number": "530102198203159993",
         "phone": "13800000002"}
COMPANY = {
    "name": "昆明西山碧鸡数码科技有限公司",
    "credit_code": make_credit_code("91530112MA6K3T8Q1"),
    "legal_representative": "何志远",
    "address": "云南省昆明市西山区前卫街道润城第二大道 88 号",
    "phone": "087100000001",
}
AUTHORISATION = {
    "valid_from": datetime.date(2025, 1, 1),
    "scope": "代为办理本公司在西山区行政审批局的各项行政许可申请、补正材料、领取结果",
    "document_ref": "碧鸡数码授〔2025〕1号",
}


def _account(ctx: demo.DemoContext, username: str, name: str, role: str, phone: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:  # the account's mobile lets the demo try 找回密码 (codes in sms.jsonl)
        user = create_applicant_account(
            actor=None, username=username, display_name=name, password_hash=ctx.password_hash,
            roles=[role], phone=phone,
        )
    return user


def _person(spec: dict[str, str], user: User) -> Person:
    person = Person.objects.filter(id_number=spec["id_number"]).first()
    if person is None:
        person = register_person(actor=None, name=spec["name"], id_number=spec["id_number"],
                                 phone=spec["phone"], user=user)
    return person


@demo.register("applicants", order=200)
def load(ctx: demo.DemoContext) -> None:
    applicant = _account(ctx, APPLICANT["username"], APPLICANT["name"], Role.APPLICANT,
                         APPLICANT["phone"])
    _person(APPLICANT, applicant)
    agent_user = _account(ctx, AGENT["username"], AGENT["name"], Role.AGENT, AGENT["phone"])
    agent = _person(AGENT, agent_user)
    company = Organisation.objects.filter(credit_code=COMPANY["credit_code"]).first()
    if company is None:
        company = register_organisation(actor=None, **COMPANY)
    if not AgentAuthorisation.objects.filter(agent=agent, organisation=company,
                                             revoked_at__isnull=True).exists():
        authorise_agent(actor=None, agent=agent, organisation=company, **AUTHORISATION)
    ctx.add_login(APPLICANT["username"], f"{Role.APPLICANT.label}（个人）")
    ctx.add_login(AGENT["username"], f"{Role.AGENT.label}（{company.name}）")
    ctx.log(f"申请人 / applicants: {APPLICANT['name']}；{company.name}（代理人 {AGENT['name']}）")
