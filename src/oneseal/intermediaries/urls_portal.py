from django.urls import path

from . import views_market as market
from . import views_public as public
from . import views_reports as reports

app_name = "intermediaries_portal"
urlpatterns = [
    path("", public.directory, name="directory"),
    path("<int:pk>/", public.detail, name="detail"),
    path("services/", public.services, name="services"),
    path("postings/", public.postings, name="postings"),
    path("postings/<int:pk>/", public.posting, name="posting"),
    path("postings/<int:pk>/draw/", public.draw, name="draw"),
    path("measures/", public.measures, name="measures"),
    path("figures/", public.figures, name="figures"),
    path("my/", market.my, name="my"),
    path("my/post/", market.post_need, name="post_need"),
    path("my/postings/<int:pk>/", market.manage, name="manage"),
    path("my/postings/<int:pk>/close/", market.close, name="close"),
    path("my/postings/<int:pk>/choose/", market.choose, name="choose"),
    path("my/postings/<int:pk>/score/", market.score, name="score"),
    path("my/postings/<int:pk>/repost/", market.repost, name="repost"),
    path("my/postings/<int:pk>/finish/", market.finish, name="finish"),
    path("my/postings/<int:pk>/rate/", market.rate, name="rate"),
    path("<int:pk>/complain/", market.complain, name="complain"),
    path("provider/register/", market.register, name="register"),
    path("provider/<int:pk>/", market.provider, name="provider"),
    path("provider/<int:pk>/qualifications/", market.add_qualification, name="add_qualification"),
    path("provider/<int:pk>/fees/", market.add_fee, name="add_fee"),
    path("provider/<int:pk>/staff/", market.add_staff, name="add_staff"),
    path("provider/<int:pk>/bid/<int:posting_id>/", market.bid, name="bid"),
    path("provider/<int:pk>/report/<int:contract_id>/", market.upload_report, name="report"),
    # a report shared to a case, to whoever may see the case (staff and the applicant)
    path("case-materials/<int:material_id>/report/", reports.case_report, name="case_report"),
]

# The pages that post, offer, choose, score or award (选取): every one refuses staff
# accounts (《优化营商环境条例》第43条); tests/intermediaries/test_pages.py walks this list.
SELECTION_URL_NAMES = ("my", "post_need", "manage", "close", "choose", "score", "repost",
                       "finish", "rate", "complain", "register", "provider",
                       "add_qualification", "add_fee", "add_staff", "bid", "report")
