/* "Copy the link" of the share bar (templates/components/share_bar.html). Without this
 * script, or without a clipboard, the link stays a plain link to the page itself. */
(function () {
    "use strict";

    document.addEventListener("click", function (event) {
        var link = event.target.closest("a[data-copy-link]");
        if (!link || !navigator.clipboard) return;
        event.preventDefault();
        var status = link.parentElement.querySelector(".share-bar__status");
        navigator.clipboard.writeText(link.href).then(function () {
            if (status) status.textContent = link.dataset.copied;
        });
    });
})();
