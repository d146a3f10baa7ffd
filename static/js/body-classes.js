// Loaded synchronously as the first thing in <body>, so GOV.UK Frontend's
// styles for script-enabled pages apply before the first paint. An external
// file because the Content-Security-Policy allows no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
