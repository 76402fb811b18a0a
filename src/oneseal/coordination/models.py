"""Models of this app: events and data exchange (`models_events`, h16a); 审管互动 claims,
joint review, experts, site visits and forwarding upward (the other modules, h16b)."""

from .models_claims import (  # noqa: F401
    ClaimKind,
    ClaimTicket,
    ProblemKind,
    ProblemReport,
    ProblemStatus,
    ProblemStep,
    SupervisionAction,
    SupervisionRecord,
    SupervisionResult,
)
from .models_events import (  # noqa: F401  (events and data exchange, issue 16)
    ApiCall,
    ApiKey,
    Event,
    EventAlert,
    EventStream,
    Subscription,
    WebhookDelivery,
)
from .models_experts import (  # noqa: F401
    DrawState,
    Expert,
    ExpertDraw,
)
from .models_forwarding import (  # noqa: F401
    Forwarding,
    ForwardState,
)
from .models_review import (  # noqa: F401
    ItemCoordination,
    JointMeeting,
    MeetingCase,
    OpinionKind,
    ReviewInvitation,
    SpecialArea,
    WaitPolicy,
)
from .models_visits import (  # noqa: F401
    SiteVisit,
    SiteVisitPhoto,
)
