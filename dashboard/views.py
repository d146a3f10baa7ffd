from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dashboard.panels import collect, drop_outdated_notices
from dashboard.todo import todo_for


@login_required
def home(request):
    todo = todo_for(request)
    panels = collect(request)
    drop_outdated_notices(panels, todo.signoff_parts)
    return render(
        request,
        "dashboard/home.html",
        {
            "todo": todo,
            "main_panels": [p for p in panels if p.column == "main"],
            "side_panels": [p for p in panels if p.column == "side"],
        },
    )
