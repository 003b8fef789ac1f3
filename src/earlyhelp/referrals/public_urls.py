"""Routes of the public referral form; included under /refer/ by ``referrals.urls``.

A plain list without ``app_name``, so the names live in the ``referrals`` namespace
(``referrals:public_start`` is linked from every page's footer).
"""

from django.urls import path

from earlyhelp.referrals import public_views as views

urlpatterns = [
    path("", views.start, name="public_start"),
    path("who/", views.who, name="public_who"),
    path("your-details/", views.referrer, name="public_referrer"),
    path("people/", views.people, name="public_people"),
    path("people/add/", views.person_add, name="public_person_add"),
    path("people/<int:number>/", views.person, name="public_person"),
    path("people/<int:number>/remove/", views.person_remove, name="public_person_remove"),
    path("address/", views.address, name="public_address"),
    path("concern/", views.concern, name="public_concern"),
    path("agreement/", views.agreement, name="public_agreement"),
    path("check/", views.check, name="public_check"),
    path("done/", views.done, name="public_done"),
]
