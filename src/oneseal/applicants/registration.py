"""Self-registration of applicants (网上注册) and the operators of an organisation (单位经办人).

* A natural person registers with name, resident ID number, a mobile number proved by an
  SMS code (`accounts.phone_codes`) and a password: an account with the applicant role
  (its user name is the mobile number) and the `Person` behind it. A person already on
  record with that ID number (registered at a window) and no account is linked to the new
  account; one that already has an account is refused (`person_has_account`).
* A registered person registers an organisation (unified social credit code, name, legal
  representative): their account becomes its first operator (经办人): an authorisation for
  every item (`AgentAuthorisation`, `OPERATOR_SCOPE`), so the case services let them act
  for it (`selectors.agent_refusal`). An operator adds other registered persons as operators
  (by ID number and the mobile number of their account) and removes them.

Every service takes `actor=` and writes its audit event in the same transaction; audit
payloads carry masked ID numbers and no phone numbers.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oneseal.accounts.models import User
from oneseal.accounts.roles import STAFF_ROLES, Role
from oneseal.accounts.services import create_applicant_account, grant_role
from oneseal.core.audit import append_event
from oneseal.core.identity import normalize_credit_code, normalize_id_number, normalize_phone
from oneseal.core.masking import mask_id_number

from .models import AgentAuthorisation, Organisation, Person
from .selectors import authorisations_in_force, organisations_for
from .services import authorise_agent, register_organisation, register_person, update_person
from .services import revoke_authorisation as _revoke

#: The wording of an operator's authorisation (stored in `AgentAuthorisation.scope`).
OPERATOR_SCOPE = gettext_noop("单位网上办事经办人：代表本单位办理全部事项")


def register_natural_person(
    *, name: str, id_number: str, phone: str, password: str,
) -> User:
    """Create the account and the person of a self-registering citizen. The caller has
    already checked the SMS code of `phone` (`phone_codes.check_code`)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写姓名。"), code="name_required")
    id_number = normalize_id_number(id_number)
    phone = normalize_phone(phone)
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(id_number=id_number).first()
        if person is not None and person.user_id is not None:
            raise ValidationError(
                _("该身份证号码已注册账户，请直接登录；忘记密码可通过手机验证码重置。"),
                code="person_has_account")
        if User.objects.filter(username=phone).exists():
            raise ValidationError(_("该手机号码已注册账户，请直接登录或重置密码。"),
                                  code="phone_has_account")
        user = create_applicant_account(actor=None, username=phone, display_name=name,
                                        password=password, phone=phone, id_number=id_number)
        if person is None:
            person = register_person(actor=user, name=name, id_number=id_number, phone=phone,
                                     user=user)
            linked = False
        else:
            update_person(actor=user, person=person, user=user, phone=phone)
            linked = True
        append_event(actor=user, kind="applicant.self_register", subject=f"user:{user.pk}",
                     payload={"person": person.pk, "id_number": mask_id_number(id_number),
                              "linked_existing_person": linked})
    return user


def account_from_identity_platform(*, name: str, id_number: str, phone: str = "") -> User | None:
    """The account of the person the provincial identity platform vouched for (统一身份认证,
    `applicants.oidc`), matched by the verified resident ID number; on a first login, a new
    applicant account (no password: it logs in through the platform, or sets one by SMS
    reset) with its person, linking a person already on record. None for a staff or
    disabled account: staff log in with their password and second factor."""
    id_number = normalize_id_number(id_number)
    try:
        mobile = normalize_phone(phone) if phone else ""
    except ValidationError:
        mobile = ""
    mobile = mobile if len(mobile) == 11 else ""
    with transaction.atomic():
        person = (Person.objects.select_for_update(of=("self",)).select_related("user")
                  .filter(id_number=id_number).first())
        if person is not None and person.user is not None:
            user = person.user
            if not user.is_active or user.role_codes & STAFF_ROLES:
                return None
            return user
        taken = User.objects.filter(id_number=id_number).exists()
        if taken:  # an account with this number but no person (staff, usually): not by OIDC
            return None
        username = mobile if mobile and not User.objects.filter(username=mobile).exists() \
            else f"uip-{secrets.token_hex(5)}"
        user = create_applicant_account(actor=None, username=username,
                                        display_name=name.strip() or username,
                                        password=None, phone=mobile, id_number=id_number)
        if person is None:
            person = register_person(actor=user, name=name.strip() or username,
                                     id_number=id_number, phone=mobile, user=user)
        else:
            update_person(actor=user, person=person, user=user)
        append_event(actor=user, kind="applicant.identity_platform_register",
                     subject=f"user:{user.pk}",
                     payload={"person": person.pk, "id_number": mask_id_number(id_number)})
    return user


def person_of(user: User) -> Person:
    """The person behind an applicant's account, or raise ObjectDoesNotExist."""
    return Person.objects.get(user=user)


def register_organisation_account(
    *, actor: User, credit_code: str, name: str, legal_representative: str,
    legal_representative_id_number: str,
) -> Organisation:
    """Register an organisation online with `actor` (a registered person) as its first
    operator. An organisation already on record is refused when it has operators
    (`organisation_has_operators`: they add further ones); one registered at a window
    without operators is taken over only when its legal representative's name matches
    (`organisation_mismatch`)."""
    if actor.role_codes & STAFF_ROLES:
        raise ValidationError(_("工作人员账户不能注册单位。"), code="staff_account")
    try:
        person = person_of(actor)
    except ObjectDoesNotExist:
        raise ValidationError(_("请先完成个人实名注册。"), code="no_person") from None
    credit_code = normalize_credit_code(credit_code)
    rep_id = normalize_id_number(legal_representative_id_number)
    legal_representative = legal_representative.strip()
    if not legal_representative:
        raise ValidationError(_("请填写法定代表人（负责人）姓名。"), code="rep_required")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().filter(credit_code=credit_code).first()
        if org is not None:
            if operators(org) or org.users.exists():
                raise ValidationError(
                    _("该单位已有网上经办人，请联系其在“单位经办人”页面添加您。"),
                    code="organisation_has_operators")
            if org.legal_representative != legal_representative:
                raise ValidationError(
                    _("法定代表人与登记信息不一致，请核对或到窗口办理。"),
                    code="organisation_mismatch")
        else:
            org = register_organisation(actor=actor, name=name, credit_code=credit_code,
                                        legal_representative=legal_representative)
        _make_operator(actor=actor, organisation=org, person=person)
        append_event(actor=actor, kind="applicant.organisation.self_register",
                     subject=f"organisation:{org.pk}",
                     payload={"operator": person.pk,
                              "legal_representative_id": mask_id_number(rep_id)})
    return org


def _make_operator(*, actor: User, organisation: Organisation, person: Person) -> None:
    authorise_agent(actor=actor, agent=person, organisation=organisation,
                    valid_from=timezone.localdate(), scope=OPERATOR_SCOPE)
    if person.user is not None:
        grant_role(actor=actor, user=person.user, role=Role.AGENT)


def operators(organisation: Organisation) -> list[AgentAuthorisation]:
    """The organisation's authorisations in force: who may act for it today."""
    today = timezone.localdate()
    found = (AgentAuthorisation.objects.filter(organisation=organisation,
                                               revoked_at__isnull=True)
             .select_related("agent").order_by("id"))
    return [a for a in found if a in authorisations_in_force(a.agent, on=today)]


def access_organisation(*, user: User, organisation_id: int) -> Organisation:
    """The organisation `user` acts for (an operator or a linked account), else raise
    Organisation.DoesNotExist (the page answers 404)."""
    if not user.is_authenticated or user.role_codes & STAFF_ROLES:
        raise Organisation.DoesNotExist
    return organisations_for(user).get(pk=organisation_id)


def add_operator(
    *, actor: User, organisation: Organisation, id_number: str, phone: str,
) -> AgentAuthorisation:
    """Add a registered person (ID number and the mobile number of their account) as an
    operator of `organisation`; `actor` must act for it (`access_organisation`)."""
    access_organisation(user=actor, organisation_id=organisation.pk)
    try:
        number, mobile = normalize_id_number(id_number), normalize_phone(phone)
    except ValidationError:
        number = mobile = ""
    person = (Person.objects.select_related("user")
              .filter(id_number=number, user__isnull=False, user__phone=mobile,
                      user__is_active=True).first() if number else None)
    if person is None or person.user is None or person.user.role_codes & STAFF_ROLES:
        raise ValidationError(
            _("未找到身份证号码与手机号码相符的已注册个人账户，请对方先完成个人注册。"),
            code="operator_not_registered")
    if any(a.agent_id == person.pk for a in operators(organisation)):
        raise ValidationError(_("此人已是本单位经办人。"), code="operator_exists")
    with transaction.atomic():
        _make_operator(actor=actor, organisation=organisation, person=person)
    return AgentAuthorisation.objects.filter(organisation=organisation, agent=person).latest("id")


def remove_operator(
    *, actor: User, organisation: Organisation, authorisation_id: int,
) -> AgentAuthorisation:
    """Revoke one operator's authorisation; the last operator cannot be removed
    (`last_operator`), so that someone can always act for the organisation online."""
    access_organisation(user=actor, organisation_id=organisation.pk)
    current = operators(organisation)
    target = next((a for a in current if a.pk == authorisation_id), None)
    if target is None:
        raise AgentAuthorisation.DoesNotExist
    if len(current) == 1:
        raise ValidationError(_("不能移除最后一名经办人。"), code="last_operator")
    return _revoke(actor=actor, authorisation=target, reason=_("单位经办人移除"))
