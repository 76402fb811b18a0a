"""The states of an electronic licence (证照状态, law.md §11) and the operations that move a
licence between them, with the article of 《中华人民共和国行政许可法》 behind each
(law.md §7). Pure Python: the services (licences/services.py) check this table.

=================  =============  ==============  =====================================
operation          from           to              basis
=================  =============  ==============  =====================================
suspend  暂扣      有效            暂扣            a penalty (《行政处罚法》第九条第（三）项)
restore  恢复      暂扣            有效            the suspension ends
withdraw 撤回      有效, 暂扣      注销            第8条 (changed law or circumstances);
                                                  a withdrawn licence is then cancelled
                                                  (第70条(四))
revoke   撤销      有效, 暂扣      撤销            第69条 (unlawful grant, fraud, bribery)
cancel   注销      有效, 暂扣,     注销            第70条 (expiry, death, dissolution,
                   失效, 撤销, 吊销                revocation, force majeure)
penalise 吊销      有效, 暂扣      吊销            a penalty (《行政处罚法》第九条第（三）项);
                                                  not 行政许可法 第70条, which only
                                                  cancels (注销) a licence once 吊销
expire   (system)  有效, 暂扣      失效            第70条(一): the validity ended
deem_renew (system) 有效           有效            第50条第二款: a renewal applied for in
                                                  time and not decided before expiry is
                                                  deemed granted (视为准予延续)
=================  =============  ==============  =====================================
"""

from __future__ import annotations

from enum import StrEnum

from oneseal.core.workcalendar.domain.i18n import gettext_noop


class State(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    PENALTY = "penalty"


class Op(StrEnum):
    SUSPEND = "suspend"
    RESTORE = "restore"
    WITHDRAW = "withdraw"
    REVOKE = "revoke"
    CANCEL = "cancel"
    PENALISE = "penalise"
    EXPIRE = "expire"
    DEEM_RENEW = "deem_renew"


STATE_LABELS: dict[State, str] = {
    State.VALID: gettext_noop("有效"),
    State.SUSPENDED: gettext_noop("暂扣"),
    State.REVOKED: gettext_noop("撤销"),
    State.CANCELLED: gettext_noop("注销"),
    State.EXPIRED: gettext_noop("失效"),
    State.PENALTY: gettext_noop("吊销"),
}

OP_LABELS: dict[Op, str] = {
    Op.SUSPEND: gettext_noop("暂扣"),
    Op.RESTORE: gettext_noop("恢复"),
    Op.WITHDRAW: gettext_noop("撤回"),
    Op.REVOKE: gettext_noop("撤销"),
    Op.CANCEL: gettext_noop("注销"),
    Op.PENALISE: gettext_noop("吊销"),
    Op.EXPIRE: gettext_noop("到期失效"),
    Op.DEEM_RENEW: gettext_noop("视为准予延续"),
}

_LIVE = frozenset({State.VALID, State.SUSPENDED})

#: 暂扣 and 吊销 are administrative penalties (《行政处罚法》(2021) 第九条第（三）项: 暂扣许可证件、
#: 降低资质等级、吊销许可证件), decided by the penalty procedure, not licensing acts of 行政许可法.
PENALTY_BASIS = "《行政处罚法》第九条第（三）项"

# operation -> (states it may start from, state it leads to, legal basis)
TRANSITIONS: dict[Op, tuple[frozenset[State], State, str]] = {
    Op.SUSPEND: (frozenset({State.VALID}), State.SUSPENDED, PENALTY_BASIS),
    Op.RESTORE: (frozenset({State.SUSPENDED}), State.VALID, ""),
    Op.WITHDRAW: (_LIVE, State.CANCELLED, "第8条"),
    Op.REVOKE: (_LIVE, State.REVOKED, "第69条"),
    Op.CANCEL: (frozenset({State.VALID, State.SUSPENDED, State.EXPIRED, State.REVOKED,
                           State.PENALTY}), State.CANCELLED, "第70条"),
    Op.PENALISE: (_LIVE, State.PENALTY, PENALTY_BASIS),
    Op.EXPIRE: (_LIVE, State.EXPIRED, "第70条第（一）项"),
    # a renewal applied for in time and not decided before expiry (第50条第二款): the
    # licence stays valid for a new period instead of expiring
    Op.DEEM_RENEW: (frozenset({State.VALID}), State.VALID, "第50条第二款"),
}

# the operations a person may choose (EXPIRE is the system's)
MANUAL_OPS: tuple[Op, ...] = (Op.SUSPEND, Op.RESTORE, Op.WITHDRAW, Op.REVOKE, Op.CANCEL,
                              Op.PENALISE)


class IllegalLicenceTransition(Exception):
    """`op` is not allowed from `state`."""

    def __init__(self, op: Op, state: State) -> None:
        self.op, self.state = op, state
        super().__init__(f"{op} not allowed from {state}")


def next_state(op: Op, state: State) -> State:
    """The state `op` leads to from `state`, or `IllegalLicenceTransition`."""
    sources, target, _basis = TRANSITIONS[op]
    if state not in sources:
        raise IllegalLicenceTransition(op, state)
    return target


def legal_basis(op: Op) -> str:
    return TRANSITIONS[op][2]


def allowed_ops(state: State) -> list[Op]:
    """The manual operations allowed from `state`, in menu order."""
    return [op for op in MANUAL_OPS if state in TRANSITIONS[op][0]]
