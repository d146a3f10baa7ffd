from django.urls import path

from partnerships import views

app_name = "partnerships"

P = "manage/partnership/<slug:partnership>/"
B = P + "boards/<slug:board>/"

urlpatterns = [
    path("manage/partnership/", views.partnership_list, name="list"),
    # Before P: "new" is a reserved web address name (services.RESERVED_SLUGS).
    path("manage/partnership/new/", views.partnership_new, name="new"),
    path(P, views.manage, name="manage"),
    path(P + "details/", views.details, name="details"),
    path(P + "policing-body/", views.policing_body, name="policing_body"),
    path(P + "policing-body/recommendations/", views.policing_recommendations,
         name="policing_recommendations"),
    path(P + "policing-body/recommendations/<int:recommendation>/",
         views.policing_recommendation, name="policing_recommendation"),
    path(P + "logo/", views.logo, name="logo"),
    path("partnerships/<slug:partnership>/logo/<str:digest>.png", views.logo_file,
         name="logo_file"),
    path(P + "organisations/", views.organisations, name="organisations"),
    path(P + "organisations/new/", views.organisation_new, name="organisation_new"),
    path(P + "organisations/<int:organisation>/", views.organisation_edit,
         name="organisation_edit"),
    path(P + "organisations/<int:organisation>/remove/", views.organisation_remove,
         name="organisation_remove"),
    path(P + "boards/", views.boards, name="boards"),
    path(P + "boards/new/", views.board_new, name="board_new"),
    path(B, views.board, name="board"),
    path(B + "edit/", views.board_edit, name="board_edit"),
    path(B + "members/new/", views.board_member_new, name="board_member_new"),
    path(B + "members/<int:board_member>/", views.board_member_edit, name="board_member_edit"),
    path(B + "members/<int:board_member>/remove/", views.board_member_remove,
         name="board_member_remove"),
    path(P + "people/", views.people, name="people"),
    path(P + "people/invite/", views.invite, name="invite"),
    path(P + "people/<int:person>/", views.person, name="person"),
    path(P + "people/<int:person>/deactivate/", views.person_deactivate,
         name="person_deactivate"),
    path(P + "invitations/<int:invitation>/resend/", views.invitation_resend,
         name="invitation_resend"),
    path(P + "invitations/<int:invitation>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
    path("account/invitation/<str:invitation_token>/", views.invitation, name="invitation"),
]
