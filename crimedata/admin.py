from django.contrib import admin

from crimedata.models import CrimeArea, CrimeCount, CrimeImport, CrimeSeriesLink


@admin.register(CrimeArea)
class CrimeAreaAdmin(admin.ModelAdmin):
    list_display = ["partnership", "population", "updated_at"]
    raw_id_fields = ["updated_by"]


@admin.register(CrimeCount)
class CrimeCountAdmin(admin.ModelAdmin):
    list_display = ["partnership", "month", "crime_type", "count"]
    list_filter = ["crime_type"]


@admin.register(CrimeImport)
class CrimeImportAdmin(admin.ModelAdmin):
    list_display = ["partnership", "month", "file_name", "rows_read", "rows_in_area",
                    "replaced", "imported_by", "imported_at"]
    raw_id_fields = ["imported_by"]


@admin.register(CrimeSeriesLink)
class CrimeSeriesLinkAdmin(admin.ModelAdmin):
    list_display = ["measure", "crime_type", "per_thousand"]
    raw_id_fields = ["measure", "created_by"]
