/* A page served from the cache (home/page_cache.py) is the same for every visitor: it holds
 * neither the request list's counter nor the CSRF token of its forms. This asks the portal
 * for this visitor's own and puts them in place; a form sent before they arrive waits for
 * them. Without this script the counter stays hidden, and a form sent from the page is
 * refused by the CSRF check. */
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

    var ready = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
        })
        .then(function (data) {
            if (document.readyState === "loading") {
                return new Promise(function (resolve) {
                    document.addEventListener("DOMContentLoaded", function () {
                        fill(data);
                        resolve();
                    });
                });
            }
            fill(data);
        });

    document.addEventListener("submit", function (event) {
        var form = event.target;
        var token = form.querySelector("[data-visitor-csrf]");
        if (!token || token.value) return;
        event.preventDefault();
        ready.then(function () {
            form.requestSubmit(event.submitter);
        });
    });
})();
