from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dashboard.panels import collect


@login_required
def home(request):
    panels = collect(request)
    return render(
        request,
        "dashboard/home.html",
        {
            "main_panels": [p for p in panels if p.column == "main"],
            "side_panels": [p for p in panels if p.column == "side"],
        },
    )
