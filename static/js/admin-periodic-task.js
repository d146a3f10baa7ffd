// django-celery-beat's periodic task form in the admin: shows the chosen
// crontab in words under the field. Moved out of the package's inline
// script so that it runs under the Content-Security-Policy.
"use strict";
(function () {
  const script = document.currentScript;
  const originalHelp = script.dataset.crontabHelp || "";
  const readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const $ = window.django.jQuery;

  function updateCrontabHelp(additional) {
    const help = $(".field-crontab .help");
    help.text(originalHelp);
    help.append(document.createElement("br"));
    help.append(document.createTextNode("Translation: " + additional));
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    updateCrontabHelp(readableCrontabs[$("#id_crontab").val()]);
  });
})();
