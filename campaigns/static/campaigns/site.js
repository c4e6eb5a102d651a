// Progressive enhancement only: copy buttons and the Web Share API. Every page works without this file.
(function () {
  "use strict";

  function textOf(selector) {
    var source = document.querySelector(selector);
    if (!source) return "";
    return "value" in source ? source.value : source.textContent.trim();
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
    return Promise.resolve();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (button) {
      event.preventDefault();
      copy(textOf(button.getAttribute("data-copy"))).then(function () {
        var status = document.getElementById(button.getAttribute("aria-describedby") || "");
        if (status) status.textContent = button.getAttribute("data-copied") || "Copied";
      });
      return;
    }
    var share = event.target.closest("[data-share-url]");
    if (share && navigator.share) {
      event.preventDefault();
      navigator.share({
        title: share.getAttribute("data-share-title") || document.title,
        text: share.getAttribute("data-share-text") || "",
        url: share.getAttribute("data-share-url"),
      }).catch(function () {});
    }
  });

  document.querySelectorAll("[data-copy]").forEach(function (el) { el.hidden = false; });
  if (navigator.share) {
    document.querySelectorAll("[data-share-url]").forEach(function (el) { el.hidden = false; });
  }
})();
