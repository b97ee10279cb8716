/* A page served from the cache (home/page_cache.py) is the same for every visitor: it holds
 * neither the request list's counter nor the CSRF token of its forms. This asks the portal
 * for this visitor's own and puts them in place. Without it, the counter stays hidden and
 * a form sent from the page is refused by the CSRF check, whose page explains what to do. */
(function () {
    "use strict";

    var url = document.currentScript.dataset.url;

    function fill(data) {
        document.querySelectorAll("[data-visitor-csrf]").forEach(function (input) {
            input.value = data.csrf_token;
        });
        document.querySelectorAll("[data-visitor-count]").forEach(function (counter) {
            counter.textContent = data.count;
            counter.hidden = false;
        });
        document.querySelectorAll("[data-visitor-count-label]").forEach(function (label) {
            label.textContent = data.label;
        });
    }

    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
        })
        .then(function (data) {
            if (document.readyState === "loading") {
                document.addEventListener("DOMContentLoaded", function () { fill(data); });
            } else {
                fill(data);
            }
        });
})();
