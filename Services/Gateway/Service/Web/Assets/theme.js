// Runs before the page paints: applies the remembered theme, so a dark page never flashes light.
(function () {
  var saved = null;
  try { saved = localStorage.getItem("jobsmith-theme"); } catch (e) {}
  if (saved === "light" || saved === "dark") document.documentElement.setAttribute("data-theme", saved);
})();
