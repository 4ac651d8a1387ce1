from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/<str:code>.pdf", views.download, name="download"),
    path("verify/", views.verify_form, name="verify"),
    path(
        "verify/issuer-certificate.pem",
        views.issuer_certificate,
        name="issuer_certificate",
    ),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
