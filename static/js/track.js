/* Counts a click on a shop's phone number, directions, website, Facebook/Instagram or share
 * links (the signs of a visit to come): data-track, on the link or an element around it,
 * names what; the enclosing data-track-shop (and data-track-product) which page;
 * data-beacon-url where to report it. Only these values are sent, to the portal itself; no
 * cookie is set. Without this script, or without sendBeacon, the links work the same and
 * are not counted. */
(function () {
    "use strict";

    if (!navigator.sendBeacon || !window.URLSearchParams) return;

    document.addEventListener("click", function (event) {
        var link = event.target.closest("a[href]");
        var marker = link && link.closest("[data-track]");
        var page = marker && marker.closest("[data-track-shop]");
        if (!page || !page.dataset.beaconUrl) return;
        var data = new URLSearchParams();
        data.append("event", marker.dataset.track);
        data.append("shop", page.dataset.trackShop);
        if (page.dataset.trackProduct) data.append("product", page.dataset.trackProduct);
        navigator.sendBeacon(page.dataset.beaconUrl, data);
    });
})();
