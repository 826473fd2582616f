// cxsuite console: small progressive enhancements; every page works without them.
// Loaded from /static (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  // Buttons with data-confirm ask before a destructive form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // A job page follows the job's server-sent events: progress, status, then "end".
  var job = document.getElementById("job");
  if (!job || !window.EventSource) { return; }
  var status = document.getElementById("job-status");
  var bar = document.getElementById("job-progress");
  var error = document.getElementById("job-error");
  var next = document.getElementById("job-next");
  var words = JSON.parse(job.dataset.words || "{}");
  var source = new EventSource(job.dataset.events);
  function show(event) {
    var data = JSON.parse(event.data);
    status.textContent = words[data.status] || data.status;
    status.className = "status s-" + data.status;
    bar.value = data.progress;
    // In the page's language, as the server wrote it (Persian digits in fa).
    bar.textContent = data.progress.toLocaleString(document.documentElement.lang,
      { style: "percent", maximumFractionDigits: 0 });
    if (data.error) { error.textContent = data.error; error.hidden = false; }
  }
  source.addEventListener("progress", show);
  source.addEventListener("end", function (event) {
    show(event);
    source.close();
    next.hidden = false;
    document.body.dataset.jobDone = "true";
  });
})();
