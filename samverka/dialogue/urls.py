from django.urls import path

from samverka.core.routing import grouped_by_prefix

from .views import exports, forums, hearings, meetings, members

app_name = "dialogue"
urlpatterns = grouped_by_prefix(
    [
        path("forums/", forums.index, name="index"),
        path("forums/new/", forums.forum_create, name="forum_create"),
        path("forums/calendar/", forums.calendar_feed, name="calendar"),
        path("forums/calendar/<str:token>.ics", forums.user_ics, name="user_ics"),
        path("forums/<uuid:pk>/", forums.forum_detail, name="forum"),
        path("forums/<uuid:pk>/calendar.ics", forums.forum_ics, name="forum_ics"),
        path("forums/<uuid:pk>/actions.csv", exports.forum_actions_csv, name="forum_actions_csv"),
        path("forums/<uuid:pk>/decisions.csv", exports.forum_decisions_csv, name="forum_decisions_csv"),
        path("forums/<uuid:pk>/members/<uuid:member_pk>/remove/", members.member_remove, name="member_remove"),
        path("forums/meetings/<uuid:pk>/", meetings.meeting_detail, name="meeting"),
        path("forums/meetings/<uuid:pk>/meeting.ics", meetings.meeting_ics, name="meeting_ics"),
        path("forums/meetings/<uuid:pk>/files/<uuid:attachment_pk>/", meetings.attachment_download, name="attachment"),
        path("forums/actions/<uuid:pk>/", meetings.action_detail, name="action"),
        path("hearings/", hearings.hearing_list, name="hearings"),
        path("hearings/new/", hearings.hearing_create, name="hearing_create"),
        path("hearings/<uuid:pk>/", hearings.hearing_detail, name="hearing"),
        path("hearings/<uuid:pk>/sections/<int:number>/", hearings.hearing_section, name="hearing_section"),
        path("hearings/<uuid:pk>/report/", hearings.hearing_report, name="hearing_report"),
        path("hearings/<uuid:pk>/comments/<uuid:comment_pk>/support/", hearings.comment_support, name="support"),
        path("hearings/<uuid:pk>/<slug:action>/", hearings.hearing_action, name="hearing_action"),
    ]
)
