"use strict";
// Filters the findings by verdict and license category, opens or closes
// the shown ones, and opens the finding a link points to. The page works
// without it: the filters stay hidden and every finding can be opened.
(function () {
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var findings = Array.prototype.slice.call(document.querySelectorAll("details.finding"));
  var verdict = document.getElementById("filter-verdict");
  var category = document.getElementById("filter-category");
  var shown = document.getElementById("shown");
  function apply() {
    var n = 0;
    findings.forEach(function (f) {
      var show = (!verdict.value || f.dataset.verdict === verdict.value) &&
        (!category.value || f.dataset.category === category.value);
      f.hidden = !show;
      if (show) {
        n++;
      }
    });
    shown.textContent = n + " of " + findings.length + " findings shown";
  }
  verdict.addEventListener("change", apply);
  category.addEventListener("change", apply);
  document.getElementById("expand").addEventListener("click", function () {
    findings.forEach(function (f) {
      if (!f.hidden) {
        f.open = true;
      }
    });
  });
  document.getElementById("collapse").addEventListener("click", function () {
    findings.forEach(function (f) {
      f.open = false;
    });
  });
  // A link to a finding (#finding-N) opens it.
  function openLinked() {
    var f = location.hash && document.getElementById(location.hash.slice(1));
    if (f && f.classList.contains("finding")) {
      if (f.hidden) {
        // Hidden by the filters: show every finding again, so that the
        // filters and the count say what is shown.
        verdict.value = "";
        category.value = "";
        apply();
      }
      f.open = true;
      f.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openLinked);
  form.hidden = false;
  apply();
  openLinked();
})();
